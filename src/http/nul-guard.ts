// PostgreSQL cannot store U+0000 in text or jsonb, nor a lone UTF-16 surrogate escape (`"\udfff"`) in jsonb:
// either anywhere in a request would surface as a 500 from the driver in whichever module received it.
// This guard turns them into a 422 for every route, right after schema validation (so schema errors still
// come first, as FastAPI reports them).
import type { FastifyInstance } from 'fastify';
import { RequestValidationError } from './request-validation.js';
import type { PydanticError, RequestPart } from './validation-errors.js';

const MAX_ERRORS = 20;
const MAX_DEPTH = 64;

/** NUL, or a surrogate half without its partner. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Locations of strings (and object keys) in `value` that PostgreSQL cannot store. The path is kept on one stack
 * and copied only for a hit: nearly every request is clean, and the guard walks every request.
 */
export function nulLocations(
  value: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
  depth = 0,
): (string | number)[][] {
  if (out.length >= MAX_ERRORS || depth > MAX_DEPTH) return out;
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) out.push([...path]);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      path.push(i);
      nulLocations(value[i], path, out, depth + 1);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (UNSTORABLE.test(key)) {
        out.push([...path, key]);
        continue;
      }
      path.push(key);
      nulLocations((value as Record<string, unknown>)[key], path, out, depth + 1);
      path.pop();
    }
  }
  return out;
}

/** Installs the guard as a preHandler; register it after request validation. */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const errors: PydanticError[] = [];
    const parts: [RequestPart, unknown][] = [
      ['path', request.params],
      ['query', request.query],
      ['body', request.body],
    ];
    for (const [part, value] of parts) {
      for (const loc of nulLocations(value)) {
        errors.push({
          type: 'string_unicode',
          loc: [part, ...loc],
          msg: 'Input should be a valid string, NUL characters and unpaired surrogates are not allowed',
        });
      }
    }
    if (errors.length > 0) throw new RequestValidationError(errors.slice(0, MAX_ERRORS));
  });
}
