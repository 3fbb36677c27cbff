// Operator use case: read any lab account by id (`GET /operator/v1/lab_accounts/{id}`).
import type { Queryable } from '../../db/database.js';
import { notFound } from '../../domain/errors.js';
import { findAccounts, toClientFacing } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';

export interface GetLabAccountOptions {
  /** Root handle (one read). */
  db: Queryable;
  /** The account's id. */
  id: string;
}

/** The account, or 404 lab_account_not_found. */
export async function getLabAccount(options: GetLabAccountOptions): Promise<ClientFacingLabAccount> {
  const [account] = await findAccounts(options.db, { ids: [options.id] });
  if (!account) throw notFound('lab_account_not_found', 'Lab account');
  return toClientFacing(account);
}
