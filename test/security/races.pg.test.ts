// Races on PostgreSQL through the public API (issue #7 item 3): unlink and suspension against order
// placement, two PATCHes with one If-Match, concurrent idempotent retries, and result intake against
// cancellation. Each race runs many times concurrently, plus forced interleavings: the test holds a table
// lock from its own connection so one request stops inside its transaction while the other runs, which
// makes the dangerous interleaving happen every time instead of by luck.

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type ApiResponse, authHeaders, injectSender, type Send } from '../support/security/api-client.js';
import { type OrderingTenant, setUpOrderingTenant } from '../support/security/tenant.js';
import { backend, createTestApp, type TestApp } from '../support/test-app.js';

const ITERATIONS = Number(process.env.LABROUTE_RACE_ITERATIONS ?? 20);

describe('races on PostgreSQL', () => {
  let t: TestApp;
  let send: Send;
  let tenant: OrderingTenant;
  let dbUrl: string;
  let dbName: string;

  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    // A pool larger than any burst below, so load shedding never answers for the race.
    t = await createTestApp({ LABROUTE_DB_POOL_SIZE: '40' });
    send = injectSender(t.app);
    tenant = await setUpOrderingTenant(send, t.operatorKey, 'production');
    dbName = (await t.database.db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('name')).executeTakeFirstOrThrow()).name;
    const url = new URL(process.env.LABROUTE_TEST_PG_URL!);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
  });
  after(async () => t?.close());

  const team = () => authHeaders(tenant.teamKey);
  const admin = () => authHeaders(tenant.admin);
  const operator = () => ({ 'x-operator-key': t.operatorKey });
  const accountPath = (id: string) => `/v1/org/${tenant.orgId}/lab_account/${tenant.env}/us/${id}`;
  const placeOrder = (accountId: string, extra: Record<string, string> = {}, overrides: Record<string, unknown> = {}) =>
    send({ method: 'POST', url: '/v3/order', headers: { ...team(), ...extra }, body: tenant.orderBody(accountId, overrides) });
  const unlink = (accountId: string) =>
    send({ method: 'PATCH', url: accountPath(accountId), headers: admin(), body: { team_id_allowlist: [] } });
  const suspend = (accountId: string) =>
    send({ method: 'PATCH', url: `/operator/v1/lab_accounts/${accountId}`, headers: operator(), body: { status: 'suspended' } });
  const ordersOn = async (accountId: string) =>
    Number(
      (
        await t.database.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('lab_account_id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** A connection outside the app, holding a table lock until `release`. */
  async function holdLock(
    table: string,
    mode: string,
  ): Promise<{ client: pg.Client; release: () => Promise<void>; waiters: () => Promise<number> }> {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query('begin');
    await client.query(`lock table ${table} in ${mode} mode`);
    let released = false;
    return {
      client,
      // pg_stat_activity is snapshotted once per transaction: clear the snapshot to see the present.
      waiters: async () =>
        (await client.query('select pg_stat_clear_snapshot()'),
        await client.query(
          `select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
          [dbName],
        )).rows[0].n,
      release: async () => {
        if (released) return;
        released = true;
        await client.query('commit');
        await client.end();
      },
    };
  }

  /** Resolves when `n` backends wait for a lock, or rejects when `request` answers first (it never reached the lock). */
  async function blockedAt(
    lock: { waiters: () => Promise<number> },
    n: number,
    request: Promise<ApiResponse>,
    what: string,
  ): Promise<void> {
    let answered: ApiResponse | undefined;
    void request.then((res) => {
      answered = res;
    });
    for (;;) {
      if ((await lock.waiters()) >= n) return;
      if (answered) throw new Error(`${what} answered ${answered.status} before reaching the locked table: ${answered.text.slice(0, 300)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Whether `request` finishes or itself blocks on a lock (n waiters) first. */
  async function finishesOrBlocks(
    lock: { waiters: () => Promise<number> },
    n: number,
    request: Promise<ApiResponse>,
  ): Promise<'finished' | 'blocked'> {
    let answered = false;
    void request.then(() => {
      answered = true;
    });
    for (;;) {
      if (answered) return 'finished';
      if ((await lock.waiters()) >= n) return 'blocked';
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** SPEC.md: an order commits only on an account linked to the team and active at commit time. */
  async function raceAgainstOrder(change: (accountId: string) => Promise<ApiResponse>, refusal: { status: number; code: string }) {
    // Forced: the order stops at its write while the change runs; if the change commits first, the order must fail.
    const forced = await tenant.addAccount();
    const lock = await holdLock('orders', 'share');
    let order: Promise<ApiResponse> | undefined;
    let changed: Promise<ApiResponse> | undefined;
    try {
      order = placeOrder(forced.id);
      await blockedAt(lock, 1, order, 'POST /v3/order');
      changed = change(forced.id);
      const state = await finishesOrBlocks(lock, 2, changed);
      await lock.release();
      const [o, c] = await Promise.all([order, changed]);
      assert.equal(c.status, 200, `the change failed: ${c.text.slice(0, 200)}`);
      if (state === 'finished') {
        assert.equal(
          o.status,
          refusal.status,
          `the change committed while the order was in flight, yet the order answered ${o.status}: ${o.text.slice(0, 200)}`,
        );
        assert.equal(o.json?.code, refusal.code);
        assert.equal(await ordersOn(forced.id), 0);
      } else {
        // The change waited for the order's lock: the order committed while the account was still usable.
        assert.equal(o.status, 200, o.text.slice(0, 200));
        assert.equal(o.json.order.lab_account_id ?? forced.id, forced.id);
      }
    } finally {
      await lock.release();
      await Promise.allSettled([order, changed].filter(Boolean) as Promise<unknown>[]);
    }

    // Free-running: both at once, many times; every outcome must be one SPEC.md allows.
    const outcomes = new Map<string, number>();
    for (let i = 0; i < ITERATIONS; i += 1) {
      const account = await tenant.addAccount();
      // Alternate which request is sent first.
      let o: ApiResponse;
      let c: ApiResponse;
      if (i % 2 === 0) [o, c] = await Promise.all([placeOrder(account.id), change(account.id)]);
      else [c, o] = await Promise.all([change(account.id), placeOrder(account.id)]);
      assert.equal(c.status, 200, c.text.slice(0, 200));
      assert.ok(
        o.status === 200 || (o.status === refusal.status && o.json?.code === refusal.code),
        `iteration ${i}: order answered ${o.status} ${o.text.slice(0, 200)}`,
      );
      assert.equal(await ordersOn(account.id), o.status === 200 ? 1 : 0, `iteration ${i}: orders stored on the account`);
      // After the change, the account takes no new order.
      const late = await placeOrder(account.id);
      assert.equal(late.status, refusal.status, `iteration ${i}: an order after the change answered ${late.status}`);
      outcomes.set(String(o.status), (outcomes.get(String(o.status)) ?? 0) + 1);
    }
    return outcomes;
  }

  it('unlink vs order placement: no order commits on an account unlinked before the commit', { timeout: 120_000 }, async () => {
    await raceAgainstOrder(unlink, { status: 404, code: 'lab_account_not_found' });
  });

  it('suspension vs order placement: no order commits on an account suspended before the commit', { timeout: 120_000 }, async () => {
    await raceAgainstOrder(suspend, { status: 400, code: 'lab_account_not_active' });
  });

  it('two PATCHes with the same If-Match: exactly one 200, the other 412 precondition_failed', { timeout: 120_000 }, async () => {
    const account = await tenant.addAccount();
    for (let i = 0; i < ITERATIONS; i += 1) {
      const current = await send({ method: 'GET', url: accountPath(account.id), headers: admin() });
      assert.equal(current.status, 200, current.text);
      const etag = String(current.headers.etag);
      assert.ok(etag && etag !== 'undefined', 'GET answers an ETag');
      const bodies = [{ team_id_allowlist: [tenant.teamId] }, { team_id_allowlist: [] }];
      const results = await Promise.all(
        bodies.map((body) =>
          send({
            method: 'PATCH',
            url: accountPath(account.id),
            headers: { ...admin(), 'if-match': etag },
            body,
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 412], `iteration ${i}: ${results.map((r) => r.text.slice(0, 120)).join(' | ')}`);
      const loser = results.find((r) => r.status === 412)!;
      assert.equal(loser.json?.code, 'precondition_failed');
      const winner = results.find((r) => r.status === 200)!;
      assert.notEqual(winner.headers.etag, etag, 'the winner answers a new ETag');
      // The stored allowlist is the winner's, and the history has exactly one new entry for it.
      const after = await send({ method: 'GET', url: accountPath(account.id), headers: admin() });
      assert.deepEqual(after.json.lab_account.team_id_allowlist, winner.json.lab_account.team_id_allowlist);
      assert.equal(after.headers.etag, winner.headers.etag);
    }
  });

  it('concurrent retries with one X-Idempotency-Key: exactly one order, one outcome', { timeout: 120_000 }, async () => {
    for (let i = 0; i < Math.max(5, ITERATIONS / 2); i += 1) {
      const key = randomUUID();
      const passthrough = `race-${randomBytes(6).toString('hex')}`;
      const results = await Promise.all(
        Array.from({ length: 16 }, () => placeOrder(tenant.accountId, { 'x-idempotency-key': key }, { passthrough })),
      );
      const ok = results.filter((r) => r.status === 200);
      const others = results.filter((r) => r.status !== 200);
      assert.ok(ok.length >= 1, `iteration ${i}: no retry succeeded: ${results.map((r) => r.status).join()}`);
      assert.equal(new Set(ok.map((r) => r.json.order.id)).size, 1, `iteration ${i}: several orders answered`);
      for (const r of others) {
        assert.equal(r.status, 409, r.text.slice(0, 200));
        assert.equal(r.json?.code, 'idempotency_request_in_progress');
      }
      assert.equal(ok.filter((r) => r.headers['idempotent-replayed'] !== 'true').length, 1, 'exactly one first execution');
      const stored = await t.database.db.selectFrom('orders').select('id').where('passthrough', '=', passthrough).execute();
      assert.deepEqual(
        stored.map((r) => r.id),
        [ok[0].json.order.id],
        `iteration ${i}: orders stored for one key`,
      );
      const replay = await placeOrder(tenant.accountId, { 'x-idempotency-key': key }, { passthrough });
      assert.equal(replay.status, 200);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.json.order.id, ok[0].json.order.id);
    }
  });

  it('result intake vs cancellation: cancelled with the result queued as match_cancelled, or completed with the cancel refused', {
    timeout: 150_000,
  }, async () => {
    const deliver = (orderId: string) =>
      send({
        method: 'POST',
        url: '/operator/v1/results',
        headers: operator(),
        body: {
          env: tenant.env,
          region: 'us',
          lab: 'quest',
          provider_account_id: tenant.providerAccountId,
          order_id: orderId,
          status: 'final',
          report_id: `rep-${randomBytes(6).toString('hex')}`,
          results: [{ name: 'Glucose', slug: 'glucose', result: '95', type: 'numeric', unit: 'mg/dL' }],
        },
      });
    const cancel = (orderId: string) => send({ method: 'POST', url: `/v3/order/${orderId}/cancel`, headers: team() });
    const newOrder = async () => {
      const res = await placeOrder(tenant.accountId);
      assert.equal(res.status, 200, res.text.slice(0, 300));
      return res.json.order.id as string;
    };

    async function check(orderId: string, r: ApiResponse, c: ApiResponse, label: string): Promise<'cancelled' | 'completed'> {
      assert.equal(r.status, 200, `${label}: delivery ${r.text.slice(0, 200)}`);
      const order = await send({ method: 'GET', url: `/v3/order/${orderId}`, headers: team() });
      const status = order.json?.status ?? String(order.json?.last_event?.status ?? '').split('.')[0];
      const attached = await t.database.db.selectFrom('result_deliveries').select('id').where('order_id', '=', orderId).execute();
      if (c.status === 200) {
        assert.equal(status, 'cancelled', `${label}: cancel succeeded but the order is ${status}`);
        assert.equal(r.json.matched_order_id, null, `${label}: a result was attached to an order that was then cancelled`);
        assert.ok(r.json.unmatched_result_id, `${label}: the result went nowhere`);
        const queued = await t.database.db
          .selectFrom('unmatched_results')
          .select(['decision_code'])
          .where('id', '=', r.json.unmatched_result_id)
          .executeTakeFirst();
        assert.equal(queued?.decision_code, 'match_cancelled', label);
        assert.equal(attached.length, 0, `${label}: deliveries attached to a cancelled order`);
        return 'cancelled';
      }
      assert.equal(c.status, 400, `${label}: cancel answered ${c.status} ${c.text.slice(0, 200)}`);
      assert.equal(c.json?.code, 'cancel_not_allowed', label);
      assert.equal(r.json.matched_order_id, orderId, `${label}: the cancel was refused but the result was not attached`);
      assert.equal(status, 'completed', `${label}: result attached but the order is ${status}`);
      assert.equal(attached.length, 1, label);
      return 'completed';
    }

    // Forced both ways: the delivery stopped inside its transaction while the cancel runs, and vice versa.
    for (const [table, first, label] of [
      ['result_deliveries', 'deliver', 'delivery first'],
      ['order_events', 'cancel', 'cancel first'],
    ] as const) {
      const orderId = await newOrder();
      const lock = await holdLock(table, 'share');
      let a: Promise<ApiResponse> | undefined;
      let b: Promise<ApiResponse> | undefined;
      try {
        a = first === 'deliver' ? deliver(orderId) : cancel(orderId);
        await blockedAt(lock, 1, a, label);
        b = first === 'deliver' ? cancel(orderId) : deliver(orderId);
        await finishesOrBlocks(lock, 2, b);
        await lock.release();
        const [x, y] = await Promise.all([a, b]);
        const [r, c] = first === 'deliver' ? [x, y] : [y, x];
        const outcome = await check(orderId, r, c, label);
        assert.equal(outcome, first === 'deliver' ? 'completed' : 'cancelled', `${label}: the transaction that started first must win`);
      } finally {
        await lock.release();
        await Promise.allSettled([a, b].filter(Boolean) as Promise<unknown>[]);
      }
    }

    const seen = new Set<string>();
    for (let i = 0; i < ITERATIONS; i += 1) {
      const orderId = await newOrder();
      const [r, c] =
        i % 2 === 0
          ? await Promise.all([deliver(orderId), cancel(orderId)])
          : (await Promise.all([cancel(orderId), deliver(orderId)])).reverse();
      seen.add(await check(orderId, r, c, `iteration ${i}`));
    }
    assert.ok(seen.size >= 1);
  });
});
