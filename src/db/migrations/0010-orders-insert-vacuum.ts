// GET /v3/orders counts the team's orders with an index-only scan, which must read the table itself for every
// row on a page the visibility map does not yet mark all-visible; only VACUUM marks pages. PostgreSQL's
// autovacuum vacuums an insert-only table after 1,000 rows + 20% of its size, so at 1,000,000 orders the newest
// ~200,000 never are: `npm run bench:scale` (2026-12-03) measured the page at 2.8× its near-empty time, and a
// team of 40,000 fresh orders counted in 11.3 ms by a sequential scan against 4.3 ms once vacuumed (page
// 85 → 155 req/s). Orders are now vacuumed every 10,000 inserts whatever the table's size; such a vacuum only
// reads the pages written since the last one. (PGlite has no autovacuum; pglite-maintenance.ts does its work.)
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table orders set (autovacuum_vacuum_insert_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0);
  `,
  );
}
