// Sandbox simulation for every collection method (through the same result intake, under the order's
// account), persisted delayed walks, production refusal, and accepting an unmatched result.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runDueSimulationSteps } from '../../src/modules/results/simulate-order.js';
import { seedLabAccount } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { orderWorld } from '../support/order-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('sandbox simulation', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const simulate = (orderId: string, key: string, query = '', body?: unknown) =>
    t.request({
      method: 'POST',
      url: `/v3/order/${orderId}/test${query}`,
      headers: { 'x-vital-api-key': key, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  it('walks every collection method to completed and produces results under the order’s account', async () => {
    const w = await orderWorld(t);
    const account = await w.account();
    const testFor = async (method: string) =>
      (
        await t.request({
          method: 'POST',
          url: '/operator/v1/lab_tests',
          headers: { 'x-operator-key': t.operatorKey },
          payload: {
            env: 'sandbox',
            region: 'us',
            lab: 'quest',
            name: `Sim ${method} ${Date.now()}`,
            method,
            sample_type: 'serum',
            markers: [
              { name: 'Glucose', slug: 'glucose', unit: 'mg/dL' },
              { name: 'Sodium', slug: 'sodium' },
              { name: 'Potassium', slug: 'potassium' },
            ],
          },
        })
      ).json();
    for (const method of ['walk_in_test', 'at_home_phlebotomy', 'testkit', 'on_site_collection']) {
      const test = await testFor(method);
      const order = (await w.post(w.body({ order_set: { lab_test_ids: [test.id] }, collection_method: method }))).json().order;
      const res = await simulate(order.id, w.key);
      assert.equal(res.statusCode, 200, `${method}: ${res.body}`);
      const got = await t.request({ method: 'GET', url: `/v3/order/${order.id}`, headers: { 'x-vital-api-key': w.key } });
      assertJunctionSchema('junction', 'ClientFacingOrder', got.json());
      assert.equal(got.json().last_event.status, `completed.${method}.completed`, method);
      assert.equal(got.json().lab_account_id, account.id);
      const raw = await t.request({ method: 'GET', url: `/v3/order/${order.id}/result`, headers: { 'x-vital-api-key': w.key } });
      assert.equal(raw.statusCode, 200);
      assert.equal(raw.json().results.length, 3);
      assert.deepEqual(
        raw.json().results.map((r: { type: string }) => r.type),
        ['numeric', 'comment', 'range'],
      );
    }
  });

  it('honours final_status, flags and the empty JSON body the SDK sends', async () => {
    const w = await orderWorld(t);
    await w.account();
    const order = (await w.post(w.body())).json().order;
    const res = await simulate(order.id, w.key, '?final_status=cancelled.walk_in_test.cancelled');
    assert.equal(res.statusCode, 200, res.body);
    const cancelled = await t.request({ method: 'GET', url: `/v3/order/${order.id}`, headers: { 'x-vital-api-key': w.key } });
    assert.equal(cancelled.json().last_event.status, 'cancelled.walk_in_test.cancelled');
    const critical = (await w.post(w.body())).json().order;
    const flagged = await simulate(critical.id, w.key, '', { interpretation: 'critical', result_types: ['numeric'] });
    assert.equal(flagged.statusCode, 200, flagged.body);
    const raw = await t.request({ method: 'GET', url: `/v3/order/${critical.id}/result`, headers: { 'x-vital-api-key': w.key } });
    assert.equal(raw.json().metadata.interpretation, 'critical');
    const empty = (await w.post(w.body())).json().order;
    const emptyBody = await t.request({
      method: 'POST',
      url: `/v3/order/${empty.id}/test`,
      headers: { 'x-vital-api-key': w.key, 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(emptyBody.statusCode, 200, emptyBody.body);
    const unreachable = await simulate((await w.post(w.body())).json().order.id, w.key, '?final_status=completed.testkit.completed');
    assert.equal(unreachable.statusCode, 400);
    assert.equal(unreachable.json().code, 'invalid_status_transition');
    const done = await simulate(empty.id, w.key, '?final_status=cancelled.walk_in_test.cancelled');
    assert.equal(done.json().code, 'invalid_status_transition');
  });

  it('stores delayed walks and resumes them from the database', async () => {
    const w = await orderWorld(t);
    await w.account();
    const order = (await w.post(w.body())).json().order;
    const res = await simulate(order.id, w.key, '?delay=1');
    assert.equal(res.json().scheduled, true);
    const pending = await t.database.db
      .selectFrom('simulation_steps')
      .select('id')
      .where('order_id', '=', order.id)
      .where('done_at', 'is', null)
      .execute();
    assert.ok(pending.length >= 3);
    await t.database.db
      .updateTable('simulation_steps')
      .set({ due_at: new Date(Date.now() - 1000) })
      .where('order_id', '=', order.id)
      .execute();
    // The app's own worker may run some of the steps concurrently (steps are claimed with SKIP LOCKED), so
    // drain until none is pending rather than trusting one loop.
    const until = Date.now() + 15_000;
    for (;;) {
      await runDueSimulationSteps({ db: t.database.db, orderEvents: t.app.orderEvents });
      const left = await t.database.db
        .selectFrom('simulation_steps')
        .select('id')
        .where('order_id', '=', order.id)
        .where('done_at', 'is', null)
        .execute();
      const last = await t.database.db.selectFrom('orders').select('status_low').where('id', '=', order.id).executeTakeFirstOrThrow();
      if (left.length === 0 && last.status_low === 'completed') break;
      if (Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const got = await t.request({ method: 'GET', url: `/v3/order/${order.id}`, headers: { 'x-vital-api-key': w.key } });
    assert.equal(got.json().last_event.status, 'completed.walk_in_test.completed');
  });

  it('refuses production orders (400 sandbox_only) and other teams’ orders (404)', async () => {
    const w = await orderWorld(t);
    await w.account({ env: 'production' });
    const prod = (await w.post({ ...w.body(), user_id: w.prodUserId, order_set: { lab_test_ids: [w.questProd.id] } }, w.prodKey)).json()
      .order;
    const res = await simulate(prod.id, w.prodKey);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'sandbox_only');
    await w.account();
    const mine = (await w.post(w.body())).json().order;
    assert.equal((await simulate(mine.id, w.otherKey)).statusCode, 404);
    assert.equal((await simulate(mine.id, w.key, '?delay=-1')).statusCode, 422);
  });
});

describe('accepting unmatched results', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('attaches only onto an order of the same lab account', async () => {
    const w = await orderWorld(t);
    const account = await w.account();
    const row = await t.database.db
      .selectFrom('lab_accounts')
      .select('provider_account_id')
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    const order = (await w.post(w.body())).json().order;
    const deliver = (body: Record<string, unknown>) =>
      t.request({
        method: 'POST',
        url: '/operator/v1/results',
        headers: { 'x-operator-key': t.operatorKey },
        payload: {
          env: 'sandbox',
          region: 'us',
          lab: 'quest',
          status: 'final',
          results: [{ name: 'Glucose', result: '90', type: 'numeric' }],
          ...body,
        },
      });
    // A typo in the sample id: queued under the right account, visible to the linked team.
    const typo = (await deliver({ provider_account_id: row.provider_account_id, sample_id: 'TYPO00000000' })).json().unmatched_result_id;
    const accept = await t.request({
      method: 'POST',
      url: `/v3/unmatched_result/${typo}/accept`,
      headers: { 'x-vital-api-key': w.key },
      payload: { order_id: order.id, note: 'typo' },
    });
    assert.equal(accept.statusCode, 200, accept.body);
    assertJunctionSchema('junction', 'ClientFacingOrder', accept.json());
    assert.equal(accept.json().last_event.status, 'completed.walk_in_test.completed');
    const resolved = await t.request({ method: 'GET', url: `/v3/unmatched_result/${typo}`, headers: { 'x-vital-api-key': w.key } });
    assert.equal(resolved.json().status, 'resolved');
    assert.equal(resolved.json().resolution_action, 'accept');
    assert.equal(resolved.json().resolved_order_id, order.id);

    // Under another account of the org: visible to the order's team, but never attachable to it.
    const other = await seedLabAccount(t.database.db, { orgId: w.org.id, providerAccountId: `OTHER-${Date.now()}` });
    const otherRow = await t.database.db
      .selectFrom('lab_accounts')
      .select('provider_account_id')
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    const second = (await w.post(w.body())).json().order;
    const mismatch = (await deliver({ provider_account_id: otherRow.provider_account_id, sample_id: second.sample_id })).json()
      .unmatched_result_id;
    const refused = await t.request({
      method: 'POST',
      url: `/v3/unmatched_result/${mismatch}/accept`,
      headers: { 'x-vital-api-key': w.key },
      payload: {},
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().code, 'lab_account_mismatch');
    const still = await t.request({ method: 'GET', url: `/v3/order/${second.id}/result`, headers: { 'x-vital-api-key': w.key } });
    assert.equal(still.statusCode, 404);
    const foreign = await t.request({
      method: 'POST',
      url: `/v3/unmatched_result/${mismatch}/accept`,
      headers: { 'x-vital-api-key': w.otherKey },
      payload: {},
    });
    assert.equal(foreign.statusCode, 404);
  });
});
