// A pooled connection that PostgreSQL drops while a transaction holds it fails that transaction only: the
// process goes on and the pool opens a new connection.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase } from '../../src/db/database.js';
import { freshPostgresUrl } from '../support/test-app.js';

describe('a connection dropped while checked out', () => {
  it('fails its transaction, does not end the process, and the pool recovers', async () => {
    const url = await freshPostgresUrl();
    const database = await createDatabase({ databaseUrl: url, poolSize: 1 });
    const admin = await createDatabase({ databaseUrl: url, poolSize: 1 });
    try {
      await database.migrate();
      const failure = database.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        // Killed between two queries of the transaction: no query is active when the connection drops.
        await sql`select pg_terminate_backend(${rows[0].pid})`.execute(admin.db);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await sql`select 1 as one`.execute(tx);
      });
      await assert.rejects(failure);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      assert.deepEqual(rows, [{ one: 1 }]);
    } finally {
      await database.close().catch(() => undefined);
      await admin.close();
    }
  });
});
