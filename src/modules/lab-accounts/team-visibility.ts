// Which lab accounts a team may order through (SPEC.md §1): accounts linked to it in its cell, and — for a
// lab with no linked account — the cell's platform account of that lab. Linked accounts replace the platform
// account whatever their status: there is no fallback.
//
// The rules are pure functions over the accounts of the team's cell, which come from the lab-account cache
// (`cachedTeamCell`) or, inside a transaction that has locked them, from the rows themselves (`teamCellFromDb`).
import type { Queryable } from '../../db/database.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from './lab-account-cache.js';
import { findAccounts, type LabAccountRecord } from './lab-accounts.repository.js';

type TeamScope = Pick<TeamPrincipal, 'teamId' | 'orgId' | 'env' | 'region'>;

/** The accounts a team's visibility depends on: its org's in its cell, and the cell's platform accounts. */
export interface TeamCellAccounts {
  own: readonly LabAccountRecord[];
  platform: readonly LabAccountRecord[];
}

export async function cachedTeamCell(cache: LabAccountCache, team: TeamScope): Promise<TeamCellAccounts> {
  const [own, platform] = await Promise.all([cache.cell(team.orgId, team.env, team.region), cache.cell(null, team.env, team.region)]);
  return { own, platform };
}

export async function teamCellFromDb(db: Queryable, team: TeamScope): Promise<TeamCellAccounts> {
  // One after the other: inside a transaction both would go to one connection, where pg deprecates overlap.
  const own = await findAccounts(db, { orgId: team.orgId, env: team.env, region: team.region });
  const platform = await findAccounts(db, { orgId: null, env: team.env, region: team.region });
  return { own, platform };
}

/** Accounts of the team's org linked to the team in its cell, oldest first. */
export function teamLinkedAccounts(cell: TeamCellAccounts, team: TeamScope): LabAccountRecord[] {
  return cell.own.filter((a) => a.team_id_allowlist.includes(team.teamId));
}

/** The account `id` if the team may use it, else undefined (→ 404 lab_account_not_found for the caller). */
export function findTeamVisibleAccount(cell: TeamCellAccounts, team: TeamScope, id: string): LabAccountRecord | undefined {
  const own = cell.own.find((a) => a.id === id);
  if (own) return own.team_id_allowlist.includes(team.teamId) ? own : undefined;
  const platform = cell.platform.find((a) => a.id === id);
  if (!platform) return undefined;
  return accountsForLab(cell, team, platform.lab).linked.length === 0 ? platform : undefined;
}

/** Accounts linked to the team in its cell for one lab (any status), and the cell's platform account of that lab. */
export function accountsForLab(
  cell: TeamCellAccounts,
  team: TeamScope,
  lab: string,
): { linked: LabAccountRecord[]; platform: LabAccountRecord | undefined } {
  return {
    linked: cell.own.filter((a) => a.lab === lab && a.team_id_allowlist.includes(team.teamId)),
    platform: cell.platform.find((a) => a.lab === lab),
  };
}

/** True when the cell holds exactly the accounts `versions` lists (id → version), each at that version. */
export function cellMatches(cell: TeamCellAccounts, versions: ReadonlyMap<string, number>): boolean {
  const accounts = [...cell.own, ...cell.platform];
  return accounts.length === versions.size && accounts.every((a) => versions.get(a.id) === a.version);
}
