// Use case: a management key reads its own org (Junction's `GET /v1/org/{org_id}`).
import type { Queryable } from '../../db/database.js';
import { notFound } from '../../domain/errors.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from './org-access.js';
import { findOrg, type OrgRow } from './orgs.repository.js';

export interface GetOrgOptions {
  db: Queryable;
  principal: ManagementPrincipal;
  orgId: string;
}

/** The caller's org; any other org id is a 404. */
export async function getOrg({ db, principal, orgId }: GetOrgOptions): Promise<OrgRow> {
  assertOrgInScope(principal, orgId);
  const org = await findOrg(db, orgId);
  if (!org) throw notFound('not_found', 'Org');
  return org;
}
