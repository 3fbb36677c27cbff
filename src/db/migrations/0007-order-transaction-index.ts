// Every order view loads its transaction's member orders by order_transaction_id; without this index that
// was a full scan of orders (found by `npm run bench:scale` at 1,000,000 orders).
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index orders_transaction_idx on orders (order_transaction_id);
    create index result_deliveries_unmatched_idx on result_deliveries (unmatched_result_id) where unmatched_result_id is not null;
  `,
  );
}
