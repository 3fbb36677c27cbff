// System routes on both backends: /healthz, the 404 body, /whoami for every key kind, /openapi.json, /docs and
// the dashboard without a key, helmet's headers on every answer, and Prometheus metrics by route pattern.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { securityHeaders } from '../../src/http/security-headers.js';
import { seedAccessToken, seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('system routes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('healthz answers 200 when the database answers', async () => {
    const res = await t.request({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
  });

  it('unknown routes are 404 {detail: "Not Found"}', async () => {
    const res = await t.request({ method: 'GET', url: '/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().detail, 'Not Found');
    assert.ok(res.json().request_id);
  });

  it('whoami tells every key kind', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id, { region: 'eu' });
    const teamKey = await seedTeamKey(db, team, 'production');
    const token = await seedAccessToken(db, team, 'sandbox');
    const mg = await seedManagementKey(db, org.id, 'team_admin', [team.id]);

    const op = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-operator-key': t.operatorKey } });
    assert.equal(op.statusCode, 200);
    assert.equal(op.json().kind, 'operator');

    const m = await t.request({ method: 'GET', url: '/whoami', headers: { 'X-Management-Key': mg.key } });
    assert.deepEqual(m.json(), {
      kind: 'management',
      org_id: org.id,
      role: 'team_admin',
      key_id: mg.id,
      team_role_bindings: [{ team_id: team.id }],
    });

    const alias = await t.request({ method: 'GET', url: '/whoami', headers: { 'X-Vital-Org-Key': mg.key } });
    assert.equal(alias.json().kind, 'management');

    const k = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': teamKey.key } });
    assert.equal(k.json().team_id, team.id);
    assert.equal(k.json().env, 'production');
    assert.equal(k.json().region, 'eu');
    assert.ok(teamKey.key.startsWith('pk_eu_'));

    const b = await t.request({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${token.token}` } });
    assert.equal(b.json().env, 'sandbox');
    assert.equal(b.json().via, 'access_token');
  });

  it('whoami rejects missing, unknown and expired keys with 401', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id);
    const expired = await seedAccessToken(db, team, 'sandbox', new Date(Date.now() - 1000));
    for (const headers of [
      {},
      { 'x-vital-api-key': 'sk_us_nope' },
      { authorization: `Bearer ${expired.token}` },
      { 'x-operator-key': 'wrong' },
    ]) {
      const res = await t.request({ method: 'GET', url: '/whoami', headers });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.json().code, 'unauthorized');
    }
  });

  it('serves an OpenAPI 3.1 document with Junction’s operationIds and component names', async () => {
    const res = await t.request({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    const operationIds = new Set<string>();
    for (const methods of Object.values(doc.paths) as Record<string, { operationId?: string }>[]) {
      for (const op of Object.values(methods)) if (op.operationId) operationIds.add(op.operationId);
    }
    for (const id of [
      'get_team_lab_accounts_v3_lab_test_lab_account_get',
      'get_lab_accounts_v1_org__org_id__lab_account__env___region__get',
      'update_lab_account_team_id_allowlist_v1_org__org_id__lab_account__env___region___account_id__patch',
      'create_order_v3_order_post',
      'get_order_v3_order__order_id__get',
      'get_orders_v3_orders_get',
      'cancel_order_v3_order__order_id__cancel_post',
      'get_lab_test_result_raw_v3_order__order_id__result_get',
      'order_process_simulate_v3_order__order_id__test_post',
      'create_user_v2_user_post',
    ])
      assert.ok(operationIds.has(id), id);
    for (const name of [
      'ClientFacingLabAccount',
      'LabAccountTeamIdAllowlistUpdateBody',
      'LabAccountResponse',
      'LabAccountsResponse',
      'ClientFacingOrder',
      'PostOrderResponse',
    ]) {
      assert.ok(doc.components.schemas[name], name);
    }
    const patch = doc.paths['/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}'].patch;
    assert.deepEqual(patch.requestBody.content['application/json'].schema, {
      $ref: '#/components/schemas/LabAccountTeamIdAllowlistUpdateBody',
    });
  });

  it('serves the API reference page and the dashboard without authentication', async () => {
    const docs = await t.request({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.headers['content-type'] as string, /text\/html/);
    assert.match(docs.headers['content-security-policy'] as string, /default-src 'self'/);
  });

  it('sends every header helmet would set, on answers of every kind', async () => {
    const expected = securityHeaders();
    assert.ok(Object.keys(expected).length >= 10);
    assert.equal(expected['x-content-type-options'], 'nosniff');
    for (const res of [
      await t.request({ method: 'GET', url: '/whoami' }),
      await t.request({ method: 'GET', url: '/no/such/route' }),
      await t.request({ method: 'GET', url: '/healthz' }),
    ]) {
      for (const [name, value] of Object.entries(expected)) assert.equal(res.headers[name], value, `${res.statusCode} ${name}`);
    }
  });

  it('exposes Prometheus metrics by route pattern, without raw URLs', async () => {
    await t.request({ method: 'GET', url: '/whoami' });
    const res = await t.request({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/plain/);
    assert.match(res.body, /labroute_http_requests_total\{route="\/whoami",method="GET",status="401"\} \d+/);
    assert.match(res.body, /labroute_http_request_duration_seconds_bucket/);
    assert.match(res.body, /labroute_orders_created_total 0/);
    assert.match(res.body, /labroute_webhook_outbox_backlog/);
  });
});
