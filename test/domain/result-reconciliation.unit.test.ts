// Result reconciliation as a pure rule (src/domain/result-reconciliation.ts): attach under the order's own
// account, or queue with Junction's decision code and the teams that may see it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type QuotedOrder, reconcileDelivery } from '../../src/domain/result-reconciliation.js';

const account = { id: 'acc-1', orgId: 'org-1' };
const order: QuotedOrder = { id: 'ord-1', orgId: 'org-1', teamId: 'team-1', lab: 'quest', labAccountId: 'acc-1', statusTop: 'received' };

describe('result reconciliation', () => {
  it('attaches a delivery under the order’s own account', () => {
    assert.deepEqual(reconcileDelivery({ lab: 'quest', status: 'partial', account, order }), {
      outcome: 'attach',
      orderId: 'ord-1',
      corrected: false,
    });
    assert.deepEqual(reconcileDelivery({ lab: 'quest', status: 'final', account, order: { ...order, statusTop: 'sample_with_lab' } }), {
      outcome: 'attach',
      orderId: 'ord-1',
      corrected: false,
    });
  });
  it('records a second final report for a completed order as corrected', () => {
    assert.deepEqual(reconcileDelivery({ lab: 'quest', status: 'final', account, order: { ...order, statusTop: 'completed' } }), {
      outcome: 'attach',
      orderId: 'ord-1',
      corrected: true,
    });
  });
  it('queues a partial for a completed order as match_completed, visible to the order’s team', () => {
    const r = reconcileDelivery({ lab: 'quest', status: 'partial', account, order: { ...order, statusTop: 'completed' } });
    assert.equal(r.outcome, 'queue');
    assert.equal(r.outcome === 'queue' && r.decisionCode, 'match_completed');
    assert.equal(r.outcome === 'queue' && r.visibleTeamId, 'team-1');
  });
  it('queues results for cancelled and failed orders as match_cancelled', () => {
    for (const statusTop of ['cancelled', 'failed']) {
      const r = reconcileDelivery({ lab: 'quest', status: 'final', account, order: { ...order, statusTop } });
      assert.equal(r.outcome === 'queue' && r.decisionCode, 'match_cancelled');
    }
  });
  it('queues a delivery under another account of the same org with lab_account_mismatch, for the order’s team', () => {
    const r = reconcileDelivery({ lab: 'quest', status: 'final', account: { id: 'acc-2', orgId: 'org-1' }, order });
    assert.deepEqual(r, {
      outcome: 'queue',
      decisionCode: 'match_sample_id',
      subReasonCodes: ['lab_account_mismatch'],
      reason: 'The result came under a lab account number other than the one the order was placed with',
      visibleTeamId: 'team-1',
      visibleLabAccountId: null,
    });
  });
  it('shows a mismatch from another org’s account to that account’s linked teams, not the order’s team', () => {
    const r = reconcileDelivery({ lab: 'quest', status: 'final', account: { id: 'acc-9', orgId: 'org-9' }, order });
    assert.equal(r.outcome === 'queue' && r.visibleTeamId, null);
    assert.equal(r.outcome === 'queue' && r.visibleLabAccountId, 'acc-9');
  });
  it('keeps unknown numbers and platform accounts operator-only', () => {
    for (const acc of [null, { id: 'plat', orgId: null }]) {
      const r = reconcileDelivery({ lab: 'quest', status: 'final', account: acc, order });
      assert.equal(r.outcome, 'queue');
      assert.equal(r.outcome === 'queue' && r.visibleTeamId, null);
      assert.equal(r.outcome === 'queue' && r.visibleLabAccountId, null);
    }
  });
  it('queues unknown orders as no_match and other labs as wrong_lab', () => {
    const none = reconcileDelivery({ lab: 'quest', status: 'final', account, order: null });
    assert.equal(none.outcome === 'queue' && none.decisionCode, 'no_match');
    assert.equal(none.outcome === 'queue' && none.visibleLabAccountId, 'acc-1');
    const wrong = reconcileDelivery({ lab: 'labcorp', status: 'final', account, order });
    assert.equal(wrong.outcome === 'queue' && wrong.decisionCode, 'wrong_lab');
  });
});
