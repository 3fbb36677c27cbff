// Parameterised statements run as pg named prepared statements on both backends (src/db/named-statements.ts):
// one prepared statement per query shape, reused with other values, and the same row types on PGlite as on
// PostgreSQL since both go through pg.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.js';
import { backend, openTestDatabase } from '../support/test-app.js';

describe(`named statements (${backend})`, () => {
  let database: DatabaseHandle;
  before(async () => {
    // One connection, so pg_prepared_statements shows what this pool prepared.
    database = await openTestDatabase({ poolSize: 1 });
  });
  after(async () => database?.close());

  const prepared = async () =>
    (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(database.db)).rows;

  it('prepares a parameterised shape once, reuses it with other values, and leaves statements without parameters alone', async () => {
    const db = database.db;
    const query = (name: string) => db.selectFrom('orgs').select('id').where('name', '=', name).execute();
    await query('first');
    await query('second');
    const shapes = (await prepared()).filter((p) => p.statement.includes('from "orgs" where "name" = $1'));
    assert.equal(shapes.length, 1);
    assert.match(shapes[0].name, /^lr_/);
    assert.deepEqual(await query('third'), []);
    await sql`select 1 as one`.execute(db);
    assert.ok(!(await prepared()).some((p) => p.statement.includes('select 1 as one')));
  });

  it('gives the same value types on both backends: int8 as text, date as text, jsonb parsed, timestamptz as Date', async () => {
    const { rows } = await sql<{ n: unknown; d: unknown; j: unknown; t: unknown; q: unknown }>`
      select ${'9007199254740993'}::int8 as n, ${'2001-02-03'}::date as d, ${JSON.stringify({ a: [1, "it's"] })}::jsonb as j,
        ${'2026-01-02T03:04:05.678Z'}::timestamptz as t, ${"O'Brien"}::text as q`.execute(database.db);
    assert.deepEqual(rows[0], {
      n: '9007199254740993',
      d: '2001-02-03',
      j: { a: [1, "it's"] },
      t: new Date('2026-01-02T03:04:05.678Z'),
      q: "O'Brien",
    });
  });

  it('reports a failing statement with its PostgreSQL error and goes on', async () => {
    await assert.rejects(
      sql`select 1 / ${0}::int as boom`.execute(database.db),
      (error: Error & { code?: string }) => error.code === '22012',
    );
    await assert.rejects(
      database.db.transaction().execute(async (tx) => {
        await sql`select ${1}::int as one`.execute(tx);
        await sql`select 1 / ${0}::int as boom`.execute(tx);
      }),
      /division by zero/,
    );
    const { rows } = await sql<{ one: number }>`select ${1}::int as one`.execute(database.db);
    assert.deepEqual(rows, [{ one: 1 }]);
  });
});
