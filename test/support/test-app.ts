// Builds a Labroute app for a test file on the backend chosen by `npm test` (LABROUTE_TEST_DB): an
// in-memory PGlite, or a fresh database on the suite's private PostgreSQL.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { ensureOperatorKey } from '../../src/bootstrap.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';

export const backend: 'pglite' | 'postgres' = process.env.LABROUTE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** A fresh, migrated, empty database URL on the test PostgreSQL server. */
export async function freshPostgresUrl(): Promise<string> {
  const base = process.env.LABROUTE_TEST_PG_URL;
  if (!base) throw new Error('LABROUTE_TEST_PG_URL is not set: run tests with `npm test`');
  const name = `lr_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Opens and migrates a database for one test file. */
export async function openTestDatabase(options: { poolSize?: number } = {}): Promise<DatabaseHandle> {
  const database =
    backend === 'postgres'
      ? await createDatabase({ databaseUrl: await freshPostgresUrl(), poolSize: options.poolSize ?? 5 })
      : await createDatabase({});
  await database.migrate();
  return database;
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  operatorKey: string;
  /** Shorthand for app.inject returning the response with `json` parsed. */
  request(options: InjectOptions): Promise<LightMyRequestResponse & { body: string; json: () => any }>;
  close(): Promise<void>;
}

// Which test app serves a database, so fixtures that write behind an app's back can tell its caches.
const appsByDb = new WeakMap<object, FastifyInstance>();

/** The lab-account cache of the test app on `db`, if a test app serves it. */
export function labAccountCacheOf(db: object): FastifyInstance['labAccountCache'] | undefined {
  return appsByDb.get(db)?.labAccountCache;
}

export const TEST_OPERATOR_KEY = 'op_test_operator_key_0123456789abcdef';

/** Builds an app with its own database. Call `close()` in `after`. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  // Event-loop load shedding is off by default in tests: opening another in-process PGlite blocks the loop for
  // seconds. Tests of load shedding turn it on explicitly.
  const config = loadConfig({
    LABROUTE_DEMO: '0',
    LOG_LEVEL: 'silent',
    LABROUTE_WEBHOOK_ALLOW_PRIVATE: '1',
    LABROUTE_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
  const database = await openTestDatabase({ poolSize: config.dbPoolSize });
  await ensureOperatorKey(database, TEST_OPERATOR_KEY);
  const app = await buildApp({ config, database, logger: false, strictResponses: true });
  await app.ready();
  appsByDb.set(database.db, app);
  return {
    app,
    database,
    config,
    operatorKey: TEST_OPERATOR_KEY,
    request: (options) => app.inject(options) as never,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
