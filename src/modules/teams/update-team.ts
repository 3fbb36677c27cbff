// Use case: an org admin edits a team (`PATCH /v1/org/{org_id}/team/{team_id}`): name, integration id and
// partial per-environment settings; audited with the team before and after.
import type { DB } from '../../db/database.js';
import { AppError, notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { integrationIdConflict } from './create-team.js';
import { BrandCompanyNameRequired, mergeSettings } from './team-settings.js';
import { toOrgTeam } from './team-view.js';
import { findTeam, findTeamByIntegrationId, isUniqueViolation, type TeamRow, updateTeam as writeTeam } from './teams.repository.js';
import type { UpdateOrgTeamInput } from './teams.schemas.js';

export interface UpdateTeamOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  teamId: string;
  body: UpdateOrgTeamInput;
}

/**
 * Applies the update. An absent or null `name` keeps the name; an explicit null `integration_team_id`
 * clears it; `sandbox` / `production` merge field by field (see mergeSettings).
 */
export async function updateTeam({ db, principal, orgId, teamId, body }: UpdateTeamOptions): Promise<TeamRow> {
  assertOrgInScope(principal, orgId);
  try {
    return await db.transaction().execute(async (tx) => {
      const current = await findTeam(tx, orgId, teamId, { forUpdate: true });
      if (!current) throw notFound('team_not_found', 'Team');
      const integrationTeamId = body.integration_team_id === undefined ? current.integration_team_id : body.integration_team_id;
      if (integrationTeamId !== null && integrationTeamId !== current.integration_team_id) {
        const existing = await findTeamByIntegrationId(tx, orgId, integrationTeamId);
        if (existing && existing.id !== teamId) throw integrationIdConflict(existing.id);
      }
      let sandbox = current.sandbox;
      let production = current.production;
      try {
        if (body.sandbox) sandbox = mergeSettings(current.sandbox, body.sandbox);
        if (body.production) production = mergeSettings(current.production, body.production);
      } catch (error) {
        if (error instanceof BrandCompanyNameRequired) throw new AppError('bad_request', error.message);
        throw error;
      }
      const updated = await writeTeam(tx, orgId, teamId, {
        name: body.name ?? current.name,
        integrationTeamId,
        sandbox,
        production,
      });
      await recordAudit(tx, {
        orgId,
        subjectType: 'team',
        subjectId: teamId,
        actor: actorOf(principal),
        action: 'team.updated',
        before: toOrgTeam(current),
        after: toOrgTeam(updated),
      });
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'teams_integration_id_idx') && body.integration_team_id) {
      const winner = await findTeamByIntegrationId(db, orgId, body.integration_team_id);
      if (winner) throw integrationIdConflict(winner.id);
    }
    throw error;
  }
}
