// Management use case: what an Update Lab Account Teams with these teams would change, without writing
// (`POST …/{account_id}/impact`, a Labroute extension): the teams gaining and losing the account.
import type { DB } from '../../db/database.js';
import { inFlightOrdersByTeam } from './lab-accounts.repository.js';
import { type OrgLabAccountTarget, orgAccount } from './org-lab-account.js';
import { checkedAllowlist } from './team-allowlist.js';

export interface PreviewLabAccountTeamsOptions extends OrgLabAccountTarget {
  /** Root handle; nothing is written. */
  db: DB;
  /** The proposed team_id_allowlist, checked as the PATCH checks it (400 for teams outside the org or region). */
  teamIds: string[];
}

/** Teams that would gain the account, lose it (with their orders still in flight through it) and keep it. */
export async function previewLabAccountTeams(options: PreviewLabAccountTeamsOptions): Promise<{
  gained: string[];
  lost: { team_id: string; in_flight_orders: number }[];
  unchanged: string[];
}> {
  const account = await orgAccount(options.db, options);
  const next = await checkedAllowlist(options.db, { org_id: account.org_id!, region: account.region }, options.teamIds);
  const current = new Set(account.team_id_allowlist);
  const nextSet = new Set(next);
  const lostIds = account.team_id_allowlist.filter((id) => !nextSet.has(id));
  const inFlight = await inFlightOrdersByTeam(options.db, account.id, lostIds);
  return {
    gained: next.filter((id) => !current.has(id)),
    lost: lostIds.map((team_id) => ({ team_id, in_flight_orders: inFlight.get(team_id) ?? 0 })),
    unchanged: next.filter((id) => current.has(id)),
  };
}
