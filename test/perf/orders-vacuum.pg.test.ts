// Orders are vacuumed every 10,000 inserts on PostgreSQL (migration 0010), so the index-only count of
// GET /v3/orders keeps finding its pages all-visible however large the table grows.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

describe('orders autovacuum settings (PostgreSQL)', () => {
  let database: DatabaseHandle;
  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    database = await createDatabase({ databaseUrl: await freshPostgresUrl() });
    await database.migrate();
  });
  after(async () => database?.close());

  it('vacuums orders after 10,000 inserts whatever the table size', async () => {
    const { rows } = await sql<{ option: string }>`
      select unnest(reloptions) as option from pg_class where oid = 'orders'::regclass`.execute(database.db);
    assert.deepEqual(rows.map((r) => r.option).sort(), [
      'autovacuum_vacuum_insert_scale_factor=0',
      'autovacuum_vacuum_insert_threshold=10000',
    ]);
  });
});
