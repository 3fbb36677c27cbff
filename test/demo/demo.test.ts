// Demo data on first start: created through the API, keys saved with mode 0600 and working, nothing on the
// second run.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DemoKeys, seedDemoOnFirstStart } from '../../src/demo/seed-demo.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('demo data', () => {
  let t: TestApp;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'labroute-demo-'));
    t = await createTestApp({ LABROUTE_DATA_DIR: dataDir });
  });
  after(async () => t.close());

  it('seeds once, prints and saves working keys, and covers the account variety the issue asks for', async () => {
    let printed = '';
    const keys = await seedDemoOnFirstStart({
      app: t.app,
      database: t.database,
      config: t.config,
      baseUrl: 'http://demo.test',
      print: (s) => {
        printed += s;
      },
    });
    assert.ok(keys);
    const file = join(dataDir, 'demo-keys.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoKeys;
    assert.deepEqual(saved, keys);
    assert.ok(printed.includes(keys.management_keys.org_admin));
    assert.ok(printed.includes('http://demo.test/dashboard'));

    const mg = { 'x-management-key': keys.management_keys.org_admin };
    const sandboxUs = await t.request({ method: 'GET', url: `/v1/org/${keys.org_id}/lab_account/sandbox/us`, headers: mg });
    assertJunctionSchema('org-management', 'LabAccountsResponse', sandboxUs.json());
    const accounts = sandboxUs.json().data as { status: string; delegated_flow: string; lab: string; team_id_allowlist: string[] }[];
    assert.deepEqual(new Set(accounts.map((a) => a.status)), new Set(['active', 'pending', 'suspended', 'ready_to_launch']));
    assert.deepEqual(
      new Set(accounts.map((a) => a.delegated_flow)),
      new Set(['order_delegated', 'result_delegated', 'fully_delegated', 'not_delegated']),
    );
    const primary = keys.teams['US Primary Care'];
    const activeQuest = accounts.filter((a) => a.lab === 'quest' && a.status === 'active' && a.team_id_allowlist.includes(primary.id));
    assert.equal(activeQuest.length, 2);
    const platform = await t.request({
      method: 'GET',
      url: '/operator/v1/lab_accounts?env=sandbox&region=us',
      headers: { 'x-operator-key': t.operatorKey },
    });
    assert.ok(platform.json().data.some((a: { org_id: string | null }) => a.org_id === null));

    for (const team of Object.values(keys.teams)) {
      for (const key of [team.sandbox_key, team.production_key].filter(Boolean)) {
        const who = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': key! } });
        assert.equal(who.statusCode, 200);
        assert.equal(who.json().team_id, team.id);
      }
    }
    const teamAdmin = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-management-key': keys.management_keys.team_admin } });
    assert.equal(teamAdmin.json().role, 'team_admin');
    const orders = await t.request({ method: 'GET', url: '/v3/orders', headers: { 'x-vital-api-key': primary.sandbox_key! } });
    assert.equal(orders.json().total, 1);
    assert.equal(orders.json().orders[0].lab_account_resolution, 'only_eligible');
    // The temporary seeding key is gone: only the test's operator key remains.
    const operatorKeys = await t.database.db.selectFrom('operator_keys').select('id').execute();
    assert.equal(operatorKeys.length, 1);

    const again = await seedDemoOnFirstStart({
      app: t.app,
      database: t.database,
      config: t.config,
      baseUrl: 'http://demo.test',
      print: () => assert.fail('printed twice'),
    });
    assert.equal(again, null);
  });
});
