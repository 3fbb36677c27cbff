// Reading results (raw, metadata, PDFs), the requisition PDF, and reviewing unmatched results as a team.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedLabAccount, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { seedOrder } from '../support/order-fixtures.js';
import { pdfText } from '../support/pdf-text.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('results and unmatched results (Team API)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  async function world() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id);
    const sibling = await seedTeam(db, org.id);
    const number = `QA${Math.random().toString(36).slice(2, 10)}`;
    const account = await seedLabAccount(db, {
      orgId: org.id,
      providerAccountId: number,
      teamIds: [team.id],
      defaultClinicalNotes: 'Account default note',
      accountName: 'Acme Quest',
    });
    const order = await seedOrder(db, { orgId: org.id, teamId: team.id, labAccountId: account.id });
    const key = await seedTeamKey(db, team, 'sandbox');
    const siblingKey = await seedTeamKey(db, sibling, 'sandbox');
    const prodKey = await seedTeamKey(db, team, 'production');
    return { org, team, number, account, order, key: key.key, siblingKey: siblingKey.key, prodKey: prodKey.key };
  }
  const deliver = (body: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/operator/v1/results', headers: { 'x-operator-key': t.operatorKey }, payload: body });
  const get = (url: string, key: string) => t.request({ method: 'GET', url, headers: { 'x-vital-api-key': key } });
  const results = [
    { name: 'LDL Cholesterol', result: '190', type: 'numeric', unit: 'mg/dL', reference_range: '<100', interpretation: 'critical' },
    { name: 'HDL Cholesterol', result: '55', type: 'numeric', unit: 'mg/dL', reference_range: '>39' },
  ];

  it('answers 404 results_not_ready before results, then LabResultsRaw, metadata and a PDF', async () => {
    const w = await world();
    const notReady = await get(`/v3/order/${w.order.id}/result`, w.key);
    assert.equal(notReady.statusCode, 404);
    assert.equal(notReady.json().code, 'results_not_ready');

    await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.number,
      order_id: w.order.id,
      status: 'final',
      results,
    });
    const raw = await get(`/v3/order/${w.order.id}/result`, w.key);
    assert.equal(raw.statusCode, 200, raw.body);
    assertJunctionSchema('junction', 'LabResultsRaw', raw.json());
    assert.equal(raw.json().metadata.account_id, w.number);
    assert.equal(raw.json().metadata.specimen_number, w.order.sampleId);
    assert.equal(raw.json().metadata.interpretation, 'critical');
    const ldl = raw.json().results.find((r: { slug: string }) => r.slug === 'ldl-cholesterol');
    assert.equal(ldl.is_above_max_range, true);
    assert.equal(ldl.value, 190);

    const meta = await get(`/v3/order/${w.order.id}/result/metadata`, w.key);
    assertJunctionSchema('junction', 'LabResultsMetadata', meta.json());
    assert.equal(meta.json().patient, 'Ada Lovelace');

    const pdf = await get(`/v3/order/${w.order.id}/result/pdf`, w.key);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const text = await pdfText(pdf.rawPayload);
    for (const needle of ['Ada Lovelace', w.number, 'LDL Cholesterol', '190', 'CRITICAL']) assert.ok(text.includes(needle), needle);
  });

  it('renders the requisition with the account number, platform physician and combined notes', async () => {
    const w = await world();
    const pdf = await get(`/v3/order/${w.order.id}/requisition/pdf`, w.key);
    assert.equal(pdf.statusCode, 200);
    const text = await pdfText(pdf.rawPayload);
    for (const needle of [
      w.number,
      'Acme Quest',
      t.config.platformPhysician.last_name,
      'Account default note',
      w.order.sampleId,
      'Lipid Panel',
      'LDL',
    ]) {
      assert.ok(text.includes(needle), `${needle} missing in ${text}`);
    }
    // An order of one test stores it only as lab_test (migration 0009): the requisition still lists it.
    await t.database.db
      .updateTable('orders')
      .set({ lab_test: JSON.stringify({ name: 'HbA1c Panel', markers: [{ name: 'HbA1c' }] }), lab_tests: null })
      .where('id', '=', w.order.id)
      .execute();
    const once = await pdfText((await get(`/v3/order/${w.order.id}/requisition/pdf`, w.key)).rawPayload);
    for (const needle of ['HbA1c Panel', 'HbA1c']) assert.ok(once.includes(needle), `${needle} missing in ${once}`);
  });

  it('hides another team’s and another env’s order documents (404 order_not_found)', async () => {
    const w = await world();
    for (const key of [w.siblingKey, w.prodKey]) {
      for (const path of ['result', 'result/metadata', 'result/pdf', 'requisition/pdf']) {
        const res = await get(`/v3/order/${w.order.id}/${path}`, key);
        assert.equal(res.statusCode, 404, path);
        assert.equal(res.json().code, 'order_not_found');
      }
    }
    const bad = await get('/v3/order/not-a-uuid/result', w.key);
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['path', 'order_id']);
    const anon = await t.request({ method: 'GET', url: `/v3/order/${w.order.id}/result` });
    assert.equal(anon.statusCode, 401);
  });

  it('lets the order’s team review a lab_account_mismatch result, and no one else', async () => {
    const w = await world();
    const otherNumber = `QZ${Math.random().toString(36).slice(2, 10)}`;
    await seedLabAccount(t.database.db, { orgId: w.org.id, providerAccountId: otherNumber });
    const queued = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: otherNumber,
      sample_id: w.order.sampleId,
      status: 'final',
      results,
    });
    const id = queued.json().unmatched_result_id;
    assert.ok(id);

    const list = await get('/v3/unmatched_result', w.key);
    assert.equal(list.statusCode, 200);
    assertJunctionSchema('junction', 'ListUnmatchedResultResponse', list.json());
    const item = list.json().data.find((d: { id: string }) => d.id === id);
    assert.equal(item.status, 'pending_customer_review');
    assert.deepEqual(item.sub_reason_codes, ['lab_account_mismatch']);
    assert.equal(item.lab.slug, 'quest');

    const one = await get(`/v3/unmatched_result/${id}`, w.key);
    assertJunctionSchema('junction', 'UnmatchedResult', one.json());

    for (const key of [w.siblingKey, w.prodKey]) {
      assert.equal((await get(`/v3/unmatched_result/${id}`, key)).statusCode, 404);
      assert.ok(!(await get('/v3/unmatched_result', key)).json().data.some((d: { id: string }) => d.id === id));
    }

    const unsure = await t.request({
      method: 'POST',
      url: `/v3/unmatched_result/${id}/resolve`,
      headers: { 'x-vital-api-key': w.key },
      payload: { action: 'unsure' },
    });
    assert.equal(unsure.json().status, 'pending_ops_review');
    const reject = await t.request({
      method: 'POST',
      url: `/v3/unmatched_result/${id}/resolve`,
      headers: { 'x-vital-api-key': w.key },
      payload: { action: 'reject', note: 'not ours' },
    });
    assert.equal(reject.statusCode, 200);
    assert.equal(reject.json().status, 'resolved');
    assert.equal(reject.json().resolution_action, 'reject');
    const again = await t.request({
      method: 'POST',
      url: `/v3/unmatched_result/${id}/resolve`,
      headers: { 'x-vital-api-key': w.key },
      payload: { action: 'reject' },
    });
    assert.equal(again.statusCode, 400);
    const badAction = await t.request({
      method: 'POST',
      url: `/v3/unmatched_result/${id}/resolve`,
      headers: { 'x-vital-api-key': w.key },
      payload: { action: 'accept' },
    });
    assert.equal(badAction.statusCode, 422);
    assert.deepEqual(badAction.json().detail[0].loc, ['body', 'action']);
  });

  it('shows results under an unknown number to the operator only', async () => {
    const w = await world();
    const unknown = `UNKNOWN-${Math.random().toString(36).slice(2, 8)}`;
    const queued = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: unknown,
      sample_id: w.order.sampleId,
      status: 'final',
      results,
    });
    const id = queued.json().unmatched_result_id;
    assert.ok(!(await get('/v3/unmatched_result', w.key)).json().data.some((d: { id: string }) => d.id === id));
    const op = await t.request({ method: 'GET', url: '/operator/v1/unmatched_results', headers: { 'x-operator-key': t.operatorKey } });
    assert.ok(op.json().data.some((d: { id: string; status: string }) => d.id === id && d.status === 'pending_ops_review'));
    const asTeam = await t.request({ method: 'GET', url: '/operator/v1/unmatched_results', headers: { 'x-vital-api-key': w.key } });
    assert.equal(asTeam.statusCode, 401);
  });

  it('pages unmatched results with a cursor and rejects a bad cursor', async () => {
    const w = await world();
    for (let i = 0; i < 3; i++) {
      await deliver({
        env: 'sandbox',
        region: 'us',
        lab: 'quest',
        provider_account_id: w.number,
        sample_id: `NOPE${i}`,
        status: 'final',
        results,
      });
    }
    const first = await get('/v3/unmatched_result?limit=2', w.key);
    assert.equal(first.json().data.length, 2);
    assert.equal(first.json().total, 3);
    const second = await get(`/v3/unmatched_result?limit=2&next_cursor=${first.json().next_cursor}`, w.key);
    assert.equal(second.json().data.length, 1);
    assert.equal(second.json().next_cursor, null);
    const bad = await get('/v3/unmatched_result?next_cursor=zzz', w.key);
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['query', 'next_cursor']);
  });
});
