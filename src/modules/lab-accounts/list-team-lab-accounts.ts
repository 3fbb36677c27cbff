// Team use case: Junction's Get Team Lab Accounts, the accounts linked to the calling team in its cell
// (`GET /v3/lab_test/lab_account`), served from the lab-account cache.
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from './lab-account-cache.js';
import { toClientFacing } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';
import { cachedTeamCell, teamLinkedAccounts } from './team-visibility.js';

export interface ListTeamLabAccountsOptions {
  /** The app's lab-account cache, which answers without a database round trip. */
  labAccountCache: LabAccountCache;
  /** The calling team. */
  principal: TeamPrincipal;
  /** Only this account. */
  labAccountId?: string;
  /** Only accounts in this status. */
  status?: string;
}

/** The accounts linked to the team that match, oldest first. */
export async function listTeamLabAccounts(options: ListTeamLabAccountsOptions): Promise<ClientFacingLabAccount[]> {
  const { principal: team, labAccountId, status } = options;
  const accounts = teamLinkedAccounts(await cachedTeamCell(options.labAccountCache, team), team).filter(
    (a) => (!labAccountId || a.id === labAccountId) && (!status || a.status === status),
  );
  return accounts.map(toClientFacing);
}
