// The embedded database's stand-in for autovacuum: tables past autovacuum's thresholds are analyzed (and
// vacuumed when enough rows died or were added), so the planner picks the primary key for one order of a big
// team; a failed pass is reported and retried.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { maintainOnce, startPgliteMaintenance } from '../../src/db/pglite-maintenance.js';
import type { Database } from '../../src/db/schema.js';
import { seedLabAccount, seedOrg, seedTeam } from '../support/fixtures.js';
import { seedOrder } from '../support/order-fixtures.js';

async function planOf(database: DatabaseHandle, query: string, ...values: unknown[]): Promise<string> {
  const { rows } = await sql<{
    'QUERY PLAN': string;
  }>`explain ${sql.raw(query.replace(/\$(\d)/g, (_, n: string) => `'${String(values[Number(n) - 1])}'`))}`.execute(database.db);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

async function stats(database: DatabaseHandle, table: string) {
  const { rows } = await sql<{ n_mod_since_analyze: number; n_dead_tup: number; analyzed: boolean; vacuumed: boolean }>`
    select n_mod_since_analyze::int, n_dead_tup::int, last_analyze is not null as analyzed, last_vacuum is not null as vacuumed
    from pg_stat_user_tables where relname = ${table}`.execute(database.db);
  return rows[0];
}

/** Polls the async `check` until it holds; fails the test, naming `what`, after 10 s. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `${what} not reached in time`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('PGlite maintenance (autovacuum’s work on the embedded database)', () => {
  let database: DatabaseHandle;
  let order: { id: string };
  let team: { id: string };

  before(async () => {
    database = await createDatabase({});
    await database.migrate();
    const org = await seedOrg(database.db);
    team = await seedTeam(database.db, org.id);
    const account = await seedLabAccount(database.db, { orgId: org.id, teamIds: [team.id] });
    order = await seedOrder(database.db, { orgId: org.id, teamId: team.id, labAccountId: account.id });
    // 3,000 more orders of the same team: copies of the seeded one with their own id and sample id.
    await sql`
      do $$ declare cols text; begin
        select string_agg(quote_ident(column_name), ', ' order by ordinal_position) into cols
        from information_schema.columns where table_name = 'orders' and column_name not in ('id', 'seq', 'sample_id');
        execute format('insert into orders (id, sample_id, %s) select gen_random_uuid(), sample_id || ''-'' || g, %s from orders, generate_series(1, 3000) g', cols, cols);
      end $$`.execute(database.db);
  });
  after(async () => database.close());

  it('analyzes the tables past the thresholds, after which one order of a big team is read by its primary key', async () => {
    // A session publishes its statistics at most once a second; ask for it now and wait until they show.
    await sql`select pg_stat_force_next_flush()`.execute(database.db);
    await until(async () => (await stats(database, 'orders')).n_mod_since_analyze >= 3001, 'published statistics');
    const done = await maintainOnce(database.db);
    assert.ok(
      done.some((t) => t.relname === 'orders'),
      JSON.stringify(done),
    );
    const orders = await stats(database, 'orders');
    assert.equal(orders.analyzed, true);
    assert.equal(orders.n_mod_since_analyze, 0);
    const plan = await planOf(database, 'select * from orders where id = $1 and team_id = $2 and env = $3', order.id, team.id, 'sandbox');
    assert.match(plan, /orders_pkey/, plan);
    // 3,001 inserts are past the insert threshold: vacuumed, so the visibility map lets a count skip the table.
    assert.equal(orders.vacuumed, true);
    // Nothing is past a threshold any more.
    assert.deepEqual(await maintainOnce(database.db), []);
  });

  it('vacuums a table once enough of its rows died, from the timer, and stops cleanly', async () => {
    await database.db.deleteFrom('idempotency_keys').execute();
    await sql`insert into idempotency_keys (team_id, env, route, key, request_hash, state, expires_at)
      select ${team.id}::uuid, 'sandbox', 'POST /v3/order', 'k' || g, 'h', 'done', now() + interval '1 day' from generate_series(1, 400) g`.execute(
      database.db,
    );
    await maintainOnce(database.db);
    await sql`delete from idempotency_keys where key <> 'k1'`.execute(database.db);
    // The session's statistics reach pg_stat_user_tables within about a second; the timer keeps looking.
    const stop = startPgliteMaintenance(database.db, { intervalMs: 10 });
    try {
      await until(async () => (await stats(database, 'idempotency_keys')).vacuumed, 'a vacuum by the timer');
    } finally {
      await stop();
    }
    assert.equal((await stats(database, 'idempotency_keys')).n_dead_tup, 0);
  });

  it('reports a failed pass and tries again at the next tick', async () => {
    // A database nobody answers for: every pass fails to connect.
    const unreachable = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: 'postgres://labroute@127.0.0.1:1/none', connectionTimeoutMillis: 1000 }),
      }),
    });
    const errors: unknown[] = [];
    const stop = startPgliteMaintenance(unreachable, { intervalMs: 10, onError: (error) => errors.push(error) });
    try {
      await until(async () => errors.length >= 2, 'two reported failures');
    } finally {
      await stop();
      await unreachable.destroy();
    }
    assert.ok(errors[0] instanceof Error);
  });
});
