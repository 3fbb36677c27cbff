// The HTTP side of idempotency: Junction's two request headers (validated like any other input, 422 on a bad
// value) and sending an outcome with `Idempotent-Replayed: true` when it was replayed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IdempotentOutcome } from './run-idempotent.js';

/** Header names as Node delivers them (lower case). */
export const IDEMPOTENCY_KEY_HEADER = 'x-idempotency-key';
export const IDEMPOTENCY_ERROR_HEADER = 'x-idempotency-error';
/** Set on replayed responses. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Route `schema.headers` for routes honouring idempotency (POST /v3/order). Other headers pass through; a key
 * must be 1..255 characters and the error header only accepts `no-cache` (422 at ["header", name] otherwise).
 */
export const IdempotencyHeaders = z.looseObject({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Runs the request at most once: later requests with this key get the first outcome (24 h).'),
  [IDEMPOTENCY_ERROR_HEADER]: z.literal('no-cache').optional().describe('If `no-cache`, applies idempotency only to successful outcomes.'),
});

/** The idempotency options of a request whose headers already passed IdempotencyHeaders. */
export function readIdempotencyHeaders(request: FastifyRequest): { key: string | undefined; noCacheErrors: boolean } {
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
  return {
    key: first(request.headers[IDEMPOTENCY_KEY_HEADER]),
    noCacheErrors: first(request.headers[IDEMPOTENCY_ERROR_HEADER]) === 'no-cache',
  };
}

/**
 * Sends `outcome`. Success bodies go through the route's response serializer (the same input on first run and
 * replay, so the same bytes); error bodies are sent as rendered, like the error handler does.
 */
export function sendIdempotent(reply: FastifyReply, outcome: IdempotentOutcome): FastifyReply {
  if (outcome.replayed) reply.header(REPLAYED_HEADER, 'true');
  reply.code(outcome.status);
  if (outcome.status >= 400) {
    reply.header('content-type', 'application/json; charset=utf-8').serializer((payload: unknown) => JSON.stringify(payload));
  }
  return reply.send(outcome.body);
}
