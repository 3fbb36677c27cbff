// Use case: an org admin lists its org's management keys, secrets never included (`GET /v1/org/{org_id}/management_key`).
import type { Queryable } from '../../db/database.js';
import type { ManagementRole } from '../../domain/enums.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { pageOf, seqAfter } from '../orgs/seq-cursor.js';
import { type ManagementKeyRow, listManagementKeys as selectKeys } from './keys.repository.js';

export const MANAGEMENT_KEY_PAGE_SIZE = 50;

export interface ListManagementKeysOptions {
  db: Queryable;
  principal: ManagementPrincipal;
  orgId: string;
  role?: ManagementRole;
  teamId?: string;
  nextCursor?: string;
}

/** A page of keys, oldest first; `teamId` keeps team_admin keys bound to that team, as Junction documents. */
export async function listManagementKeys(
  options: ListManagementKeysOptions,
): Promise<{ keys: ManagementKeyRow[]; nextCursor: string | null }> {
  const { db, principal, orgId } = options;
  assertOrgInScope(principal, orgId);
  const rows = await selectKeys(db, {
    orgId,
    role: options.role,
    teamId: options.teamId?.toLowerCase(),
    afterSeq: seqAfter(options.nextCursor),
    limit: MANAGEMENT_KEY_PAGE_SIZE + 1,
  });
  const { page, nextCursor } = pageOf(rows, MANAGEMENT_KEY_PAGE_SIZE);
  return { keys: page, nextCursor };
}
