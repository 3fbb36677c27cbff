// Use case: an org admin creates a team (`POST /v1/org/{org_id}/team`). A duplicate integration_team_id
// answers Junction's own 409 body `{team_id}` naming the team that already has it.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import { AppError, RawBodyError } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { initialSettings } from './team-settings.js';
import { toOrgTeam } from './team-view.js';
import { findTeamByIntegrationId, insertTeam, isUniqueViolation, type TeamRow, teamIdTaken } from './teams.repository.js';
import type { CreateOrgTeamInput } from './teams.schemas.js';

export interface CreateTeamOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  body: CreateOrgTeamInput;
}

/** The 409 for an integration_team_id already used in the org. */
export function integrationIdConflict(teamId: string): RawBodyError {
  return new RawBodyError(409, { team_id: teamId }, 'integration_team_id already in use');
}

/** Creates the team with both environments set from the body; records `team.created`. */
export async function createTeam({ db, principal, orgId, body }: CreateTeamOptions): Promise<TeamRow> {
  assertOrgInScope(principal, orgId);
  const integrationTeamId = body.integration_team_id ?? null;
  const settings = initialSettings(body);
  try {
    return await db.transaction().execute(async (tx) => {
      if (integrationTeamId !== null) {
        const existing = await findTeamByIntegrationId(tx, orgId, integrationTeamId);
        if (existing) throw integrationIdConflict(existing.id);
      }
      const id = body.id ?? randomUUID();
      // A client-chosen id must be new everywhere; which org holds it is not revealed.
      if (body.id && (await teamIdTaken(tx, id))) throw new AppError('conflict', 'A team with this id already exists');
      const team = await insertTeam(tx, {
        id,
        orgId,
        name: body.name,
        region: body.region,
        integrationTeamId,
        sandbox: settings,
        production: settings,
      });
      await recordAudit(tx, {
        orgId,
        subjectType: 'team',
        subjectId: team.id,
        actor: actorOf(principal),
        action: 'team.created',
        before: null,
        after: toOrgTeam(team),
      });
      return team;
    });
  } catch (error) {
    // Two creations racing with the same integration_team_id or id: the loser sees the unique violation.
    if (isUniqueViolation(error, 'teams_integration_id_idx') && integrationTeamId !== null) {
      const winner = await findTeamByIntegrationId(db, orgId, integrationTeamId);
      if (winner) throw integrationIdConflict(winner.id);
    }
    if (isUniqueViolation(error, 'teams_pkey')) throw new AppError('conflict', 'A team with this id already exists');
    throw error;
  }
}
