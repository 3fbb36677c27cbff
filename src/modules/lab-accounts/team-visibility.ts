// Which lab accounts a team may order through (SPEC.md §1): accounts linked to it in its cell, and — for a
// lab with no linked account — the cell's platform account of that lab. Linked accounts replace the platform
// account whatever their status: there is no fallback.
import type { Queryable } from '../../db/database.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { findAccounts, type LabAccountRecord } from './lab-accounts.repository.js';

type TeamScope = Pick<TeamPrincipal, 'teamId' | 'orgId' | 'env' | 'region'>;

/** The account `id` if the team may use it, else undefined (→ 404 lab_account_not_found for the caller). */
export async function findTeamVisibleAccount(db: Queryable, team: TeamScope, id: string): Promise<LabAccountRecord | undefined> {
  const [account] = await findAccounts(db, { ids: [id], env: team.env, region: team.region });
  if (!account) return undefined;
  if (account.org_id === team.orgId && account.team_id_allowlist.includes(team.teamId)) return account;
  if (account.org_id === null) {
    const linked = await findAccounts(db, { orgId: team.orgId, env: team.env, region: team.region, lab: account.lab, linkedTeamId: team.teamId });
    return linked.length === 0 ? account : undefined;
  }
  return undefined;
}

/** Accounts linked to the team in its cell for one lab (any status), and the cell's platform account of that lab. */
export async function accountsForLab(db: Queryable, team: TeamScope, lab: string): Promise<{ linked: LabAccountRecord[]; platform: LabAccountRecord | undefined }> {
  const [linked, platforms] = await Promise.all([
    findAccounts(db, { orgId: team.orgId, env: team.env, region: team.region, lab, linkedTeamId: team.teamId }),
    findAccounts(db, { orgId: null, env: team.env, region: team.region, lab }),
  ]);
  return { linked, platform: platforms[0] };
}
