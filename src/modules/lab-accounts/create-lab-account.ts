// Operator use case: create a lab account for an org, or a platform account (org_id null, at most one per
// cell and lab, always not_delegated, never linked). Audited.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import { AppError, notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findOrg } from '../orgs/orgs.repository.js';
import { isUniqueViolation } from '../teams/teams.repository.js';
import type { LabAccountCache } from './lab-account-cache.js';
import type { LabAccountEvents } from './lab-account-events.js';
import { findAccounts, insertAccount, providerAccountTaken, replaceLinks, toClientFacing } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount, CreateLabAccountBody } from './lab-accounts.schemas.js';
import { checkedAllowlist } from './team-allowlist.js';

export async function createLabAccount(options: {
  db: DB;
  /** Told of the new account once it is committed. */
  labAccountCache: LabAccountCache;
  /** Announces the new account (webhooks, other instances' caches). */
  labAccountEvents: LabAccountEvents;
  principal: Principal | null;
  body: CreateLabAccountBody;
}): Promise<ClientFacingLabAccount> {
  const { db, body } = options;
  const platform = body.org_id === null;
  if (platform && body.delegated_flow !== 'not_delegated') {
    throw new AppError('bad_request', 'Platform accounts (org_id null) are always not_delegated');
  }
  if (platform && (body.team_id_allowlist?.length ?? 0) > 0) {
    throw new AppError(
      'bad_request',
      'Platform accounts are not linked to teams: they serve every team of their cell without a linked account for the lab',
    );
  }
  const id = randomUUID();
  try {
    const created = await db.transaction().execute(async (tx) => {
      if (!platform) {
        if (!(await findOrg(tx, body.org_id!))) throw notFound('not_found', 'Org');
      } else {
        const existing = await findAccounts(tx, { orgId: null, env: body.env, region: body.region, lab: body.lab });
        if (existing.length > 0) throw platformExists(body);
      }
      if (await providerAccountTaken(tx, body)) throw providerTaken(body);
      const allowlist = platform
        ? []
        : await checkedAllowlist(tx, { org_id: body.org_id!, region: body.region }, body.team_id_allowlist ?? []);
      await insertAccount(tx, {
        id,
        org_id: body.org_id,
        env: body.env,
        region: body.region,
        lab: body.lab,
        status: body.status,
        delegated_flow: body.delegated_flow,
        provider_account_id: body.provider_account_id,
        account_name: body.account_name ?? null,
        default_clinical_notes: body.default_clinical_notes ?? null,
        business_units: body.business_units ?? null,
        allowed_billing: body.allowed_billing as Record<string, string[]>,
      });
      await replaceLinks(tx, id, allowlist);
      const [created] = await findAccounts(tx, { ids: [id] });
      const view = toClientFacing(created);
      await recordAudit(tx, {
        orgId: body.org_id,
        subjectType: 'lab_account',
        subjectId: id,
        actor: actorOf(options.principal),
        action: 'lab_account.created',
        before: null,
        after: view,
      });
      await options.labAccountEvents.publish(tx, { before: null, after: view, env: body.env });
      return view;
    });
    options.labAccountCache.invalidate(created.org_id);
    return created;
  } catch (error) {
    // Two concurrent creates can both pass the checks; the unique indexes decide.
    if (isUniqueViolation(error, 'lab_accounts_platform_idx')) throw platformExists(body);
    if (isUniqueViolation(error, 'lab_accounts_provider_idx')) throw providerTaken(body);
    throw error;
  }
}

function platformExists(body: CreateLabAccountBody): AppError {
  return new AppError('platform_account_exists', `A platform account for ${body.lab} already exists in ${body.env}/${body.region}`);
}

function providerTaken(body: CreateLabAccountBody): AppError {
  return new AppError(
    'provider_account_id_taken',
    `provider_account_id ${body.provider_account_id} is already used for ${body.lab} in ${body.env}/${body.region}`,
  );
}
