// Load shedding (issue #7 item 6): under overload the server answers 503 `overloaded` with Retry-After at
// once instead of queueing until timeouts, and recovers by itself. Overload is induced by configuration —
// a pool of one connection held by a lock the test controls, and a tiny event-loop-delay threshold — not
// by racing the clock.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { orderWorld } from '../support/order-world.js';
import { backend, createTestApp, type TestApp } from '../support/test-app.js';

const op = (t: TestApp) => ({ 'x-operator-key': t.operatorKey });

/** Polls `probe` until it returns true (every 20 ms, at most `limitMs`). */
async function until(probe: () => Promise<boolean> | boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fails fast (instead of at the test timeout) when requests hang: only the failure path depends on time. */
async function answeredWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function assertOverloaded(res: { statusCode: number; headers: Record<string, unknown>; json: () => any }, context: string): void {
  assert.equal(res.statusCode, 503, context);
  assert.equal(res.headers['retry-after'], '1', `${context}: Retry-After`);
  const body = res.json();
  assert.equal(body.code, 'overloaded', context);
  assert.equal(typeof body.detail, 'string');
  assert.equal(typeof body.request_id, 'string');
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${context}: security headers on the 503`);
}

describe('load shedding (PostgreSQL)', () => {
  const apps: TestApp[] = [];
  after(async () => {
    for (const t of apps) await t.close();
  });

  it('pool of 1 held by a lock: the next waiter queues, the rest get 503 overloaded at once, and it recovers', {
    timeout: 60_000,
  }, async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    const t = await createTestApp({ LABROUTE_DB_POOL_SIZE: '1', LABROUTE_MAX_EVENT_LOOP_DELAY_MS: '0' });
    apps.push(t);
    const created = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(t), payload: { name: 'Shed Org' } });
    assert.equal(created.statusCode, 201, created.body);
    const stats = () => t.database.poolStats()!;
    assert.equal(stats().total, 1);

    // Hold a lock that every org insert needs, from a connection outside the app's pool.
    const url = new URL(process.env.LABROUTE_TEST_PG_URL!);
    const dbName = (await t.database.db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('name')).executeTakeFirstOrThrow())
      .name;
    url.pathname = `/${dbName}`;
    const locker = new pg.Client({ connectionString: url.toString() });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table orgs in access exclusive mode');

      // A takes the only connection and blocks on the lock; B waits for the connection.
      const a = t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(t), payload: { name: 'Shed A' } });
      // pg_stat_activity is snapshotted once per transaction: clear the snapshot before each look.
      await until(
        async () =>
          (await locker.query('select pg_stat_clear_snapshot()'),
          await locker.query(
            `select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
            [dbName],
          )).rows[0].n >= 1,
        'request A to block on the lock',
      );
      const b = t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(t), payload: { name: 'Shed B' } });
      await until(() => stats().waiting >= 1, 'request B to wait for the pool');

      // Every further request that needs the database is shed at once, while the lock is still held.
      const shed = await answeredWithin(
        Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            i % 2 === 0
              ? t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(t), payload: { name: `Shed ${i}` } })
              : t.request({ method: 'GET', url: '/whoami', headers: op(t) }),
          ),
        ),
        10_000,
        'requests queued behind the exhausted pool instead of being shed',
      );
      for (const [i, res] of shed.entries()) assertOverloaded(res, `request ${i} under exhaustion`);
      assert.equal(stats().waiting, 1, 'shed requests did not queue');
      // Routes that need no database are still served.
      assert.equal((await t.request({ method: 'GET', url: '/openapi.json' })).statusCode, 200);
      const unknown = await t.request({ method: 'GET', url: '/no-such-route' });
      assert.equal(unknown.statusCode, 404);

      await locker.query('commit');
      assert.equal((await a).statusCode, 201, 'the request holding the connection completes');
      assert.equal((await b).statusCode, 201, 'the queued request completes');
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
    // Recovered without intervention.
    await until(() => stats().waiting === 0, 'the pool queue to drain');
    const again = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(t), payload: { name: 'Shed After' } });
    assert.equal(again.statusCode, 201, again.body);
    const names = await t.database.db.selectFrom('orgs').select('name').where('name', 'like', 'Shed%').execute();
    assert.deepEqual(names.map((r) => r.name).sort(), ['Shed A', 'Shed After', 'Shed B', 'Shed Org'], 'shed requests wrote nothing');
  });

  it('order placements waiting for a group beyond 64: 503 overloaded at once; the waiting ones complete', { timeout: 60_000 }, async () => {
    const t = await createTestApp({ LABROUTE_MAX_EVENT_LOOP_DELAY_MS: '0' });
    apps.push(t);
    const w = await orderWorld(t);
    const account = await w.account();
    assert.equal((await w.post(w.body())).statusCode, 200, 'warm the caches');
    const url = new URL(process.env.LABROUTE_TEST_PG_URL!);
    const dbName = (await t.database.db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('name')).executeTakeFirstOrThrow())
      .name;
    url.pathname = `/${dbName}`;
    const locker = new pg.Client({ connectionString: url.toString() });
    await locker.connect();
    const lockWaiters = async () =>
      (await locker.query('select pg_stat_clear_snapshot()'),
      await locker.query(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        [dbName],
      )).rows[0].n as number;
    try {
      // Placement locks the cell's accounts FOR SHARE: holding one FOR UPDATE stalls both groups in flight.
      await locker.query('begin');
      await locker.query('select id from lab_accounts where id = $1 for update', [account.id]);
      const inFlight = [w.post(w.body())];
      await until(async () => (await lockWaiters()) >= 1, 'the first group to block');
      inFlight.push(w.post(w.body()));
      await until(async () => (await lockWaiters()) >= 2, 'the second group to block');
      let settled = 0;
      const burst = Array.from({ length: 68 }, () =>
        w.post(w.body()).finally(() => {
          settled += 1;
        }),
      );
      await until(() => settled >= 4, 'the placements beyond the queue to be refused');
      assert.equal(settled, 4, 'only the placements beyond 64 waiting were answered');
      await locker.query('commit');
      const answers = await answeredWithin(Promise.all([...inFlight, ...burst]), 20_000, 'the waiting placements did not complete');
      const refused = answers.filter((res) => res.statusCode === 503);
      assert.equal(refused.length, 4);
      for (const res of refused) assertOverloaded(res, 'placement beyond the group queue');
      assert.deepEqual(
        answers.filter((res) => res.statusCode !== 503).map((res) => res.statusCode),
        Array(66).fill(200),
      );
      const stored = await t.database.db.selectFrom('orders').select('id').where('team_id', '=', w.team.id).execute();
      assert.equal(stored.length, 1 + 66, 'refused placements wrote nothing');
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
  });

  it('a pool that is busy but has no queue serves everyone (no false shedding)', { timeout: 60_000 }, async () => {
    const t = await createTestApp({ LABROUTE_DB_POOL_SIZE: '4', LABROUTE_MAX_EVENT_LOOP_DELAY_MS: '0' });
    apps.push(t);
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(t), payload: { name: `Busy ${i}` } }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.statusCode),
      [201, 201, 201, 201],
    );
  });

  it('event-loop delay over LABROUTE_MAX_EVENT_LOOP_DELAY_MS: 503 overloaded with Retry-After, then recovery', {
    timeout: 90_000,
  }, async () => {
    const t = await createTestApp({ LABROUTE_MAX_EVENT_LOOP_DELAY_MS: '25' });
    apps.push(t);
    await until(async () => (await t.request({ method: 'GET', url: '/whoami', headers: op(t) })).statusCode === 200, 'a healthy start');
    // Stall the event loop (the overload), then ask: the sampler has seen the delay and sheds.
    let shedResponse;
    for (let attempt = 0; attempt < 15 && !shedResponse; attempt += 1) {
      const stallUntil = Date.now() + 1_500;
      while (Date.now() < stallUntil) {
        /* busy: the event loop is blocked */
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      const res = await t.request({ method: 'GET', url: '/whoami', headers: op(t) });
      if (res.statusCode === 503) shedResponse = res;
    }
    assert.ok(shedResponse, 'no 503 while the event loop was stalled');
    assertOverloaded(shedResponse, 'event-loop delay');
    // Without further stalls the next samples are normal again and requests are served.
    await until(async () => (await t.request({ method: 'GET', url: '/whoami', headers: op(t) })).statusCode === 200, 'recovery', 30_000);
  });
});
