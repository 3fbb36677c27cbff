// Use case: an org admin renames its org (Junction's `PATCH /v1/org/{org_id}`), audited.
import type { DB } from '../../db/database.js';
import { notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from './org-access.js';
import { findOrg, type OrgRow, renameOrg } from './orgs.repository.js';

export interface UpdateOrgOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  name: string;
}

/** Renames the caller's org and records `org.updated` with the names before and after. */
export async function updateOrg({ db, principal, orgId, name }: UpdateOrgOptions): Promise<OrgRow> {
  assertOrgInScope(principal, orgId);
  return db.transaction().execute(async (tx) => {
    const before = await findOrg(tx, orgId);
    const after = before ? await renameOrg(tx, orgId, name) : undefined;
    if (!before || !after) throw notFound('not_found', 'Org');
    await recordAudit(tx, {
      orgId,
      subjectType: 'org',
      subjectId: orgId,
      actor: actorOf(principal),
      action: 'org.updated',
      before,
      after,
    });
    return after;
  });
}
