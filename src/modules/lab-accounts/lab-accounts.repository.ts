// Queries for lab accounts and their team links. Reads return ClientFacingLabAccount-ready rows with the
// allowlist in link order; every read carries the caller's scope (org, cell, team) in its WHERE clause.

import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { LabAccountsTable } from '../../db/schema.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';

/** A stored lab account as read, without its bookkeeping columns. */
export type LabAccountRow = Omit<Selectable<LabAccountsTable>, 'created_at' | 'updated_at' | 'seq'>;

/** A lab account with its linked teams, as stored. */
export interface LabAccountRecord extends LabAccountRow {
  team_id_allowlist: string[];
}

export interface AccountFilter {
  ids?: string[];
  /** An org id, or null for platform accounts only; undefined: any owner. */
  orgId?: string | null;
  env?: string;
  region?: string;
  lab?: string;
  statuses?: string[];
}

const COLUMNS = [
  'lab_accounts.id',
  'lab_accounts.org_id',
  'lab_accounts.env',
  'lab_accounts.region',
  'lab_accounts.lab',
  'lab_accounts.status',
  'lab_accounts.delegated_flow',
  'lab_accounts.provider_account_id',
  'lab_accounts.account_name',
  'lab_accounts.default_clinical_notes',
  'lab_accounts.business_units',
  'lab_accounts.allowed_billing',
  'lab_accounts.version',
] as const;

/** Loads accounts matching `filter`, oldest first, with their allowlists (two queries, no N+1). */
export async function findAccounts(db: Queryable, filter: AccountFilter): Promise<LabAccountRecord[]> {
  if (filter.ids && filter.ids.length === 0) return [];
  let query = db.selectFrom('lab_accounts').select(COLUMNS);
  if (filter.ids) query = query.where('lab_accounts.id', 'in', filter.ids);
  if (filter.orgId === null) query = query.where('lab_accounts.org_id', 'is', null);
  else if (filter.orgId !== undefined) query = query.where('lab_accounts.org_id', '=', filter.orgId);
  if (filter.env) query = query.where('lab_accounts.env', '=', filter.env);
  if (filter.region) query = query.where('lab_accounts.region', '=', filter.region);
  if (filter.lab) query = query.where('lab_accounts.lab', '=', filter.lab);
  if (filter.statuses && filter.statuses.length > 0) query = query.where('lab_accounts.status', 'in', filter.statuses);
  const rows = await query.orderBy('lab_accounts.seq', 'asc').execute();
  return withAllowlists(db, rows as LabAccountRow[]);
}

async function withAllowlists(db: Queryable, rows: LabAccountRow[]): Promise<LabAccountRecord[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('lab_account_links')
    .select(['lab_account_id', 'team_id'])
    .where(
      'lab_account_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('position', 'asc')
    .execute();
  const byAccount = new Map<string, string[]>();
  for (const link of links) {
    const list = byAccount.get(link.lab_account_id) ?? [];
    list.push(link.team_id);
    byAccount.set(link.lab_account_id, list);
  }
  return rows.map((row) => ({ ...row, team_id_allowlist: byAccount.get(row.id) ?? [] }));
}

/** One account by id, locked FOR UPDATE for a change (order placement locks the cell's accounts FOR SHARE). */
export async function lockAccount(db: Queryable, id: string): Promise<LabAccountRecord | undefined> {
  const row = await db.selectFrom('lab_accounts').select(COLUMNS).where('lab_accounts.id', '=', id).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  return (await withAllowlists(db, [row as LabAccountRow]))[0];
}

/** Whether an account of the lab in the cell already has this provider account number (the lab's own id for it). */
export async function providerAccountTaken(
  db: Queryable,
  key: { env: string; region: string; lab: string; provider_account_id: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('lab_accounts')
    .select('id')
    .where('env', '=', key.env)
    .where('region', '=', key.region)
    .where('lab', '=', key.lab)
    .where('provider_account_id', '=', key.provider_account_id)
    .executeTakeFirst();
  return row !== undefined;
}

/** A new account: every column but the version, which starts at 1. */
export type NewLabAccount = Omit<LabAccountRow, 'version'>;

export async function insertAccount(db: Queryable, account: NewLabAccount): Promise<void> {
  await db
    .insertInto('lab_accounts')
    .values({
      ...account,
      business_units: JSON.stringify(account.business_units),
      allowed_billing: JSON.stringify(account.allowed_billing),
    })
    .execute();
}

export type AccountChanges = Partial<Omit<NewLabAccount, 'id' | 'org_id' | 'env' | 'region' | 'lab'>>;

/** Applies `changes` and bumps the version (the ETag) even when only links changed. */
export async function updateAccount(db: Queryable, id: string, changes: AccountChanges): Promise<void> {
  const { business_units, allowed_billing, ...plain } = changes;
  await db
    .updateTable('lab_accounts')
    .set({
      ...plain,
      ...(business_units !== undefined ? { business_units: JSON.stringify(business_units) } : {}),
      ...(allowed_billing !== undefined ? { allowed_billing: JSON.stringify(allowed_billing) } : {}),
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Replaces an account's links with `teamIds`, in that order. */
export async function replaceLinks(db: Queryable, accountId: string, teamIds: string[]): Promise<void> {
  await db.deleteFrom('lab_account_links').where('lab_account_id', '=', accountId).execute();
  if (teamIds.length === 0) return;
  await db
    .insertInto('lab_account_links')
    .values(teamIds.map((team_id, position) => ({ lab_account_id: accountId, team_id, position })))
    .execute();
}

/** Orders of the account per team that are still in flight (not completed, cancelled or failed). */
export async function inFlightOrdersByTeam(db: Queryable, accountId: string, teamIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (teamIds.length === 0) return counts;
  const rows = await db
    .selectFrom('orders')
    .select(['team_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('lab_account_id', '=', accountId)
    .where('team_id', 'in', teamIds)
    .where('status_top', 'not in', ['completed', 'cancelled', 'failed'])
    .groupBy('team_id')
    .execute();
  for (const row of rows) counts.set(row.team_id, Number(row.n));
  return counts;
}

/** Audit entries of one account, newest first, after an optional cursor. */
export async function accountHistory(db: Queryable, accountId: string, options: { before?: string; limit: number }) {
  let query = db
    .selectFrom('audit_log')
    .select(['seq', 'id', 'at', 'actor_kind', 'actor_key_id', 'action', 'before', 'after'])
    .where('subject_type', '=', 'lab_account')
    .where('subject_id', '=', accountId);
  if (options.before) query = query.where('seq', '<', options.before);
  return query
    .orderBy('seq', 'desc')
    .limit(options.limit + 1)
    .execute();
}

/** The wire view of an account. */
export function toClientFacing(account: LabAccountRecord): ClientFacingLabAccount {
  return {
    id: account.id,
    lab: account.lab as ClientFacingLabAccount['lab'],
    org_id: account.org_id,
    status: account.status as ClientFacingLabAccount['status'],
    delegated_flow: account.delegated_flow as ClientFacingLabAccount['delegated_flow'],
    provider_account_id: account.provider_account_id,
    account_name: account.account_name,
    default_clinical_notes: account.default_clinical_notes,
    business_units: account.business_units,
    allowed_billing: account.allowed_billing as ClientFacingLabAccount['allowed_billing'],
    team_id_allowlist: account.team_id_allowlist,
  };
}

/** Strong ETag of an account: its version, which every change (links included) increments. */
export function etagOf(account: { id: string; version: number }): string {
  return `"${account.id.slice(0, 8)}-${account.version}"`;
}
