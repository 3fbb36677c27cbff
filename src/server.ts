// The process entry point (`npm start`, `labroute serve`): config, database, migrations, operator key,
// demo data on first start, then listen; closes gracefully on SIGINT/SIGTERM.

import { resolve } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ensureOperatorKey } from './bootstrap.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/database.js';
import { MAINTENANCE_INTERVAL_MS } from './db/pglite-maintenance.js';
import { seedDemoOnFirstStart } from './demo/seed-demo.js';

/** Starts Labroute and resolves once it listens. */
export async function startServer(config: Config): Promise<{ close: () => Promise<void>; url: string }> {
  // Background failures of the database go to standard error until the app's logger exists.
  let reportMaintenanceError = (error: unknown): void => {
    process.stderr.write(`database maintenance pass failed (retried in ${MAINTENANCE_INTERVAL_MS / 1000} s): ${String(error)}\n`);
  };
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : resolve(config.dataDir, 'db'),
    poolSize: config.dbPoolSize,
    onMaintenanceError: (error) => reportMaintenanceError(error),
  });
  await database.migrate();
  const operator = await ensureOperatorKey(database, config.operatorKey);
  const app = await buildApp({ config, database });
  reportMaintenanceError = (error) => app.log.warn({ err: error }, 'database maintenance pass failed; retried at the next tick');
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  if (operator.generated) {
    // Printed once, on standard output and not through the logger, so it never lands in log storage.
    process.stdout.write(`\nLabroute operator key (shown once, store it now): ${operator.generated}\n\n`);
  }
  await app.listen({ port: config.port, host: config.host });
  // Seeded after listening, so the first start answers as soon as the database is open; nobody can use the
  // demo before its keys are printed, which happens when seeding is done.
  if (config.demo) await seedDemoOnFirstStart({ app, database, config, baseUrl: url });
  return {
    url,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

const isMain =
  process.argv[1] &&
  resolve(process.argv[1]).replace(/\.ts$/, '.js') === resolve(new URL(import.meta.url).pathname).replace(/\.ts$/, '.js');

if (isMain) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  startServer(config)
    .then(({ close }) => {
      closeWithGrace({ delay: 10_000 }, async ({ err }) => {
        if (err) process.stderr.write(`shutting down after error: ${String(err)}\n`);
        await close();
      });
    })
    .catch((error: unknown) => {
      process.stderr.write(`Labroute failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
