// Load shedding on database-pool exhaustion: when as many requests already wait for a PostgreSQL connection
// as the pool has connections, a new request would only queue behind them and time out, so it is answered
// at once with 503 `overloaded` and `Retry-After` (SPEC.md catalogue) before it touches the database.
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../db/database.js';
import { overloaded } from '../domain/errors.js';

/** Routes that never use the database (static files, the API documents) are always served. */
const DATABASE_FREE_PREFIXES = ['/dashboard', '/docs', '/openapi.json'];

/** True when a new request should be shed: `waiting` callers already queue for `poolSize` connections. */
export function poolIsExhausted(stats: { waiting: number } | null, poolSize: number): boolean {
  return stats !== null && stats.waiting >= poolSize;
}

/**
 * Installs the check as an onRequest hook. Register it before authentication (which queries the database)
 * so that a shed request costs no connection. PGlite has no pool (`poolStats()` is null): nothing is shed.
 */
export function registerPoolShedding(app: FastifyInstance, database: DatabaseHandle, poolSize: number): void {
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    // Unknown routes go to the not-found handler, which needs no connection.
    if (!url || DATABASE_FREE_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))) return;
    if (poolIsExhausted(database.poolStats(), poolSize)) {
      throw overloaded();
    }
  });
}
