// Errors Fastify's router raises before any route or hook runs (a malformed percent-encoding, a path
// parameter longer than the router accepts). Fastify would answer them with its own body; they are
// rendered here in SPEC.md's shapes instead, like every other error.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Path parameters longer than this never match a route (client_user_id is the longest legitimate one). */
export const MAX_PATH_PARAM_LENGTH = 1024;

/** Fastify's `frameworkErrors` option. */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('content-type', 'application/json; charset=utf-8').header('x-request-id', request.id);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    // The route is unknown at this point, so the parameter's name is too: report the path as a whole.
    reply.code(422).send(
      JSON.stringify({
        detail: [
          {
            type: 'string_too_long',
            loc: ['path'],
            msg: `String should have at most ${MAX_PATH_PARAM_LENGTH} characters`,
            ctx: { max_length: MAX_PATH_PARAM_LENGTH },
          },
        ],
        request_id: request.id,
      }),
    );
    return;
  }
  reply.code(400).send(JSON.stringify({ detail: 'Malformed URL', code: 'bad_request', request_id: request.id }));
}
