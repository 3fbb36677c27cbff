// Use case: list the teams of an org a management key may see (`GET /v1/org/{org_id}/team`), 50 a page.
import type { Queryable } from '../../db/database.js';
import type { Region } from '../../domain/enums.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { pageOf, seqAfter } from '../orgs/seq-cursor.js';
import { listTeams as selectTeams, type TeamRow } from './teams.repository.js';

export const TEAM_PAGE_SIZE = 50;

export interface ListTeamsOptions {
  db: Queryable;
  principal: ManagementPrincipal;
  orgId: string;
  teamId?: string;
  regions?: Region[];
  searchQuery?: string;
  nextCursor?: string;
}

/** A page of teams and the cursor of the next page (null on the last). team_admin keys see their bound teams only. */
export async function listTeams(options: ListTeamsOptions): Promise<{ teams: TeamRow[]; nextCursor: string | null }> {
  const { db, principal, orgId } = options;
  assertOrgInScope(principal, orgId);
  const rows = await selectTeams(db, {
    orgId,
    visible: visibleTeamIds(principal),
    teamId: options.teamId,
    regions: options.regions,
    search: options.searchQuery,
    afterSeq: seqAfter(options.nextCursor),
    limit: TEAM_PAGE_SIZE + 1,
  });
  const { page, nextCursor } = pageOf(rows, TEAM_PAGE_SIZE);
  return { teams: page, nextCursor };
}
