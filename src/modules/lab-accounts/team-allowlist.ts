// Checks a proposed team_id_allowlist: duplicates collapse (first occurrence keeps its place), and every team
// must belong to the account's org (400 teams_not_in_org) and region (400 teams_not_in_region), naming the
// offending ids without revealing whether they exist elsewhere.
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { teamsOfOrg } from '../teams/teams.repository.js';

export async function checkedAllowlist(db: Queryable, account: { org_id: string; region: string }, teamIds: string[]): Promise<string[]> {
  const ids = [...new Set(teamIds.map((id) => id.toLowerCase()))];
  const teams = await teamsOfOrg(db, account.org_id, ids);
  const regionOf = new Map(teams.map((team) => [team.id, team.region]));
  const outside = ids.filter((id) => !regionOf.has(id));
  if (outside.length > 0) {
    throw new AppError('teams_not_in_org', 'Some teams in team_id_allowlist are not teams of this org', { team_ids: outside });
  }
  const otherRegion = ids.filter((id) => regionOf.get(id) !== account.region);
  if (otherRegion.length > 0) {
    throw new AppError('teams_not_in_region', `Some teams in team_id_allowlist are not in the account's region (${account.region})`, {
      team_ids: otherRegion,
    });
  }
  return ids;
}
