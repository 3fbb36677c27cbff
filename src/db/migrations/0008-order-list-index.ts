// GET /v3/orders sorts a team's orders by created_at then seq. The first list index ended in `id`, so every
// page sorted all of the team's orders; with `seq` the page is read from the index in order (forwards or
// backwards), and the count is an index scan.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index orders_team_created_idx on orders (team_id, env, created_at, seq);
    drop index orders_team_idx;
  `,
  );
}
