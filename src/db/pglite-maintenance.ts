// PGlite runs PostgreSQL as a single embedded session: there is no autovacuum. Without it no table is ever
// analyzed, and the planner, with no statistics, cannot tell a team's orders from one order — measured on a
// data dir holding 2,570 orders of one team, GET /v3/order/{id} walked the team's list index and filtered every
// order by id (10.6 ms) instead of using the primary key (0.33 ms after ANALYZE), and it grew with the team.
// Dead rows (status changes, idempotency records) were never reclaimed either. This does what autovacuum does
// for PostgreSQL, with its default thresholds, from a timer in the process that owns the database.
import { sql } from 'kysely';
import type { DB } from './handles.js';

/**
 * autovacuum's defaults: analyze after 50 + 10% of a table's rows changed; vacuum after 50 + 20% died, or after
 * 1,000 + 20% were inserted — the vacuum that sets the visibility map, without which an index-only scan (the
 * total of `GET /v3/orders`) still reads every row it counts from the table.
 */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const VACUUM_INSERT_BASE = 1000;
const VACUUM_INSERT_SCALE = 0.2;

export const MAINTENANCE_INTERVAL_MS = 30_000;

interface TableNeedingWork {
  relname: string;
  vacuum: boolean;
}

/** The tables past autovacuum's thresholds, read from the session's cumulative statistics. */
async function tablesNeedingWork(db: DB): Promise<TableNeedingWork[]> {
  const analyzeAt = sql`${sql.lit(ANALYZE_BASE)} + ${sql.lit(ANALYZE_SCALE)} * n_live_tup`;
  const vacuumAt = sql`${sql.lit(VACUUM_BASE)} + ${sql.lit(VACUUM_SCALE)} * n_live_tup`;
  const vacuumInsertsAt = sql`${sql.lit(VACUUM_INSERT_BASE)} + ${sql.lit(VACUUM_INSERT_SCALE)} * n_live_tup`;
  const { rows } = await sql<TableNeedingWork>`
    select relname, n_dead_tup > ${vacuumAt} or n_ins_since_vacuum > ${vacuumInsertsAt} as vacuum
    from pg_stat_user_tables
    where schemaname = 'public'
      and (n_mod_since_analyze > ${analyzeAt} or n_dead_tup > ${vacuumAt} or n_ins_since_vacuum > ${vacuumInsertsAt})
    order by relname
  `.execute(db);
  return rows;
}

/**
 * One pass: analyzes (and vacuums, when enough rows died or were added) every table past the thresholds. Each
 * statement goes through Kysely, so it waits for the connection like any query and never runs inside a
 * request's transaction. Returns what it did, for tests and logs.
 */
export async function maintainOnce(db: DB): Promise<TableNeedingWork[]> {
  const tables = await tablesNeedingWork(db);
  for (const table of tables) {
    await sql`${sql.raw(table.vacuum ? 'vacuum (analyze)' : 'analyze')} ${sql.id(table.relname)}`.execute(db);
  }
  return tables;
}

/**
 * Runs `maintainOnce` every `intervalMs` until the returned function is called; that function waits for a
 * pass in progress, so the database can be closed right after. A failed pass is retried at the next tick.
 */
export function startPgliteMaintenance(
  db: DB,
  {
    intervalMs = MAINTENANCE_INTERVAL_MS,
    onError,
  }: {
    intervalMs?: number;
    onError?: (error: unknown) => void;
  } = {},
): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = maintainOnce(db)
      .catch((error: unknown) => onError?.(error))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
