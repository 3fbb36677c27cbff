// The NUL guard's walk (src/http/nul-guard.ts) reports every unstorable string or key at its own location.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nulLocations } from '../../src/http/nul-guard.js';

describe('nulLocations', () => {
  it('finds nothing in a clean value', () => {
    assert.deepEqual(nulLocations({ a: ['x', { b: 'y' }], c: 1, d: null }), []);
  });

  it('gives each hit its own full path, in arrays, objects and keys', () => {
    const value = { a: ['ok', 'n\u0000', { b: 'x\udfff' }], 'k\u0000': 'fine', c: { d: ['\u0000'] } };
    assert.deepEqual(nulLocations(value), [['a', 1], ['a', 2, 'b'], ['k\u0000'], ['c', 'd', 0]]);
  });

  it('stops at 20 locations', () => {
    assert.equal(nulLocations(Array.from({ length: 30 }, () => '\u0000')).length, 20);
  });
});
