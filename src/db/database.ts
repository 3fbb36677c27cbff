// One entry point to storage: Kysely over PGlite (embedded, zero set-up) or over PostgreSQL (`DATABASE_URL`).
// Both run the same SQL and the same migrations, so behaviour does not depend on the backend.
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import pg from 'pg';
import type { DB } from './handles.js';
import { migrations } from './migrations/index.js';
import { namedStatementPool } from './named-statements.js';
import { startPgliteMaintenance } from './pglite-maintenance.js';
import { isNewDataDir, pgliteTemplate } from './pglite-template.js';
import type { Database } from './schema.js';

export type { DB, Queryable, Tx } from './handles.js';

export interface DatabaseConfig {
  /** `postgres://…` selects PostgreSQL. */
  databaseUrl?: string;
  /** PGlite data directory; undefined or 'memory://' keeps it in memory (tests). */
  dataDir?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** Told when a PGlite maintenance pass fails (it is retried at the next tick). */
  onMaintenanceError?: (error: unknown) => void;
}

export interface DatabaseHandle {
  db: DB;
  backend: 'pglite' | 'postgres';
  /** Runs pending migrations; safe to call from several processes at once on PostgreSQL. */
  migrate(): Promise<void>;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  /** Pool statistics for load shedding (PostgreSQL only). */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  /**
   * Listens on a NOTIFY channel (every instance sharing the database hears it on commit). Returns the
   * function that stops listening. On PostgreSQL a dedicated connection is used and re-opened if it drops;
   * `onGap` runs once it listens again, since notifications sent meanwhile are lost.
   */
  subscribe(channel: string, onPayload: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// pg returns int8 as string by default; our bigints (seq) stay strings, and COUNT(*) results are parsed
// where used. Timestamps become Date objects; `date` columns stay 'YYYY-MM-DD' strings on both backends, so
// no time zone can shift a date of birth or an activate_by day. jsonb is parsed by the driver.
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (value: string) => value);
const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Opens the database described by `config`. Does not migrate. */
export async function createDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.poolSize ?? 10,
      // A stuck query must not hold a connection forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
    // discards it and opens a new one on the next checkout.
    pool.on('error', () => undefined);
    // …nor may one dropped while checked out: its transaction fails with the error and the client is discarded.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool) }) });
    return {
      db,
      backend: 'postgres',
      migrate: () => runMigrations(db),
      ping: () => ping(db),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      subscribe: (channel, onPayload, onGap) => subscribePostgres(config.databaseUrl!, channel, onPayload, onGap),
      close: () => db.destroy(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const dataDir = config.dataDir && config.dataDir !== 'memory://' ? config.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const parsers = { [DATE_OID]: (value: string) => value };
  // A new cluster is restored from the build's template when there is one (pglite-template.ts), not initdb'd.
  const loadDataDir = !dataDir || isNewDataDir(dataDir) ? pgliteTemplate() : undefined;
  const pglite = dataDir ? await PGlite.create(dataDir, { parsers, loadDataDir }) : await PGlite.create({ parsers, loadDataDir });
  // PGlite's own node-postgres connection: the same driver, protocol and named statements as on PostgreSQL
  // (named-statements.ts). One session, so one connection, kept open for the life of the handle.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool) }) });
  // What autovacuum does on PostgreSQL (pglite-maintenance.ts).
  const stopMaintenance = startPgliteMaintenance(db, { onError: config.onMaintenanceError });
  return {
    db,
    backend: 'pglite',
    migrate: () => runMigrations(db),
    ping: () => ping(db),
    poolStats: () => null,
    subscribe: async (channel, onPayload) => pglite.listen(channel, onPayload),
    close: async () => {
      await stopMaintenance();
      await db.destroy();
      await pglite.close();
    },
  };
}

/** A LISTEN connection that reconnects after errors until stopped. Channel names are internal constants. */
async function subscribePostgres(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  onGap?: () => void,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel ${channel}`);
  let stopped = false;
  let client: pg.Client | null = null;
  // Keeps trying every second while the database is unreachable.
  const retry = (): void => {
    if (stopped) return;
    setTimeout(() => void connect(true).catch(retry), 1000).unref();
  };
  const connect = async (reconnecting = false): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    next.on('error', () => {
      if (stopped || client !== next) return;
      client = null;
      retry();
    });
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
    if (reconnecting) onGap?.();
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
}

async function runMigrations(db: DB): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'labroute_migration',
    migrationLockTableName: 'labroute_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error | undefined)?.message ?? error)}`);
  }
}

async function ping(db: DB): Promise<boolean> {
  try {
    await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    return true;
  } catch {
    return false;
  }
}
