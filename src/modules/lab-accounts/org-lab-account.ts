// The Management API's guard for one lab account: an account of the caller's org in the path's cell, else
// 404 (platform accounts, other orgs' and other cells' accounts look exactly like unknown ids).
import type { Queryable } from '../../db/database.js';
import type { Cell } from '../../domain/enums.js';
import { notFound } from '../../domain/errors.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { findAccounts, type LabAccountRecord, lockAccount } from './lab-accounts.repository.js';

/** Which account a Management API call names, and who calls. */
export interface OrgLabAccountTarget {
  /** The authenticated management key. */
  principal: ManagementPrincipal;
  /** The org in the path; another org than the key's is a 404. */
  orgId: string;
  /** The cell in the path; the account must live in it. */
  cell: Cell;
  /** The account in the path. */
  accountId: string;
}

/** The org-owned account in this cell, locked FOR UPDATE when `lock` is given; 404 for platform, foreign or unknown ids. */
export async function orgAccount(db: Queryable, target: OrgLabAccountTarget, lock?: 'update'): Promise<LabAccountRecord> {
  assertOrgInScope(target.principal, target.orgId);
  const account = lock ? await lockAccount(db, target.accountId) : (await findAccounts(db, { ids: [target.accountId] }))[0];
  if (!account || account.org_id !== target.orgId || account.env !== target.cell.env || account.region !== target.cell.region) {
    throw notFound('lab_account_not_found', 'Lab account');
  }
  return account;
}

/** Like `orgAccount`, and a team_admin key also sees only accounts linked to one of its teams. */
export async function visibleOrgAccount(db: Queryable, target: OrgLabAccountTarget): Promise<LabAccountRecord> {
  const account = await orgAccount(db, target);
  const { principal } = target;
  if (principal.role === 'team_admin' && !account.team_id_allowlist.some((id) => principal.teamIds.includes(id))) {
    throw notFound('lab_account_not_found', 'Lab account');
  }
  return account;
}
