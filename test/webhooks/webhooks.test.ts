// Webhooks: endpoint management, outbox written in the change's transaction, Svix signatures verified by the
// svix package, retries by the configured schedule, failures recorded, and endpoints isolated from each other.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'svix';
import { enqueueWebhookEvent, WEBHOOK_CONSUMER } from '../../src/modules/webhooks/webhook-events.js';
import { seedManagementKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { orderWorld } from '../support/order-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Received {
  headers: Record<string, string>;
  body: string;
}

async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  let i = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = statuses[i++] ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) };
}

describe('webhooks', () => {
  let t: TestApp;
  before(async () => {
    // No background delivery: each test drains the outbox when it wants deliveries made.
    t = await createTestApp({ LABROUTE_WEBHOOK_DISPATCHER: '0', LABROUTE_WEBHOOK_RETRY_SCHEDULE: '0,0,0' });
  });
  after(async () => t.close());

  const drain = () => t.app.outbox.drain(WEBHOOK_CONSUMER);
  /** The webhook deliveries (outbox rows of consumer `webhook`) to one endpoint. */
  const deliveriesTo = (endpointId: string) =>
    t.database.db.selectFrom('outbox').selectAll().where('consumer', '=', WEBHOOK_CONSUMER).where('subject', '=', endpointId);
  const countDeliveries = () =>
    t.database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('consumer', '=', WEBHOOK_CONSUMER)
      .executeTakeFirstOrThrow();

  it('delivers Svix-signed order and lab-account events that the svix verifier accepts', async () => {
    const w = await orderWorld(t);
    const admin = await seedManagementKey(t.database.db, w.org.id, 'org_admin');
    const hook = await receiver();
    const orgHook = await receiver();
    try {
      const created = await t.request({
        method: 'POST',
        url: `/v1/org/${w.org.id}/webhook_endpoints`,
        headers: { 'x-management-key': admin.key },
        payload: { url: hook.url, env: 'sandbox', team_id: w.team.id },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.match(created.json().secret, /^whsec_[A-Za-z0-9+/=]+$/);
      const orgLevel = await t.request({
        method: 'POST',
        url: `/v1/org/${w.org.id}/webhook_endpoints`,
        headers: { 'x-management-key': admin.key },
        payload: { url: orgHook.url, env: 'sandbox' },
      });
      const account = await w.account();
      const order = (await w.post(w.body())).json().order;
      await drain();
      assert.equal(hook.received.length, 1);
      const verified = new Webhook(created.json().secret).verify(hook.received[0].body, hook.received[0].headers) as any;
      assert.equal(verified.event_type, 'labtest.order.created');
      assert.equal(verified.team_id, w.team.id);
      assert.equal(verified.user_id, w.userId);
      assertJunctionSchema('junction', 'ClientFacingOrder', verified.data);
      assert.equal(verified.data.id, order.id);
      // The org endpoint sees every team's events.
      assert.equal(orgHook.received.length, 1);
      new Webhook(orgLevel.json().secret).verify(orgHook.received[0].body, orgHook.received[0].headers);

      await t.request({
        method: 'PATCH',
        url: `/v1/org/${w.org.id}/lab_account/sandbox/us/${account.id}`,
        headers: { 'x-management-key': admin.key },
        payload: { team_id_allowlist: [] },
      });
      await drain();
      assert.equal(hook.received.length, 1, 'team endpoints do not get lab_account.updated');
      const accountEvent = JSON.parse(orgHook.received[1].body);
      assert.equal(accountEvent.event_type, 'lab_account.updated');
      assert.deepEqual(accountEvent.before.team_id_allowlist, [w.team.id]);
      assert.deepEqual(accountEvent.after.team_id_allowlist, []);
      assert.equal(accountEvent.org_id, w.org.id);

      const list = await t.request({
        method: 'GET',
        url: `/v1/org/${w.org.id}/webhook_endpoints`,
        headers: { 'x-management-key': admin.key },
      });
      assert.ok(list.json().data.every((e: { secret: string }) => e.secret.startsWith('whsec_…')));
    } finally {
      await hook.close();
      await orgHook.close();
    }
  });

  it('retries failures by the schedule, records every attempt, and one endpoint’s failures never block another', async () => {
    const w = await orderWorld(t);
    const admin = await seedManagementKey(t.database.db, w.org.id, 'org_admin');
    const flaky = await receiver([500, 503, 200]);
    const healthy = await receiver();
    try {
      const a = (
        await t.request({
          method: 'POST',
          url: `/v1/org/${w.org.id}/webhook_endpoints`,
          headers: { 'x-management-key': admin.key },
          payload: { url: flaky.url, env: 'sandbox', team_id: w.team.id },
        })
      ).json();
      await t.request({
        method: 'POST',
        url: `/v1/org/${w.org.id}/webhook_endpoints`,
        headers: { 'x-management-key': admin.key },
        payload: { url: healthy.url, env: 'sandbox', team_id: w.team.id },
      });
      await w.account();
      await w.post(w.body());
      await drain();
      assert.equal(healthy.received.length, 1);
      for (let i = 0; i < 3 && flaky.received.length < 3; i++) await drain();
      assert.equal(flaky.received.length, 3);
      const ids = new Set(flaky.received.map((r) => r.headers['svix-id']));
      assert.equal(ids.size, 1, 'the message id is stable across retries');
      const delivery = await deliveriesTo(a.id).executeTakeFirstOrThrow();
      assert.equal(delivery.status, 'done');
      assert.equal(delivery.attempts, 3);
      const attempts = await t.database.db
        .selectFrom('webhook_attempts')
        .select(['status_code'])
        .where('delivery_id', '=', delivery.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        attempts.map((x) => x.status_code),
        [500, 503, 200],
      );
    } finally {
      await flaky.close();
      await healthy.close();
    }
  });

  it('marks a delivery failed after the last scheduled attempt (connection refused)', async () => {
    const w = await orderWorld(t);
    const admin = await seedManagementKey(t.database.db, w.org.id, 'org_admin');
    const dead = await receiver();
    await dead.close();
    const ep = (
      await t.request({
        method: 'POST',
        url: `/v1/org/${w.org.id}/webhook_endpoints`,
        headers: { 'x-management-key': admin.key },
        payload: { url: dead.url, env: 'sandbox', team_id: w.team.id },
      })
    ).json();
    await w.account();
    await w.post(w.body());
    for (let i = 0; i < 4; i++) await drain();
    const delivery = await deliveriesTo(ep.id).executeTakeFirstOrThrow();
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts, 3);
    assert.ok(delivery.last_error);
  });

  it('writes nothing for a rolled-back change', async () => {
    const w = await orderWorld(t);
    const admin = await seedManagementKey(t.database.db, w.org.id, 'org_admin');
    await t.request({
      method: 'POST',
      url: `/v1/org/${w.org.id}/webhook_endpoints`,
      headers: { 'x-management-key': admin.key },
      payload: { url: 'http://127.0.0.1:9/x', env: 'sandbox' },
    });
    const before = await countDeliveries();
    await t.database.db
      .transaction()
      .execute(async (tx) => {
        const n = await enqueueWebhookEvent(t.app.outbox, tx, {
          orgId: w.org.id,
          teamId: w.team.id,
          env: 'sandbox',
          eventType: 'labtest.order.updated',
          payload: {},
        });
        assert.equal(n, 1);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const after = await countDeliveries();
    assert.equal(after.n, before.n);
  });

  it('validates endpoints: http(s) only, private targets refused unless allowed, roles and tenancy', async () => {
    const w = await orderWorld(t);
    const admin = await seedManagementKey(t.database.db, w.org.id, 'org_admin');
    const teamAdmin = await seedManagementKey(t.database.db, w.org.id, 'team_admin', [w.team.id]);
    const post = (key: string, payload: unknown, org = w.org.id) =>
      t.request({
        method: 'POST',
        url: `/v1/org/${org}/webhook_endpoints`,
        headers: { 'x-management-key': key },
        payload: payload as object,
      });
    assert.equal((await post(admin.key, { url: 'ftp://example.com/x', env: 'sandbox' })).statusCode, 400);
    assert.equal((await post(admin.key, { url: 'https://example.com/x', env: 'staging' })).statusCode, 422);
    assert.equal((await post(admin.key, { url: 'https://example.com/x', env: 'sandbox', event_types: ['nope'] })).statusCode, 422);
    assert.equal((await post(teamAdmin.key, { url: 'https://example.com/x', env: 'sandbox' })).statusCode, 403);
    assert.equal((await post(teamAdmin.key, { url: 'https://example.com/x', env: 'sandbox', team_id: w.other.id })).statusCode, 404);
    const other = await orderWorld(t);
    assert.equal((await post(admin.key, { url: 'https://example.com/x', env: 'sandbox' }, other.org.id)).statusCode, 404);
    const strict = await createTestApp({ LABROUTE_WEBHOOK_ALLOW_PRIVATE: '0' });
    try {
      const key = await seedManagementKey(
        strict.database.db,
        (
          await strict.database.db
            .insertInto('orgs')
            .values({ id: crypto.randomUUID(), name: 'x' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
        'org_admin',
      );
      const orgId = (await strict.request({ method: 'GET', url: '/whoami', headers: { 'x-management-key': key.key } })).json().org_id;
      for (const url of [
        'http://127.0.0.1:8080/x',
        'http://10.1.2.3/x',
        'http://192.168.0.1/x',
        'http://[::1]/x',
        'http://169.254.169.254/latest',
      ]) {
        const res = await strict.request({
          method: 'POST',
          url: `/v1/org/${orgId}/webhook_endpoints`,
          headers: { 'x-management-key': key.key },
          payload: { url, env: 'sandbox' },
        });
        assert.equal(res.statusCode, 400, url);
      }
    } finally {
      await strict.close();
    }
  });

  it('resend_events re-sends the latest event of each order', async () => {
    const w = await orderWorld(t);
    const admin = await seedManagementKey(t.database.db, w.org.id, 'org_admin');
    const hook = await receiver();
    try {
      await t.request({
        method: 'POST',
        url: `/v1/org/${w.org.id}/webhook_endpoints`,
        headers: { 'x-management-key': admin.key },
        payload: { url: hook.url, env: 'sandbox', team_id: w.team.id },
      });
      await w.account();
      const placed = await w.post(w.body());
      assert.equal(placed.statusCode, 200, placed.body);
      const order = placed.json().order;
      await drain();
      const res = await t.request({
        method: 'POST',
        url: '/v3/order/resend_events',
        headers: { 'x-vital-api-key': w.key },
        payload: { order_ids: [order.id] },
      });
      assert.equal(res.statusCode, 200, res.body);
      assertJunctionSchema('junction', 'ResendWebhookResponse', res.json());
      await drain();
      assert.equal(hook.received.length, 2);
      const missing = await t.request({
        method: 'POST',
        url: '/v3/order/resend_events',
        headers: { 'x-vital-api-key': w.key },
        payload: {},
      });
      assert.equal(missing.statusCode, 400);
      const foreign = await t.request({
        method: 'POST',
        url: '/v3/order/resend_events',
        headers: { 'x-vital-api-key': w.otherKey },
        payload: { order_ids: [order.id] },
      });
      assert.deepEqual(foreign.json().order_ids, []);
    } finally {
      await hook.close();
    }
  });
});
