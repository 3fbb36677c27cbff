// Operator use case: list lab accounts of every owner, platform accounts included (`GET /operator/v1/lab_accounts`).
import type { Queryable } from '../../db/database.js';
import { findAccounts, toClientFacing } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';

export interface ListLabAccountsOptions {
  /** Root handle (one read). */
  db: Queryable;
  /** Only this org's accounts; omitted: every owner. */
  orgId?: string;
  /** Only accounts of this environment. */
  env?: string;
  /** Only accounts of this region. */
  region?: string;
  /** Only accounts of this lab. */
  lab?: string;
  /** Only accounts in one of these statuses; omitted or empty: every status. */
  statuses?: string[];
}

/** The matching accounts, oldest first, read from the database (the operator sees no cache). */
export async function listLabAccounts(options: ListLabAccountsOptions): Promise<ClientFacingLabAccount[]> {
  const { db, ...filter } = options;
  return (await findAccounts(db, filter)).map(toClientFacing);
}
