// The response serializer (src/http/response-serializer.ts): strict mode refuses fields outside the schema or
// of the wrong type; production mode serializes the view as built.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { responseSerializerCompiler } from '../../src/http/response-serializer.js';

describe('response serializer', () => {
  const schema = z.object({ id: z.string(), n: z.number() });
  const route = { schema, method: 'GET', url: '/x', httpStatus: '200' } as never;
  it('strict mode encodes with the schema and refuses fields outside it or of the wrong type', () => {
    const serialize = responseSerializerCompiler(true)(route);
    assert.equal(serialize({ id: 'a', n: 1 }), '{"id":"a","n":1}');
    assert.throws(() => serialize({ id: 'a', n: 1, secret: 'x' }), /outside its schema/);
    assert.throws(() => serialize({ id: 'a', n: '1' }));
    assert.throws(() => serialize({ id: 'a' }));
  });
  it('production mode serializes the view as built', () => {
    assert.equal(responseSerializerCompiler(false)(route)({ id: 'a', n: 1 }), '{"id":"a","n":1}');
  });
});
