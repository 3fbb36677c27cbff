// Checks a management key's team_role_bindings: every bound team must be a team of the key's org.
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { teamsOfOrg } from '../teams/teams.repository.js';

/**
 * The bindings to store, de-duplicated and lower-cased, or 400 `teams_not_in_org` naming the team ids
 * that are not teams of `orgId` (whether they exist elsewhere is not revealed).
 */
export async function checkedBindings(db: Queryable, orgId: string, bindings: { team_id: string }[]): Promise<{ team_id: string }[]> {
  const ids = [...new Set(bindings.map((b) => b.team_id.toLowerCase()))];
  const found = new Set((await teamsOfOrg(db, orgId, ids)).map((team) => team.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError('teams_not_in_org', 'Some team_role_bindings name teams outside this org', { team_ids: missing });
  }
  return ids.map((team_id) => ({ team_id }));
}
