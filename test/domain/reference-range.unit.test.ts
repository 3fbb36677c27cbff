// Reference ranges as labs write them (src/domain/reference-range.ts): every documented form parsed, and the
// above/below flags with inclusive and exclusive bounds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagsFor, parseReferenceRange } from '../../src/domain/reference-range.js';

describe('reference ranges', () => {
  it('parses every documented form', () => {
    assert.deepEqual(parseReferenceRange('<5.7'), { min: null, max: 5.7, minInclusive: false, maxInclusive: false });
    assert.deepEqual(parseReferenceRange('<=10.5'), { min: null, max: 10.5, minInclusive: false, maxInclusive: true });
    assert.deepEqual(parseReferenceRange('< OR = 9.9'), { min: null, max: 9.9, minInclusive: false, maxInclusive: true });
    assert.deepEqual(parseReferenceRange('> or = 40'), { min: 40, max: null, minInclusive: true, maxInclusive: false });
    assert.deepEqual(parseReferenceRange('>3'), { min: 3, max: null, minInclusive: false, maxInclusive: false });
    assert.deepEqual(parseReferenceRange('1-10'), { min: 1, max: 10, minInclusive: true, maxInclusive: true });
    assert.deepEqual(parseReferenceRange('3.5 - 5.0'), { min: 3.5, max: 5, minInclusive: true, maxInclusive: true });
    assert.equal(parseReferenceRange('negative'), null);
    assert.equal(parseReferenceRange(''), null);
    assert.equal(parseReferenceRange(null), null);
  });
  it('flags values with inclusive and exclusive bounds', () => {
    assert.equal(flagsFor(5.7, parseReferenceRange('<5.7')).is_above_max_range, true);
    assert.equal(flagsFor(5.7, parseReferenceRange('<=5.7')).is_above_max_range, false);
    assert.equal(flagsFor(1, parseReferenceRange('1-10')).is_below_min_range, false);
    assert.equal(flagsFor(0.9, parseReferenceRange('1-10')).is_below_min_range, true);
    assert.equal(flagsFor(11, parseReferenceRange('1-10')).is_above_max_range, true);
    assert.deepEqual(flagsFor(null, parseReferenceRange('1-10')), {
      is_above_max_range: null,
      is_below_min_range: null,
      min_range_value: 1,
      max_range_value: 10,
    });
    assert.equal(flagsFor(3, null).is_above_max_range, null);
  });
});
