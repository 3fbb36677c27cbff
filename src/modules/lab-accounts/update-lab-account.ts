// Operator use case: change an account's status (any status, any direction) or configuration. Audited;
// orders already placed keep their account whatever happens to it.
import type { DB } from '../../db/database.js';
import { AppError, notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { isUniqueViolation } from '../teams/teams.repository.js';
import type { LabAccountCache } from './lab-account-cache.js';
import type { LabAccountEvents } from './lab-account-events.js';
import { type AccountChanges, findAccounts, lockAccount, toClientFacing, updateAccount } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount, UpdateLabAccountBody } from './lab-accounts.schemas.js';

export async function updateLabAccount(options: {
  db: DB;
  /** Told of the change once it is committed. */
  labAccountCache: LabAccountCache;
  /** Announces the change (webhooks, other instances' caches). */
  labAccountEvents: LabAccountEvents;
  principal: Principal | null;
  id: string;
  body: UpdateLabAccountBody;
}): Promise<ClientFacingLabAccount> {
  const { body } = options;
  try {
    const updated = await options.db.transaction().execute(async (tx) => {
      const current = await lockAccount(tx, options.id);
      if (!current) throw notFound('lab_account_not_found', 'Lab account');
      const delegatedFlow = body.delegated_flow ?? current.delegated_flow;
      if (current.org_id === null && delegatedFlow !== 'not_delegated') {
        throw new AppError('bad_request', 'Platform accounts (org_id null) are always not_delegated');
      }
      const changes: AccountChanges = {};
      if (body.status !== undefined) changes.status = body.status;
      if (body.delegated_flow !== undefined) changes.delegated_flow = body.delegated_flow;
      if (body.provider_account_id !== undefined) changes.provider_account_id = body.provider_account_id;
      if (body.account_name !== undefined) changes.account_name = body.account_name;
      if (body.default_clinical_notes !== undefined) changes.default_clinical_notes = body.default_clinical_notes;
      if (body.business_units !== undefined) changes.business_units = body.business_units;
      if (body.allowed_billing !== undefined) changes.allowed_billing = body.allowed_billing as Record<string, string[]>;
      const before = toClientFacing(current);
      await updateAccount(tx, current.id, changes);
      const [updated] = await findAccounts(tx, { ids: [current.id] });
      const after = toClientFacing(updated);
      const action = body.status !== undefined && body.status !== current.status ? 'lab_account.status_changed' : 'lab_account.updated';
      await recordAudit(tx, {
        orgId: current.org_id,
        subjectType: 'lab_account',
        subjectId: current.id,
        actor: actorOf(options.principal),
        action,
        before,
        after,
      });
      await options.labAccountEvents.publish(tx, { before, after, env: current.env });
      return after;
    });
    options.labAccountCache.invalidate(updated.org_id);
    return updated;
  } catch (error) {
    if (isUniqueViolation(error, 'lab_accounts_provider_idx')) {
      throw new AppError(
        'provider_account_id_taken',
        `provider_account_id ${body.provider_account_id} is already used for this lab in this cell`,
      );
    }
    throw error;
  }
}
