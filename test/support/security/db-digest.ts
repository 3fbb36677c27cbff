// A digest of every table, to prove that a rejected request wrote nothing ("nothing partially written on any
// error", SPEC.md §5). One round trip: md5 of each table's rows in a stable order.
import { sql } from 'kysely';
import type { DB } from '../../../src/db/database.js';

/**
 * Tables left out of the comparison, and why:
 * - idempotency_keys: Junction stores the first outcome of `POST /v3/order` "whether it succeeded or failed"
 *   (reference §8.8), so a rejected order with an X-Idempotency-Key legitimately writes its 400 there.
 * - labroute_migration, labroute_migration_lock: the migrator's bookkeeping, not data.
 * - webhook outbox / delivery-attempt tables (matched by name below): the background dispatcher updates them
 *   on its own schedule, so they can change between two requests without either request writing.
 */
export const DIGEST_EXCLUDED_TABLES: Record<string, string> = {
  idempotency_keys: 'stores the outcome of a rejected idempotent order on purpose (reference §8.8)',
  labroute_migration: 'migration bookkeeping',
  labroute_migration_lock: 'migration bookkeeping',
};

/** Tables the webhook dispatcher writes in the background (see above). */
export const BACKGROUND_TABLE = /outbox|webhook_deliver|webhook_attempt/;

/** The public tables included in digests. */
export async function digestTables(db: DB): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows.rows.map((r) => r.table_name).filter((name) => !(name in DIGEST_EXCLUDED_TABLES) && !BACKGROUND_TABLE.test(name));
}

/** Per-table md5 of all rows. Compare two results with `changedTables`. */
export async function digest(db: DB, tables: string[]): Promise<Record<string, string>> {
  if (tables.length === 0) return {};
  const parts = tables.map((t) => `(select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from "${t}" x) as "${t}"`);
  const result = await sql.raw<Record<string, string>>(`select ${parts.join(', ')}`).execute(db);
  return result.rows[0];
}

/**
 * A cheap per-table fingerprint for checking after every request: row count and the newest row version's
 * transaction id (`xmin`). Any insert or update creates a row version with a newer xmin, and any delete
 * changes the count, so an unchanged fingerprint means nothing was written — without reading the rows
 * (md5 over every row slows down as the fuzzer's accepted requests grow the tables).
 */
export async function fingerprint(db: DB, tables: string[]): Promise<Record<string, string>> {
  if (tables.length === 0) return {};
  const parts = tables.map((t) => `(select count(*)::text || ':' || coalesce(max(x.xmin::text::bigint), 0)::text from "${t}" x) as "${t}"`);
  const result = await sql.raw<Record<string, string>>(`select ${parts.join(', ')}`).execute(db);
  return result.rows[0];
}

/** Names of tables whose digest differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
