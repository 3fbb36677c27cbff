// The total of GET /v3/orders comes from a count kept beside the orders (migration 0011), in parts per
// writing backend that reads fold together. These tests drive it with real backends on PostgreSQL: totals stay
// exact across backends, folds, deletes, truncation and a database migrated with orders already in it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { createDatabase } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { compactOrderCounts, ORDER_COUNT_PARTS_TO_FOLD } from '../../src/modules/orders/orders.repository.js';
import { seedLabAccount, seedOrg, seedTeam } from '../support/fixtures.js';
import { seedOrder } from '../support/order-fixtures.js';
import { orderWorld } from '../support/order-world.js';
import { backend, createTestApp, freshPostgresUrl, type TestApp } from '../support/test-app.js';

type World = Awaited<ReturnType<typeof orderWorld>>;

/** Copies an order (with a first event) under a new id and sample id, counted as placement counts its orders. */
const CLONE_ORDER = `
  with copy as (
    insert into orders select (jsonb_populate_record(null::orders, to_jsonb(o) || jsonb_build_object(
      'id', gen_random_uuid(), 'seq', nextval('orders_seq_seq'), 'sample_id', 'CL' || nextval('orders_seq_seq')))).*
    from orders o where o.id = $1 returning id, collection_method, team_id, env),
  counted as (
    insert into order_counts as c (team_id, env, shard, n) select team_id, env, pg_backend_pid(), count(*) from copy group by team_id, env
    on conflict (team_id, env, shard) do update set n = c.n + excluded.n)
  insert into order_events (order_id, status) select id, 'received.' || collection_method || '.ordered' from copy`;

describe('order counts behind the GET /v3/orders total (PostgreSQL)', () => {
  let t: TestApp;
  let w: World;
  let url: string;
  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    t = await createTestApp({ LABROUTE_DB_POOL_SIZE: '4' });
    w = await orderWorld(t);
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.database.db);
    const u = new URL(process.env.LABROUTE_TEST_PG_URL!);
    u.pathname = `/${rows[0].name}`;
    url = u.toString();
  });
  after(async () => t?.close());

  const list = async (query = '') => {
    const res = await t.request({ method: 'GET', url: `/v3/orders${query}`, headers: { 'x-vital-api-key': w.key } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { orders: { id: string }[]; total: number };
  };
  const stored = async () =>
    Number(
      (
        await sql<{ n: string }>`
    select count(*) as n from orders where team_id = ${w.team.id} and env = 'sandbox'`.execute(t.database.db)
      ).rows[0].n,
    );
  const parts = async () =>
    (
      await sql<{ shard: number; n: string }>`
    select shard, n from order_counts where team_id = ${w.team.id} and env = 'sandbox' order by shard`.execute(t.database.db)
    ).rows;
  /** Runs `statement` on a connection of its own, so on a backend (pid) no other statement used. */
  const onNewBackend = async (statement: string, values: unknown[]) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement, values);
    } finally {
      await client.end();
    }
  };

  it('counts orders placed concurrently through the API exactly', async () => {
    await w.account();
    const placed = await Promise.all(Array.from({ length: 24 }, () => w.post(w.body())));
    for (const res of placed) assert.equal(res.statusCode, 200, res.body);
    const page = await list('?size=5');
    assert.equal(page.total, 24);
    assert.equal(page.orders.length, 5);
    assert.equal(await stored(), 24);
    // Written by the pool's backends, each to its own part.
    const kept = await parts();
    assert.ok(kept.length >= 1 && kept.every((p) => p.shard !== 0), JSON.stringify(kept));
    assert.equal(
      kept.reduce((sum, p) => sum + Number(p.n), 0),
      24,
    );
  });

  it('a filtered list still counts the rows it matches', async () => {
    const [first] = (await list('?size=1')).orders;
    const cancelled = await t.request({ method: 'POST', url: `/v3/order/${first.id}/cancel`, headers: { 'x-vital-api-key': w.key } });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal((await list('?status=cancelled')).total, 1);
    assert.equal((await list()).total, 24);
  });

  it('a read that finds many parts folds them into one, and the total does not move', async () => {
    const template = (await list('?size=1')).orders[0].id;
    const backends = ORDER_COUNT_PARTS_TO_FOLD + 1;
    for (let i = 0; i < backends; i++) await onNewBackend(CLONE_ORDER, [template]);
    const expected = 24 + backends;
    assert.ok((await parts()).length > ORDER_COUNT_PARTS_TO_FOLD);
    assert.equal((await list()).total, expected);
    const folded = await parts();
    assert.deepEqual(folded, [{ shard: 0, n: String(expected) }]);
    assert.equal((await list()).total, expected);
    assert.equal(await stored(), expected);
  });

  it('a fold skips the part of a transaction still writing, without waiting for it, and loses nothing', async () => {
    const template = (await list('?size=1')).orders[0].id;
    const before = (await list()).total;
    await onNewBackend(CLONE_ORDER, [template]);
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query(CLONE_ORDER, [template]);
      // The writer's part is locked until it commits; a fold that waited for it would never return here.
      const folded = await compactOrderCounts(t.database.db, { teamId: w.team.id, env: 'sandbox' });
      assert.equal(folded, 1);
      assert.equal((await list()).total, before + 1);
      await writer.query('commit');
    } finally {
      await writer.end();
    }
    assert.equal((await list()).total, before + 2);
    assert.equal(await stored(), before + 2);
    assert.equal((await parts()).length, 2);
  });

  it('keeps the count through deletes and a truncate done in SQL', async () => {
    const before = (await list()).total;
    const [victim] = (await list('?size=1')).orders;
    await sql`delete from order_events where order_id = ${victim.id}`.execute(t.database.db);
    await sql`delete from result_deliveries where order_id = ${victim.id}`.execute(t.database.db);
    await sql`delete from orders where id = ${victim.id}`.execute(t.database.db);
    assert.equal((await list()).total, before - 1);
    await sql`truncate orders cascade`.execute(t.database.db);
    assert.equal((await list()).total, 0);
    assert.equal((await parts()).length, 0);
  });
});

