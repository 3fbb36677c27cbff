// Lab-account eligibility and resolution as pure rules (src/domain/lab-account-resolution.ts): reasons in
// SPEC.md order and every row of SPEC.md §3's resolution table.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CandidateAccount, eligibilityReasons, type OrderFacts, resolveLabAccount } from '../../src/domain/lab-account-resolution.js';

const facts: OrderFacts = { lab: 'quest', billingType: 'client_bill', state: 'CA', region: 'us', hasPhysician: false };
const account = (id: string, extra: Partial<CandidateAccount> = {}): CandidateAccount => ({
  id,
  org_id: 'org',
  lab: 'quest',
  status: 'active',
  delegated_flow: 'not_delegated',
  account_name: id,
  allowed_billing: { client_bill: ['CA'] },
  ...extra,
});

describe('lab-account eligibility', () => {
  it('lists reasons in SPEC order', () => {
    assert.deepEqual(
      eligibilityReasons(
        account('a', { lab: 'labcorp', status: 'suspended', allowed_billing: {}, delegated_flow: 'fully_delegated' }),
        facts,
      ),
      ['lab_account_lab_mismatch', 'lab_account_not_active', 'billing_type_not_allowed', 'physician_required'],
    );
    assert.deepEqual(eligibilityReasons(account('a'), facts), []);
  });
  it('checks the patient state against the billing type, key alone in EU cells', () => {
    assert.deepEqual(eligibilityReasons(account('a'), { ...facts, state: 'NY' }), ['billing_type_not_allowed']);
    assert.deepEqual(eligibilityReasons(account('a'), { ...facts, billingType: 'commercial_insurance' }), ['billing_type_not_allowed']);
    assert.deepEqual(
      eligibilityReasons(account('a', { allowed_billing: { client_bill: [] } }), { ...facts, region: 'eu', state: 'XX' }),
      [],
    );
    assert.deepEqual(eligibilityReasons(account('a', { allowed_billing: {} }), { ...facts, region: 'eu' }), ['billing_type_not_allowed']);
  });
  it('needs a physician for order_delegated and fully_delegated accounts of every lab', () => {
    for (const flow of ['order_delegated', 'fully_delegated']) {
      assert.deepEqual(eligibilityReasons(account('a', { delegated_flow: flow, lab: 'bioreference' }), { ...facts, lab: 'bioreference' }), [
        'physician_required',
      ]);
      assert.deepEqual(eligibilityReasons(account('a', { delegated_flow: flow }), { ...facts, hasPhysician: true }), []);
    }
    assert.deepEqual(eligibilityReasons(account('a', { delegated_flow: 'result_delegated' }), facts), []);
  });
});

describe('lab-account resolution (SPEC.md §3 table)', () => {
  it('explicit: uses it, or fails with its first reason', () => {
    const ok = resolveLabAccount({ explicit: account('x'), linked: [], platform: null, facts });
    assert.equal(ok.ok && ok.resolution, 'explicit');
    const bad = resolveLabAccount({ explicit: account('x', { status: 'pending' }), linked: [], platform: null, facts });
    assert.equal(!bad.ok && bad.code, 'lab_account_not_active');
  });
  it('nothing linked: the platform account (platform_default) or no_lab_account_available', () => {
    const p = resolveLabAccount({ explicit: null, linked: [], platform: account('p', { org_id: null }), facts });
    assert.equal(p.ok && p.resolution, 'platform_default');
    const ineligible = resolveLabAccount({
      explicit: null,
      linked: [],
      platform: account('p', { org_id: null, allowed_billing: {} }),
      facts,
    });
    assert.equal(!ineligible.ok && ineligible.code, 'billing_type_not_allowed');
    const none = resolveLabAccount({ explicit: null, linked: [], platform: null, facts });
    assert.equal(!none.ok && none.code, 'no_lab_account_available');
  });
  it('linked but none active: no_active_lab_account, never the platform account', () => {
    const r = resolveLabAccount({
      explicit: null,
      linked: [account('a', { status: 'suspended' })],
      platform: account('p', { org_id: null }),
      facts,
    });
    assert.equal(!r.ok && r.code, 'no_active_lab_account');
  });
  it('exactly one active: only_active, or its failing check', () => {
    const r = resolveLabAccount({ explicit: null, linked: [account('a'), account('b', { status: 'pending' })], platform: null, facts });
    assert.equal(r.ok && r.resolution, 'only_active');
    assert.equal(r.ok && r.account.id, 'a');
    const bad = resolveLabAccount({ explicit: null, linked: [account('a', { delegated_flow: 'order_delegated' })], platform: null, facts });
    assert.equal(!bad.ok && bad.code, 'physician_required');
  });
  it('several active: only_eligible, no_eligible_lab_account or lab_account_ambiguous with candidates', () => {
    const one = resolveLabAccount({
      explicit: null,
      linked: [account('a'), account('b', { allowed_billing: { client_bill: ['NY'] } })],
      platform: null,
      facts,
    });
    assert.equal(one.ok && one.resolution, 'only_eligible');
    assert.equal(one.ok && one.account.id, 'a');
    assert.deepEqual(one.ok && one.candidates, [
      { lab_account_id: 'a', account_name: 'a', eligible: true, reasons: [] },
      { lab_account_id: 'b', account_name: 'b', eligible: false, reasons: ['billing_type_not_allowed'] },
    ]);
    const none = resolveLabAccount({
      explicit: null,
      linked: [account('a', { allowed_billing: {} }), account('b', { allowed_billing: {} })],
      platform: null,
      facts,
    });
    assert.equal(!none.ok && none.code, 'no_eligible_lab_account');
    assert.equal(!none.ok && none.candidates?.length, 2);
    const many = resolveLabAccount({ explicit: null, linked: [account('a'), account('b')], platform: null, facts });
    assert.equal(!many.ok && many.code, 'lab_account_ambiguous');
    assert.ok(!many.ok && many.candidates?.every((c) => c.eligible));
  });
});
