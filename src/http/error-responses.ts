// The error half of every route's response contract, in one line per route:
// `response: { 200: X, ...errorResponses(401, 404, 422) }`. Catalogue statuses declare `{detail, code,
// request_id}` (src/domain/errors.ts), 422 declares FastAPI's HTTPValidationError as Junction documents it.
// Error bodies are rendered by error-handler.ts with their own serializer: these entries document them only.
import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import type { ERROR_STATUS } from '../domain/errors.js';
import { ErrorResponse, HTTPValidationError } from './wire.js';

/** A status some catalogue code has, or 422 (request validation). */
export type ErrorStatus = (typeof ERROR_STATUS)[keyof typeof ERROR_STATUS] | 422;

/** A status whose body may also be Junction's own (RawBodyError), e.g. `{ 409: IntegrationTeamIDConflictResponse }`. */
export type JunctionErrorBodies = Partial<Record<ErrorStatus, z.ZodType>>;

interface ErrorResponseEntry {
  description: string;
  content: { 'application/json': { schema: z.ZodType } };
}

/** Every route can be shed under load (pool-shedding.ts, under-pressure): 503 `overloaded` is always declared. */
const ALWAYS: readonly ErrorStatus[] = [503];

function descriptionOf(status: ErrorStatus): string {
  // FastAPI's wording for 422; the HTTP reason phrase otherwise (as Junction's 400/409 entries read).
  return status === 422 ? 'Validation Error' : (STATUS_CODES[status] ?? 'Error');
}

function entry(status: ErrorStatus, junction: z.ZodType | undefined): ErrorResponseEntry {
  const catalogue = status === 422 ? HTTPValidationError : ErrorResponse;
  // A Junction body and the catalogue shape can both come with one status (e.g. 409 `conflict` and Junction's
  // IntegrationTeamIDConflictResponse): a body is either.
  const schema = junction ? junction.or(catalogue) : catalogue;
  return { description: descriptionOf(status), content: { 'application/json': { schema } } };
}

/**
 * The error responses of a route: each status given (numbers), plus 503; an object argument names the Junction
 * bodies a status may carry besides the catalogue shape.
 */
export function errorResponses(...statuses: (ErrorStatus | JunctionErrorBodies)[]): Record<number, ErrorResponseEntry> {
  const junction: JunctionErrorBodies = {};
  const wanted = new Set<ErrorStatus>(ALWAYS);
  for (const item of statuses) {
    if (typeof item === 'number') wanted.add(item);
    else
      for (const [status, schema] of Object.entries(item)) {
        wanted.add(Number(status) as ErrorStatus);
        junction[Number(status) as ErrorStatus] = schema;
      }
  }
  const out: Record<number, ErrorResponseEntry> = {};
  for (const status of [...wanted].sort((a, b) => a - b)) out[status] = entry(status, junction[status]);
  return out;
}
