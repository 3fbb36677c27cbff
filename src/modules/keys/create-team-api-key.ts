// Use case: mint a team API key for one team in one cell (`POST /v1/org/{org_id}/team_api_keys/{env}/{region}`).
// The full key is returned once; only its hash and a masked form are kept.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import type { Env, Region } from '../../domain/enums.js';
import { AppError, notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { teamKeyPrefix } from '../auth/authenticate.js';
import { newKeyMaterial } from '../auth/key-material.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { findTeam } from '../teams/teams.repository.js';
import { insertTeamApiKey, type TeamApiKeyRow } from './keys.repository.js';

export interface CreateTeamApiKeyOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  env: Env;
  region: Region;
  teamId: string;
  label: string;
}

/**
 * Creates the key. The team must be visible to the caller (else 404) and live in the path's region
 * (else 400 teams_not_in_region): a key works only in its team's own cell.
 */
export async function createTeamApiKey(options: CreateTeamApiKeyOptions): Promise<{ row: TeamApiKeyRow; key: string }> {
  const { db, principal, orgId, env, region, teamId, label } = options;
  assertOrgInScope(principal, orgId);
  return db.transaction().execute(async (tx) => {
    const team = await findTeam(tx, orgId, teamId, { visible: visibleTeamIds(principal) });
    if (!team) throw notFound('team_not_found', 'Team');
    if (team.region !== region) {
      throw new AppError('teams_not_in_region', `Team is in region ${team.region}, not ${region}`, { team_ids: [teamId] });
    }
    const material = newKeyMaterial(teamKeyPrefix(env, region));
    const row = await insertTeamApiKey(tx, {
      id: randomUUID(),
      orgId,
      teamId,
      env,
      region,
      label,
      lookup: material.lookup,
      salt: material.salt,
      hash: material.hash,
      masked: material.masked,
    });
    await recordAudit(tx, {
      orgId,
      subjectType: 'team_api_key',
      subjectId: row.id,
      actor: actorOf(principal),
      action: 'team_api_key.created',
      before: null,
      after: { id: row.id, label, team_id: teamId, env, region, masked: row.masked },
    });
    return { row, key: material.key };
  });
}
