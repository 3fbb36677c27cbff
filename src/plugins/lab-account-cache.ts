// The application's lab-account cache (modules/lab-accounts/lab-account-cache.ts), one per app and database:
// decorated as `app.labAccountCache`, and kept in step with every instance's writes through NOTIFY while the
// app runs.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DatabaseHandle } from '../db/database.js';
import { LabAccountCache, listenForLabAccountChanges } from '../modules/lab-accounts/lab-account-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    labAccountCache: LabAccountCache;
  }
}

export default fp(
  async (app: FastifyInstance, options: { database: DatabaseHandle }) => {
    const cache = new LabAccountCache(options.database.db);
    app.decorate('labAccountCache', cache);
    let stop: (() => Promise<void>) | null = null;
    app.addHook('onReady', async () => {
      stop = await listenForLabAccountChanges(options.database, cache);
    });
    app.addHook('onClose', async () => {
      await stop?.();
    });
  },
  { name: 'lab-account-cache' },
);
