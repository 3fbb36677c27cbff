// Management use case: Junction's Get Lab Accounts, the org's accounts in one cell
// (`GET /v1/org/{org_id}/lab_account/{env}/{region}`), served from the lab-account cache.
import type { Cell } from '../../domain/enums.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import type { LabAccountCache } from './lab-account-cache.js';
import { toClientFacing } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';

export interface ListOrgLabAccountsOptions {
  /** The app's lab-account cache, which answers without a database round trip. */
  labAccountCache: LabAccountCache;
  /** The authenticated management key; a team_admin key sees only accounts linked to one of its teams. */
  principal: ManagementPrincipal;
  /** The org in the path; another org than the key's is a 404. */
  orgId: string;
  /** The cell in the path. */
  cell: Cell;
  /** Only this account. */
  labAccountId?: string;
  /** Only accounts linked to this team (none when a team_admin key names a team it is not bound to). */
  teamId?: string;
  /** Only accounts in this status. */
  status?: string;
}

/** The org's accounts in the cell that match, oldest first. */
export async function listOrgLabAccounts(options: ListOrgLabAccountsOptions): Promise<ClientFacingLabAccount[]> {
  const { principal, orgId, cell, labAccountId, teamId, status } = options;
  assertOrgInScope(principal, orgId);
  const bound = principal.role === 'team_admin' ? principal.teamIds : undefined;
  if (bound && teamId && !bound.includes(teamId)) return [];
  const accounts = (await options.labAccountCache.cell(orgId, cell.env, cell.region)).filter(
    (a) =>
      (!labAccountId || a.id === labAccountId) &&
      (!status || a.status === status) &&
      (!teamId || a.team_id_allowlist.includes(teamId)) &&
      (!bound || a.team_id_allowlist.some((id) => bound.includes(id))),
  );
  return accounts.map(toClientFacing);
}
