// Use case: an org admin relabels a management key or changes a team_admin key's bindings
// (`PATCH /v1/org/{org_id}/management_key/{key_id}`). Bindings take effect on the key's next request.
import type { DB } from '../../db/database.js';
import { notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { announceKeyRevocation, evictRevokedKeys } from '../auth/key-revocation.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { toManagementKey } from './key-view.js';
import { findManagementKey, type ManagementKeyRow, updateManagementKey as writeKey } from './keys.repository.js';
import type { PatchManagementKeyInput } from './keys.schemas.js';
import { checkedBindings } from './team-bindings.js';

export interface UpdateManagementKeyOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  keyId: string;
  body: PatchManagementKeyInput;
}

/**
 * Absent or null fields keep their value. Bindings replace the old ones (checked like at creation) on
 * team_admin keys; org_admin keys have no bindings, so bindings sent for them are ignored.
 */
export async function updateManagementKey({ db, principal, orgId, keyId, body }: UpdateManagementKeyOptions): Promise<ManagementKeyRow> {
  assertOrgInScope(principal, orgId);
  const updated = await db.transaction().execute(async (tx) => {
    const current = await findManagementKey(tx, orgId, keyId);
    if (!current) throw notFound('management_key_not_found', 'Management key');
    const bindings =
      current.role === 'team_admin' && body.team_role_bindings
        ? await checkedBindings(tx, orgId, body.team_role_bindings)
        : current.team_role_bindings;
    await writeKey(tx, orgId, keyId, { label: body.label ?? current.label, teamRoleBindings: bindings });
    const after = await findManagementKey(tx, orgId, keyId);
    if (!after) throw notFound('management_key_not_found', 'Management key');
    await recordAudit(tx, {
      orgId,
      subjectType: 'management_key',
      subjectId: keyId,
      actor: actorOf(principal),
      action: 'management_key.updated',
      before: toManagementKey(current),
      after: toManagementKey(after),
    });
    // Cached principals carry the bindings: every instance must re-read them.
    await announceKeyRevocation(tx, [keyId]);
    return after;
  });
  evictRevokedKeys([keyId]);
  return updated;
}
