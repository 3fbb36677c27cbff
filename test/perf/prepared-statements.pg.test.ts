// Parameterised statements are prepared once per connection (src/db/prepared-client.ts): the second run of a
// query shape reuses the server's prepared statement; statements without parameters are not prepared.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

describe('prepared statements on PostgreSQL', () => {
  let database: DatabaseHandle;
  before(async () => {
    assert.equal(backend, 'postgres', 'test/pg runs with LABROUTE_TEST_DB=postgres');
    // One connection, so pg_prepared_statements shows what this pool prepared.
    database = await createDatabase({ databaseUrl: await freshPostgresUrl(), poolSize: 1 });
    await database.migrate();
  });
  after(async () => database?.close());

  it('prepares a parameterised query shape once and reuses it with other values', async () => {
    const db = database.db;
    const prepared = async () =>
      (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db)).rows;
    const query = (name: string) => db.selectFrom('orgs').select('id').where('name', '=', name).execute();
    await query('first');
    await query('second');
    const shapes = (await prepared()).filter((p) => p.statement.includes('from "orgs" where "name" = $1'));
    assert.equal(shapes.length, 1);
    assert.match(shapes[0].name, /^lr_/);
    assert.deepEqual(await query('third'), []);
    // A statement without parameters runs unprepared.
    await sql`select 1 as one`.execute(db);
    assert.ok(!(await prepared()).some((p) => p.statement.includes('select 1 as one')));
  });
});

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