describe('migration 0011 on a database that already has orders (PostgreSQL)', () => {
  it('counts the orders already stored, and the documented recount mends an uncounted order', async () => {
    const database = await createDatabase({ databaseUrl: await freshPostgresUrl() });
    try {
      const migrator = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'labroute_migration',
        migrationLockTableName: 'labroute_migration_lock',
      });
      const to0010 = await migrator.migrateTo('0010-orders-insert-vacuum');
      assert.equal(to0010.error, undefined);
      const db = database.db;
      const org = await seedOrg(db);
      const team = await seedTeam(db, org.id);
      const account = await seedLabAccount(db, { orgId: org.id, region: 'us', lab: 'quest', teamIds: [team.id] });
      for (let i = 0; i < 3; i++) await seedOrder(db, { orgId: org.id, teamId: team.id, labAccountId: account.id, uncounted: true });
      await seedOrder(db, { orgId: org.id, teamId: team.id, labAccountId: account.id, env: 'production', uncounted: true });
      await database.migrate();
      const { rows } = await sql<{ env: string; shard: number; n: string }>`
        select env, shard, n from order_counts where team_id = ${team.id} order by env`.execute(db);
      assert.deepEqual(rows, [
        { env: 'production', shard: 0, n: '1' },
        { env: 'sandbox', shard: 0, n: '3' },
      ]);
      // An order placed without counting (an older instance after the migration), then the recount of
      // docs/operators.md, statement for statement.
      await seedOrder(db, { orgId: org.id, teamId: team.id, labAccountId: account.id, uncounted: true });
      await db.transaction().execute(async (tx) => {
        await sql`lock table orders in share mode`.execute(tx);
        await sql`delete from order_counts where team_id = ${team.id} and env = ${'sandbox'}`.execute(tx);
        await sql`insert into order_counts select team_id, env, 0, count(*) from orders where team_id = ${team.id} and env = ${'sandbox'} group by 1, 2`.execute(
          tx,
        );
      });
      const recounted = await sql<{
        n: string;
      }>`select sum(n) as n from order_counts where team_id = ${team.id} and env = 'sandbox'`.execute(db);
      assert.equal(recounted.rows[0].n, '4');
    } finally {
      await database.close();
    }
  });
});
