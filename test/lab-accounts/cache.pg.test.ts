// The lab-account cache across two Labroute instances on one PostgreSQL: a change made through one instance
// reaches the other's cached lists through NOTIFY, and order placement on the other instance never goes
// through an account that was unlinked or suspended — not even before the notification arrives, because
// placement checks the locked rows' versions.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { authHeaders, injectSender, type Send } from '../support/security/api-client.js';
import { type OrderingTenant, setUpOrderingTenant } from '../support/security/tenant.js';
import { backend, createTestApp, type TestApp } from '../support/test-app.js';

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('lab-account cache across two instances', () => {
  let t: TestApp;
  let secondDb: DatabaseHandle;
  let second: FastifyInstance;
  let sendA: Send;
  let sendB: Send;
  let tenant: OrderingTenant;

  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    t = await createTestApp();
    const dbName = (await t.database.db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('name')).executeTakeFirstOrThrow())
      .name;
    const url = new URL(process.env.LABROUTE_TEST_PG_URL!);
    url.pathname = `/${dbName}`;
    secondDb = await createDatabase({ databaseUrl: url.toString(), poolSize: 5 });
    second = await buildApp({ config: t.config, database: secondDb, logger: false, strictResponses: true });
    await second.ready();
    sendA = injectSender(t.app);
    sendB = injectSender(second);
    tenant = await setUpOrderingTenant(sendA, t.operatorKey, 'production');
  });
  after(async () => {
    await second?.close();
    await secondDb?.close();
    await t?.close();
  });

  const teamList = async (send: Send) => {
    const res = await send({ method: 'GET', url: '/v3/lab_test/lab_account', headers: authHeaders(tenant.teamKey) });
    assert.equal(res.status, 200, res.text);
    return (res.json as { data: { id: string; status: string }[] }).data;
  };
  const accountPath = (id: string) => `/v1/org/${tenant.orgId}/lab_account/${tenant.env}/us/${id}`;

  it('a change through one instance reaches the other instance’s cached lists', async () => {
    const extra = await tenant.addAccount();
    // Both instances cache the team's cell.
    assert.ok((await teamList(sendA)).some((a) => a.id === extra.id));
    assert.ok((await teamList(sendB)).some((a) => a.id === extra.id));
    const unlink = await sendA({
      method: 'PATCH',
      url: accountPath(extra.id),
      headers: authHeaders(tenant.admin),
      body: { team_id_allowlist: [] },
    });
    assert.equal(unlink.status, 200, unlink.text);
    // The writing instance reads its own write at once; the other within the notification's delay.
    assert.ok(!(await teamList(sendA)).some((a) => a.id === extra.id));
    await waitFor(async () => !(await teamList(sendB)).some((a) => a.id === extra.id));
    const suspend = await sendB({
      method: 'PATCH',
      url: `/operator/v1/lab_accounts/${tenant.accountId}`,
      headers: { 'x-operator-key': t.operatorKey },
      body: { status: 'suspended' },
    });
    assert.equal(suspend.status, 200, suspend.text);
    await waitFor(async () => (await teamList(sendA)).find((a) => a.id === tenant.accountId)?.status === 'suspended');
    const resume = await sendB({
      method: 'PATCH',
      url: `/operator/v1/lab_accounts/${tenant.accountId}`,
      headers: { 'x-operator-key': t.operatorKey },
      body: { status: 'active' },
    });
    assert.equal(resume.status, 200, resume.text);
    await waitFor(async () => (await teamList(sendA)).find((a) => a.id === tenant.accountId)?.status === 'active');
  });

  it('placement on a stale instance re-reads the locked rows: no order through an unlinked or suspended account', async () => {
    const extra = await tenant.addAccount();
    // Let the creation's notification land first: a load racing with it is (rightly) not cached.
    await new Promise((r) => setTimeout(r, 200));
    assert.ok((await teamList(sendB)).some((a) => a.id === extra.id));
    // Stop instance B from hearing notifications, so its cache stays stale for the whole test.
    const cacheB = second.labAccountCache;
    const invalidate = cacheB.invalidate.bind(cacheB);
    cacheB.invalidate = () => undefined;
    try {
      const unlink = await sendA({
        method: 'PATCH',
        url: accountPath(extra.id),
        headers: authHeaders(tenant.admin),
        body: { team_id_allowlist: [] },
      });
      assert.equal(unlink.status, 200, unlink.text);
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(
        (await teamList(sendB)).some((a) => a.id === extra.id),
        'B still serves its stale list',
      );
      const explicit = await sendB({
        method: 'POST',
        url: '/v3/order',
        headers: authHeaders(tenant.teamKey),
        body: tenant.orderBody(extra.id),
      });
      assert.equal(explicit.status, 404, explicit.text);
      assert.equal((explicit.json as { code: string }).code, 'lab_account_not_found');

      const suspend = await sendA({
        method: 'PATCH',
        url: `/operator/v1/lab_accounts/${tenant.accountId}`,
        headers: { 'x-operator-key': t.operatorKey },
        body: { status: 'suspended' },
      });
      assert.equal(suspend.status, 200, suspend.text);
      const resolved = await sendB({
        method: 'POST',
        url: '/v3/order',
        headers: authHeaders(tenant.teamKey),
        body: { ...tenant.orderBody(tenant.accountId), lab_account_id: undefined },
      });
      assert.equal(resolved.status, 400, resolved.text);
      // Its stale cache saw two active accounts (ambiguous); the locked rows show one linked, suspended account.
      assert.equal((resolved.json as { code: string }).code, 'no_active_lab_account');
      const orders = await t.database.db.selectFrom('orders').select('id').execute();
      assert.deepEqual(orders, []);
    } finally {
      cacheB.invalidate = invalidate;
      cacheB.clear();
      await sendA({
        method: 'PATCH',
        url: `/operator/v1/lab_accounts/${tenant.accountId}`,
        headers: { 'x-operator-key': t.operatorKey },
        body: { status: 'active' },
      });
    }
  });
});
