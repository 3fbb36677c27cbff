// Use case: an org admin revokes a management key (`DELETE /v1/org/{org_id}/management_key/{key_id}`);
// it stops authenticating at once. A key may revoke itself.
import type { DB } from '../../db/database.js';
import { notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { announceKeyRevocation, evictRevokedKeys } from '../auth/key-revocation.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { toManagementKey } from './key-view.js';
import { findManagementKey, type ManagementKeyRow, deleteManagementKey as removeKey } from './keys.repository.js';

export interface DeleteManagementKeyOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  keyId: string;
}

/** Deletes the key and returns it as it was. */
export async function deleteManagementKey({ db, principal, orgId, keyId }: DeleteManagementKeyOptions): Promise<ManagementKeyRow> {
  assertOrgInScope(principal, orgId);
  const deleted = await db.transaction().execute(async (tx) => {
    const current = await findManagementKey(tx, orgId, keyId);
    if (!current || !(await removeKey(tx, orgId, keyId))) throw notFound('management_key_not_found', 'Management key');
    await announceKeyRevocation(tx, [keyId]);
    await recordAudit(tx, {
      orgId,
      subjectType: 'management_key',
      subjectId: keyId,
      actor: actorOf(principal),
      action: 'management_key.deleted',
      before: toManagementKey(current),
      after: null,
    });
    return current;
  });
  evictRevokedKeys([keyId]);
  return deleted;
}
