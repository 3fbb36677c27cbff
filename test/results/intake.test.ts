// Result intake (operator POST /operator/v1/results): reconciliation to the ordering account, the queue for
// everything else, re-delivery no-ops, partial → final → corrected, and bad input.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedLabAccount, seedOrg, seedTeam } from '../support/fixtures.js';
import { seedOrder } from '../support/order-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('result intake', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  async function world() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id);
    const account = await seedLabAccount(db, {
      orgId: org.id,
      providerAccountId: `QA${Math.random().toString(36).slice(2, 10)}`,
      teamIds: [team.id],
    });
    const other = await seedLabAccount(db, {
      orgId: org.id,
      providerAccountId: `QB${Math.random().toString(36).slice(2, 10)}`,
      teamIds: [team.id],
    });
    const accountRow = await db.selectFrom('lab_accounts').selectAll().where('id', '=', account.id).executeTakeFirstOrThrow();
    const otherRow = await db.selectFrom('lab_accounts').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow();
    const order = await seedOrder(db, { orgId: org.id, teamId: team.id, labAccountId: account.id });
    return { org, team, account: accountRow, other: otherRow, order };
  }

  const deliver = (body: Record<string, unknown>, key?: string) =>
    t.request({
      method: 'POST',
      url: '/operator/v1/results',
      headers: { 'x-operator-key': key ?? t.operatorKey },
      payload: body,
    });
  const results = [{ name: 'LDL Cholesterol', result: '190', type: 'numeric', unit: 'mg/dL', reference_range: '<100' }];

  it('attaches a delivery quoting the sample id under the order’s own account, partial then final', async () => {
    const w = await world();
    const partial = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.account.provider_account_id,
      sample_id: w.order.sampleId,
      status: 'partial',
      results,
    });
    assert.equal(partial.statusCode, 200, partial.body);
    assert.deepEqual(partial.json(), { matched_order_id: w.order.id, unmatched_result_id: null });
    let row = await t.database.db
      .selectFrom('orders')
      .select(['status_top', 'status_low', 'interpretation'])
      .where('id', '=', w.order.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status_top: 'sample_with_lab', status_low: 'partial_results', interpretation: 'abnormal' });

    const final = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.account.provider_account_id,
      order_id: w.order.id,
      status: 'final',
      results,
    });
    assert.deepEqual(final.json(), { matched_order_id: w.order.id, unmatched_result_id: null });
    row = await t.database.db
      .selectFrom('orders')
      .select(['status_top', 'status_low', 'interpretation'])
      .where('id', '=', w.order.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status_low, 'completed');

    const corrected = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.account.provider_account_id,
      order_id: w.order.id,
      status: 'final',
      results,
    });
    assert.equal(corrected.json().matched_order_id, w.order.id);
    const events = await t.database.db
      .selectFrom('order_events')
      .select('status')
      .where('order_id', '=', w.order.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => e.status),
      [
        'received.walk_in_test.ordered',
        'sample_with_lab.walk_in_test.partial_results',
        'completed.walk_in_test.completed',
        'completed.walk_in_test.corrected',
      ],
    );
  });

  it('queues a delivery under another account number with lab_account_mismatch, never attaching it', async () => {
    const w = await world();
    const res = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.other.provider_account_id,
      sample_id: w.order.sampleId,
      status: 'final',
      results,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().matched_order_id, null);
    const queued = await t.database.db
      .selectFrom('unmatched_results')
      .selectAll()
      .where('id', '=', res.json().unmatched_result_id)
      .executeTakeFirstOrThrow();
    assert.equal(queued.decision_code, 'match_sample_id');
    assert.deepEqual(queued.sub_reason_codes, ['lab_account_mismatch']);
    assert.equal(queued.status, 'pending_customer_review');
    assert.equal(queued.visible_team_id, w.team.id);
    const order = await t.database.db.selectFrom('orders').select('status_low').where('id', '=', w.order.id).executeTakeFirstOrThrow();
    assert.equal(order.status_low, 'ordered');
  });

  it('queues another lab, an unknown order, an unknown number and a cancelled order', async () => {
    const w = await world();
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { lab: 'labcorp', provider_account_id: w.account.provider_account_id, sample_id: w.order.sampleId },
        'wrong_lab',
        'pending_ops_review',
      ],
      [
        { lab: 'quest', provider_account_id: w.account.provider_account_id, sample_id: 'NOSUCHSAMPLE' },
        'no_match',
        'pending_customer_review',
      ],
      [{ lab: 'quest', provider_account_id: 'UNKNOWN-NUMBER', sample_id: w.order.sampleId }, 'match_sample_id', 'pending_ops_review'],
    ];
    for (const [body, decision, status] of cases) {
      const res = await deliver({ env: 'sandbox', region: 'us', status: 'final', results, ...body });
      assert.equal(res.json().matched_order_id, null, JSON.stringify(body));
      const queued = await t.database.db
        .selectFrom('unmatched_results')
        .selectAll()
        .where('id', '=', res.json().unmatched_result_id)
        .executeTakeFirstOrThrow();
      assert.equal(queued.decision_code, decision, JSON.stringify(body));
      assert.equal(queued.status, status, JSON.stringify(body));
    }
    const cancelled = await seedOrder(t.database.db, {
      orgId: w.org.id,
      teamId: w.team.id,
      labAccountId: w.account.id,
      statusTop: 'cancelled',
      statusLow: 'cancelled',
    });
    const res = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.account.provider_account_id,
      order_id: cancelled.id,
      status: 'final',
      results,
    });
    const queued = await t.database.db
      .selectFrom('unmatched_results')
      .selectAll()
      .where('id', '=', res.json().unmatched_result_id)
      .executeTakeFirstOrThrow();
    assert.equal(queued.decision_code, 'match_cancelled');
  });

  it('a delivery in another cell does not see the order', async () => {
    const w = await world();
    const res = await deliver({
      env: 'production',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.account.provider_account_id,
      order_id: w.order.id,
      status: 'final',
      results,
    });
    assert.equal(res.json().matched_order_id, null);
  });

  it('treats the same report_id again as a no-op with the same answer', async () => {
    const w = await world();
    const body = {
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: w.account.provider_account_id,
      order_id: w.order.id,
      status: 'partial',
      report_id: `R-${w.order.id}`,
      results,
    };
    const first = await deliver(body);
    const second = await deliver(body);
    assert.deepEqual(second.json(), first.json());
    const count = await t.database.db
      .selectFrom('result_deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('order_id', '=', w.order.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    const events = await t.database.db.selectFrom('order_events').select('status').where('order_id', '=', w.order.id).execute();
    assert.equal(events.length, 2);
  });

  it('rejects malformed deliveries with 422 and writes nothing; other keys get 401', async () => {
    const w = await world();
    const before = await t.database.db
      .selectFrom('result_deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'nope',
      provider_account_id: w.account.provider_account_id,
      status: 'final',
      results,
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['body', 'lab']);
    const badResults = await deliver({
      env: 'sandbox',
      region: 'us',
      lab: 'quest',
      provider_account_id: 'x',
      status: 'final',
      results: 'nope',
    });
    assert.deepEqual(badResults.json().detail[0].loc, ['body', 'results']);
    assert.equal(badResults.json().detail[0].type, 'list_type');
    const missing = await t.request({ method: 'POST', url: '/operator/v1/results', headers: { 'x-operator-key': t.operatorKey } });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail[0].loc, ['body']);
    const unauthorized = await deliver({ env: 'sandbox' }, 'wrong-key');
    assert.equal(unauthorized.statusCode, 401);
    const after = await t.database.db
      .selectFrom('result_deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });
});
