// A transaction's ends on PostgreSQL (src/db/prepared-client.ts): BEGIN is held and sent with the first
// statement, and a statement marked `thenCommit` carries the COMMIT. Round trips are counted as the
// server's ReadyForQuery answers; what is stored is checked from another connection.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type DatabaseHandle, type Tx } from '../../src/db/database.js';
import { type GroupHandler, TransactionGroups } from '../../src/db/grouped-transactions.js';
import { CommitOutcomeError, PreparingClient, thenCommit } from '../../src/db/prepared-client.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

type Answer = { rows: Record<string, unknown>[]; command: string };

describe('transaction round trips on PostgreSQL', () => {
  let url: string;
  let client: PreparingClient;
  let observer: pg.Client;
  let roundTrips = 0;

  const run = (text: string, values?: unknown[]) => (client.query as (t: string, v?: unknown[]) => Promise<Answer>)(text, values);
  const stored = async () => (await observer.query<{ id: number }>('select id from trips order by id')).rows.map((r) => r.id);
  const counted = async <T>(work: () => Promise<T>): Promise<{ value: T; trips: number }> => {
    const start = roundTrips;
    const value = await work();
    return { value, trips: roundTrips - start };
  };

  before(async () => {
    assert.equal(backend, 'postgres', 'test/pg runs with LABROUTE_TEST_DB=postgres');
    url = await freshPostgresUrl();
    observer = new pg.Client(url);
    await observer.connect();
    await observer.query('create table trips (id int primary key, pair int unique deferrable initially deferred)');
    client = new PreparingClient(url);
    await client.connect();
    (client as unknown as { connection: pg.Connection }).connection.on('readyForQuery', () => {
      roundTrips += 1;
    });
  });
  after(async () => {
    await client?.end();
    await observer?.end();
  });
  beforeEach(async () => {
    await observer.query('truncate trips');
  });

  it('sends BEGIN with the first statement: one round trip, and the statements share one transaction', async () => {
    const begun = await counted(() => run('begin'));
    assert.equal(begun.trips, 0);
    assert.equal(begun.value.command, 'BEGIN');
    const first = await counted(() => run('insert into trips (id) values ($1) returning txid_current()::text as txid', [1]));
    assert.equal(first.trips, 1);
    const second = await run('select txid_current()::text as txid where $1::int = 1', [1]);
    assert.equal(second.rows[0].txid, first.value.rows[0].txid, 'same transaction');
    assert.deepEqual(await stored(), [], 'not visible before COMMIT');
    assert.equal((await counted(() => run('commit'))).trips, 1);
    assert.deepEqual(await stored(), [1]);
  });

  it('holds BEGIN before a statement without parameters too (sent first, as before)', async () => {
    await run('begin');
    const first = await run('select txid_current()::text as txid');
    const second = await run('select txid_current()::text as txid where $1::int = 1', [1]);
    assert.equal(second.rows[0].txid, first.rows[0].txid);
    await run('rollback');
  });

  it('a transaction without statements never reaches the server', async () => {
    const trips = await counted(async () => {
      await run('begin');
      assert.equal((await run('commit')).command, 'COMMIT');
      await run('begin');
      assert.equal((await run('rollback')).command, 'ROLLBACK');
    });
    assert.equal(trips.trips, 0);
  });

  it('a first statement that fails rejects with its own error; the transaction rolls back and the connection goes on', async () => {
    await observer.query('insert into trips (id) values (1)');
    await run('begin');
    await assert.rejects(
      run('insert into trips (id) values ($1)', [1]),
      (error: Error) => error instanceof pg.DatabaseError && /duplicate key/.test(error.message),
    );
    await run('rollback');
    assert.deepEqual((await run('select count(*)::int as n from trips where id > $1', [0])).rows, [{ n: 1 }]);
    await run('insert into trips (id) values ($1)', [2]);
    assert.deepEqual(await stored(), [1, 2], 'the statement, parsed before it failed, runs again');
  });

  it('a first statement that cannot be parsed fails the same way the next time, not as a missing prepared statement', async () => {
    const text = 'select * from no_such_table where id = $1';
    await run('begin');
    await assert.rejects(run(text, [1]), /relation "no_such_table" does not exist/);
    await run('rollback');
    await assert.rejects(run(text, [1]), /relation "no_such_table" does not exist/);
  });

  it("a statement marked thenCommit commits with it: one round trip, stored at once, the caller's COMMIT answered here", async () => {
    await run('begin');
    await run('insert into trips (id) values ($1)', [1]);
    const last = await counted(() => run('insert into trips (id) values ($1) returning id', thenCommit([2])));
    assert.equal(last.trips, 1);
    assert.deepEqual(last.value.rows, [{ id: 2 }]);
    assert.deepEqual(await stored(), [1, 2], "committed before the caller's COMMIT");
    const commit = await counted(() => run('commit'));
    assert.equal(commit.trips, 0);
    assert.equal(commit.value.command, 'COMMIT');
  });

  it('BEGIN, one statement and COMMIT in a single round trip', async () => {
    const trips = await counted(async () => {
      await run('begin');
      await run('insert into trips (id) values ($1)', thenCommit([3]));
      await run('commit');
    });
    assert.equal(trips.trips, 1);
    assert.deepEqual(await stored(), [3]);
  });

  it('a marked statement that fails skips its COMMIT: its own error, nothing stored, the rollback goes to the server', async () => {
    await observer.query('insert into trips (id) values (9)');
    await run('begin');
    await run('insert into trips (id) values ($1)', [1]);
    await assert.rejects(
      run('insert into trips (id) values ($1)', thenCommit([9])),
      (error: Error) => !(error instanceof CommitOutcomeError) && /duplicate key/.test(error.message),
    );
    assert.equal((await counted(() => run('rollback'))).trips, 1);
    assert.deepEqual(await stored(), [9]);
  });

  it('a COMMIT that fails after its statement succeeded is a CommitOutcomeError; nothing stored; the connection goes on', async () => {
    await run('begin');
    await run('insert into trips (id, pair) values ($1, 5)', [1]);
    await assert.rejects(
      run('insert into trips (id, pair) values ($1, 5)', thenCommit([2])),
      (error: Error) => error instanceof CommitOutcomeError && /duplicate key/.test(error.message),
    );
    assert.equal((await counted(() => run('rollback'))).trips, 0, 'no transaction is left to roll back');
    assert.deepEqual(await stored(), []);
    assert.deepEqual((await run('select $1::int as one', [1])).rows, [{ one: 1 }]);
  });

  it('a marked statement outside a transaction commits by itself and leaves the connection as it was', async () => {
    const alone = await counted(() => run('insert into trips (id) values ($1)', thenCommit([4])));
    assert.equal(alone.trips, 1);
    assert.deepEqual(await stored(), [4]);
    assert.deepEqual(
      (await run('select $1::int as one', [1])).rows,
      [{ one: 1 }],
      'the next statement is not taken for one after a COMMIT',
    );
  });

  it('a connection lost after sending a marked statement is a CommitOutcomeError: the COMMIT may have landed', async () => {
    const lost = new PreparingClient(url);
    await lost.connect();
    const query = (text: string, values?: unknown[]) => (lost.query as (t: string, v?: unknown[]) => Promise<Answer>)(text, values);
    const {
      rows: [{ pid }],
    } = await query('select pg_backend_pid() as pid');
    await query('begin');
    const sent = query('insert into trips (id) values ($1)', thenCommit([1]));
    (lost as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await assert.rejects(sent, CommitOutcomeError);
    assert.equal((await query('rollback')).command, 'ROLLBACK', 'nothing left to roll back; the pool discards the client');
    await lost.end().catch(() => undefined);
    // The server may still be running what was sent; the next test must not see it land after its truncate.
    while ((await observer.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount)
      await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('after a COMMIT sent with a statement, a rollback or another statement is refused, never passed off as done', async () => {
    await run('begin');
    await run('insert into trips (id) values ($1)', thenCommit([1]));
    await assert.rejects(run('rollback'), CommitOutcomeError);
    await run('begin');
    await run('insert into trips (id) values ($1)', thenCommit([2]));
    await assert.rejects(run('insert into trips (id) values ($1)', [3]), CommitOutcomeError);
    assert.deepEqual(await stored(), [1, 2], 'the statement after the COMMIT was not run');
  });
});

describe('group commit whose write carries the COMMIT (PostgreSQL)', () => {
  let database: DatabaseHandle;
  let writes: number;

  const handler: GroupHandler<{ id: number; pair?: number }, { id: number; pair?: number }, number> = {
    decide: async (_tx, works) => works.map((work) => ({ ok: true, decided: work })),
    async write(tx: Tx, entries) {
      writes += 1;
      const ids = entries.map((e) => e.decided.id);
      const pairs = entries.map((e) => e.decided.pair ?? null);
      const query = sql<{
        id: number;
      }>`insert into group_trips (id, pair) select * from unnest(${ids}::int[], ${pairs}::int[]) returning id`.compile(tx);
      const { rows } = await tx.executeQuery<{ id: number }>({ ...query, parameters: thenCommit([...query.parameters]) });
      return rows.map((r) => r.id);
    },
  };

  before(async () => {
    database = await createDatabase({ databaseUrl: await freshPostgresUrl(), poolSize: 2 });
    await sql`create table group_trips (id int primary key, pair int unique deferrable initially deferred)`.execute(database.db);
  });
  after(async () => database?.close());
  beforeEach(async () => {
    writes = 0;
    await sql`truncate group_trips`.execute(database.db);
  });

  const stored = async () => (await sql<{ id: number }>`select id from group_trips order by id`.execute(database.db)).rows.map((r) => r.id);

  it('commits a group through its write and answers every work', async () => {
    const groups = new TransactionGroups(database.db, handler, {
      concurrency: 1,
      maxSize: 10,
      maxQueued: 100,
      overloaded: () => new Error('overloaded'),
    });
    assert.deepEqual(await Promise.all([1, 2, 3].map((id) => groups.run({ id }))), [1, 2, 3]);
    assert.deepEqual(await stored(), [1, 2, 3]);
  });

  it("fails every work of a group whose write's COMMIT failed, and writes none of them again", async () => {
    const groups = new TransactionGroups(database.db, handler, {
      concurrency: 1,
      maxSize: 10,
      maxQueued: 100,
      overloaded: () => new Error('overloaded'),
    });
    const outcomes = await Promise.allSettled([groups.run({ id: 1 }), groups.run({ id: 2, pair: 7 }), groups.run({ id: 3, pair: 7 })]);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.ok((outcome as PromiseRejectedResult).reason instanceof CommitOutcomeError);
    }
    assert.equal(writes, 1, 'not written again alone');
    assert.deepEqual(await stored(), []);
    assert.deepEqual(await groups.run({ id: 4 }), 4, 'the pool goes on');
  });
});
