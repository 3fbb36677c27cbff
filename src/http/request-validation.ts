// Validates path, query, headers and body of every request against the route's zod schemas, in FastAPI's
// order, collecting every error into one 422. Runs as a preHandler, i.e. after authentication (401/403).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { invalidJsonOf, notJsonOf } from './body-parsers.js';
import { type PydanticError, type RequestPart, toPydanticErrors } from './validation-errors.js';

/** Thrown for malformed input; rendered as 422 HTTPValidationError. */
export class RequestValidationError extends Error {
  constructor(readonly errors: PydanticError[]) {
    super('request validation failed');
    this.name = 'RequestValidationError';
  }
}

interface RouteSchemas {
  params?: z.ZodType;
  querystring?: z.ZodType;
  headers?: z.ZodType;
  body?: z.ZodType;
}

const PARTS: { key: keyof RouteSchemas; part: RequestPart; field: 'params' | 'query' | 'headers' | 'body' }[] = [
  { key: 'params', part: 'path', field: 'params' },
  { key: 'querystring', part: 'query', field: 'query' },
  { key: 'headers', part: 'header', field: 'headers' },
  { key: 'body', part: 'body', field: 'body' },
];

/** Validates one request; replaces each part with its parsed (coerced, defaulted) value. */
export function validateRequest(request: FastifyRequest): void {
  const schemas = (request.routeOptions.schema ?? {}) as RouteSchemas;
  const errors: PydanticError[] = [];
  const parsed: Partial<Record<(typeof PARTS)[number]['field'], unknown>> = {};
  for (const { key, part, field } of PARTS) {
    const schema = schemas[key];
    if (!schema) continue;
    let raw = (request as unknown as Record<string, unknown>)[field];
    // No body (Fastify gives null) and a JSON `null` body are both "no body" to FastAPI: `missing` when required.
    if (part === 'body' && raw === null) raw = undefined;
    if (part === 'body') {
      const jsonError = invalidJsonOf(raw);
      if (jsonError) {
        // FastAPI stops at a JSON decode error and reports only that.
        throw new RequestValidationError([
          { type: 'json_invalid', loc: ['body', jsonError.pos], msg: 'JSON decode error', input: {}, ctx: { error: jsonError.msg } },
        ]);
      }
      const text = notJsonOf(raw);
      if (text !== null) {
        errors.push({
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input: text.slice(0, 256),
        });
        continue;
      }
    }
    const result = schema.safeParse(raw, { reportInput: true });
    if (result.success) parsed[field] = result.data;
    else errors.push(...toPydanticErrors(part, result.error.issues));
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
  for (const [field, value] of Object.entries(parsed)) {
    if (field === 'headers') continue; // keep the raw headers object; parsed header values are read via schemas
    (request as unknown as Record<string, unknown>)[field] = value;
  }
}

/** Installs validation for every route; Fastify's own per-part validation is switched off. */
export function registerRequestValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.addHook('preHandler', async (request) => {
    validateRequest(request);
  });
}
