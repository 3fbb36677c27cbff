#!/usr/bin/env node
// Writes the generated OpenAPI document (from the built server's route schemas) to dashboard/generated/,
// where openapi-typescript turns it into the dashboard's typed client. Needs no database: routes are only
// registered, never called.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildApp } from '../dist/src/app.js';
import { loadConfig } from '../dist/src/config.js';

const unusedDatabase = new Proxy(
  {},
  {
    get: () => {
      throw new Error('no database while exporting OpenAPI');
    },
  },
);
const app = await buildApp({
  config: loadConfig({ LOG_LEVEL: 'silent' }),
  database: {
    db: unusedDatabase,
    backend: 'pglite',
    migrate: async () => {},
    ping: async () => true,
    poolStats: () => null,
    subscribe: async () => async () => {},
    close: async () => {},
  },
  logger: false,
});
await app.ready();
mkdirSync('dashboard/generated', { recursive: true });
writeFileSync('dashboard/generated/openapi.json', `${JSON.stringify(app.swagger(), null, 1)}\n`);
await app.close();
console.log('wrote dashboard/generated/openapi.json');
