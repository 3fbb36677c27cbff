// Use case: read one team (`GET /v1/org/{org_id}/team/{team_id}`); other orgs' teams and, for team_admin
// keys, unbound teams are 404.
import type { Queryable } from '../../db/database.js';
import { notFound } from '../../domain/errors.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { findTeam, type TeamRow } from './teams.repository.js';

export interface GetTeamOptions {
  db: Queryable;
  principal: ManagementPrincipal;
  orgId: string;
  teamId: string;
}

/** The team, if the caller may see it. */
export async function getTeam({ db, principal, orgId, teamId }: GetTeamOptions): Promise<TeamRow> {
  assertOrgInScope(principal, orgId);
  const team = await findTeam(db, orgId, teamId, { visible: visibleTeamIds(principal) });
  if (!team) throw notFound('team_not_found', 'Team');
  return team;
}
