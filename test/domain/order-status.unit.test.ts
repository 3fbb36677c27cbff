// The order status machine and order rules (src/domain/): Junction's status spellings, the transition graphs,
// cancellation per method, simulation walks, lab/method selection, minors, ICD codes and sample ids.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLLECTION_METHODS } from '../../src/domain/enums.js';
import { ageInYears, insuranceRule, minorRule, newSampleId, selectLabAndMethod } from '../../src/domain/order-rules.js';
import {
  canTransition,
  isCancellable,
  isInFlight,
  ORDER_STATUSES,
  parseStatus,
  simulationPath,
  statusString,
  topLevelOf,
} from '../../src/domain/order-status.js';

describe('order status machine', () => {
  it('spells statuses exactly as Junction’s OrderStatus', () => {
    assert.equal(statusString('walk_in_test', 'ordered'), 'received.walk_in_test.ordered');
    assert.equal(statusString('testkit', 'registered'), 'received.testkit.registered');
    assert.equal(statusString('on_site_collection', 'draw_completed'), 'sample_with_lab.on_site_collection.draw_completed');
    assert.equal(statusString('at_home_phlebotomy', 'draw_completed'), 'collecting_sample.at_home_phlebotomy.draw_completed');
    assert.equal(ORDER_STATUSES.length, 54);
    assert.equal(topLevelOf('testkit', 'partial_results'), undefined);
    assert.deepEqual(parseStatus('completed.walk_in_test.corrected'), { top: 'completed', method: 'walk_in_test', low: 'corrected' });
    assert.equal(parseStatus('received.walk_in_test.completed'), null);
    assert.equal(parseStatus('nonsense'), null);
  });
  it('follows the documented transition graphs', () => {
    assert.ok(canTransition('walk_in_test', 'ordered', 'requisition_created'));
    assert.ok(canTransition('walk_in_test', 'requisition_created', 'completed'));
    assert.ok(!canTransition('walk_in_test', 'ordered', 'completed'));
    assert.ok(canTransition('at_home_phlebotomy', 'appointment_scheduled', 'appointment_scheduled'));
    assert.ok(canTransition('testkit', 'transit_lab', 'delivered_to_lab'));
    assert.ok(!canTransition('testkit', 'ordered', 'delivered_to_lab'));
    assert.ok(canTransition('on_site_collection', 'draw_completed', 'partial_results'));
    assert.ok(canTransition('walk_in_test', 'completed', 'corrected'));
    assert.ok(!canTransition('walk_in_test', 'cancelled', 'completed'));
  });
  it('applies the cancellation rules per method', () => {
    assert.ok(isCancellable('walk_in_test', 'appointment_scheduled'));
    assert.ok(isCancellable('at_home_phlebotomy', 'draw_completed'));
    assert.ok(!isCancellable('walk_in_test', 'draw_completed'));
    assert.ok(!isCancellable('testkit', 'transit_customer'));
    assert.ok(isCancellable('testkit', 'registered'));
    assert.ok(isCancellable('on_site_collection', 'draw_completed'));
    for (const method of COLLECTION_METHODS) {
      for (const low of ['cancelled', 'completed', 'partial_results', 'sample_error', 'lost'])
        assert.ok(!isCancellable(method, low), `${method} ${low}`);
    }
    assert.ok(isInFlight('received') && !isInFlight('completed') && !isInFlight('cancelled') && !isInFlight('failed'));
  });
  it('plans simulation walks through legal transitions to completion', () => {
    for (const method of COLLECTION_METHODS) {
      const path = simulationPath(method, 'ordered')!;
      assert.equal(path.at(-1), 'completed', method);
      let from = 'ordered';
      for (const step of path) {
        assert.ok(canTransition(method, from, step), `${method}: ${from} → ${step}`);
        from = step;
      }
    }
    assert.deepEqual(simulationPath('walk_in_test', 'ordered', 'cancelled'), ['cancelled']);
    assert.equal(simulationPath('walk_in_test', 'ordered', 'lost'), null);
  });
});

describe('order rules', () => {
  const t = (lab: string, method: string) => ({ id: `${lab}-${method}`, lab, method, name: 'T', slug: 't' });
  it('needs one lab and one method, agreeing with collection_method', () => {
    assert.deepEqual(selectLabAndMethod([t('quest', 'walk_in_test')], [], undefined), { ok: true, lab: 'quest', method: 'walk_in_test' });
    assert.equal(
      (selectLabAndMethod([t('quest', 'walk_in_test'), t('labcorp', 'walk_in_test')], [], undefined) as { code: string }).code,
      'multiple_labs',
    );
    assert.equal(
      (selectLabAndMethod([t('quest', 'walk_in_test'), t('quest', 'testkit')], [], undefined) as { code: string }).code,
      'multiple_collection_methods',
    );
    assert.equal((selectLabAndMethod([t('quest', 'walk_in_test')], [], 'testkit') as { code: string }).code, 'collection_method_mismatch');
    assert.equal((selectLabAndMethod([t('quest', 'walk_in_test')], ['labcorp'], 'walk_in_test') as { code: string }).code, 'multiple_labs');
    assert.deepEqual(selectLabAndMethod([], ['quest'], 'testkit'), { ok: true, lab: 'quest', method: 'testkit' });
  });
  it('treats under-18s as minors on the order day', () => {
    assert.equal(ageInYears('2008-11-25', '2026-11-24'), 17);
    assert.equal(ageInYears('2008-11-24', '2026-11-24'), 18);
    assert.equal(
      minorRule({ dob: '2010-01-01', today: '2026-11-24', minorOrderingEnabled: false, hasMedicalProxy: true })?.code,
      'minor_not_allowed',
    );
    assert.equal(
      minorRule({ dob: '2010-01-01', today: '2026-11-24', minorOrderingEnabled: true, hasMedicalProxy: false })?.code,
      'medical_proxy_required',
    );
    assert.equal(minorRule({ dob: '2010-01-01', today: '2026-11-24', minorOrderingEnabled: true, hasMedicalProxy: true }), null);
    assert.equal(minorRule({ dob: '1990-01-01', today: '2026-11-24', minorOrderingEnabled: false, hasMedicalProxy: false }), null);
  });
  it('needs ICD codes for commercial insurance; sample ids are 12 uppercase letters or digits', () => {
    assert.equal(insuranceRule('commercial_insurance', [])?.code, 'icd_codes_required');
    assert.equal(insuranceRule('commercial_insurance', ['E78.5']), null);
    assert.equal(insuranceRule('client_bill', null), null);
    for (let i = 0; i < 50; i++) assert.match(newSampleId(), /^[A-Z0-9]{12}$/);
  });
});
