// Use case: create a management key (`mg_…`), for the operator (`POST /operator/v1/orgs/{org_id}/management_keys`)
// or an org admin (`POST /v1/org/{org_id}/management_key`). The secret is returned once; only its hash is kept.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import { notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { MANAGEMENT_KEY_PREFIX } from '../auth/authenticate.js';
import { newKeyMaterial } from '../auth/key-material.js';
import { actorOf, type ManagementPrincipal, type OperatorPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { findOrg } from '../orgs/orgs.repository.js';
import { findManagementKey, insertManagementKey, type ManagementKeyRow } from './keys.repository.js';
import type { CreateManagementKeyInput } from './keys.schemas.js';
import { checkedBindings } from './team-bindings.js';

export interface CreateManagementKeyOptions {
  db: DB;
  principal: OperatorPrincipal | ManagementPrincipal;
  orgId: string;
  body: CreateManagementKeyInput;
}

/**
 * Creates the key in org `orgId` (404 when the org does not exist, or is not the management caller's).
 * team_admin keys keep their checked bindings; org_admin keys act on every team, so bindings sent for
 * them are not stored (Junction shows `team_role_bindings: null` for org admins).
 */
export async function createManagementKey({
  db,
  principal,
  orgId,
  body,
}: CreateManagementKeyOptions): Promise<{ row: ManagementKeyRow; key: string }> {
  if (principal.kind === 'management') assertOrgInScope(principal, orgId);
  return db.transaction().execute(async (tx) => {
    if (!(await findOrg(tx, orgId))) throw notFound('not_found', 'Org');
    const bindings = body.role === 'team_admin' ? await checkedBindings(tx, orgId, body.team_role_bindings ?? []) : null;
    const material = newKeyMaterial(MANAGEMENT_KEY_PREFIX);
    const id = randomUUID();
    await insertManagementKey(tx, {
      id,
      orgId,
      label: body.label,
      role: body.role,
      teamRoleBindings: bindings,
      lookup: material.lookup,
      salt: material.salt,
      hash: material.hash,
    });
    await recordAudit(tx, {
      orgId,
      subjectType: 'management_key',
      subjectId: id,
      actor: actorOf(principal),
      action: 'management_key.created',
      before: null,
      after: { id, label: body.label, role: body.role, team_role_bindings: bindings },
    });
    const row = await findManagementKey(tx, orgId, id);
    if (!row) throw new Error('management key vanished after insert');
    return { row, key: material.key };
  });
}
