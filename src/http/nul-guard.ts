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

/** Locations of strings (and object keys) in `value` that PostgreSQL cannot store. */
export function nulLocations(value: unknown, loc: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  if (out.length >= MAX_ERRORS || depth > MAX_DEPTH) return out;
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) out.push(loc);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulLocations(item, [...loc, i], out, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) out.push([...loc, key]);
      else nulLocations(item, [...loc, key], out, depth + 1);
    }
  }
  return out;
}

/** Whether any string or key in `value` is unstorable; allocates nothing, unlike the walk that locates them. */
function hasUnstorable(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasUnstorable(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (UNSTORABLE.test(key) || hasUnstorable((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Installs the guard as a preHandler; register it after request validation. */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const errors: PydanticError[] = [];
    const parts: [RequestPart, unknown][] = [['path', request.params], ['query', request.query], ['body', request.body]];
    for (const [part, value] of parts) {
      // Nearly every request is clean: the cheap scan decides, and only a hit pays for locating.
      if (!hasUnstorable(value)) continue;
      for (const loc of nulLocations(value)) {
        errors.push({
          type: 'string_unicode', loc: [part, ...loc],
          msg: 'Input should be a valid string, NUL characters and unpaired surrogates are not allowed',
        });
      }
    }
    if (errors.length > 0) throw new RequestValidationError(errors.slice(0, MAX_ERRORS));
  });
}
