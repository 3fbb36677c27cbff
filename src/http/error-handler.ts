// Renders every failure in the documented shape: 422 as FastAPI's HTTPValidationError, catalogue errors as
// `{detail, code, request_id, ...extra}`, Junction's own conflict bodies as they are, and nothing internal.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, InvalidFieldError, overloaded, RawBodyError } from '../domain/errors.js';
import { RequestValidationError } from './request-validation.js';

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .serializer((payload: unknown) => JSON.stringify(payload))
    .send(body);
}

/** The catalogue body for an AppError: `{detail, code, ...extra, request_id}`. */
export function errorBody(error: AppError, requestId: string): Record<string, unknown> {
  return { detail: error.message, code: error.code, ...error.extra, request_id: requestId };
}

/** Sends the catalogue shape for `code`. */
export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return sendJson(reply, error.status, errorBody(error, request.id));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof RequestValidationError) {
      return sendJson(reply, 422, { detail: error.errors, request_id: request.id });
    }
    if (error instanceof InvalidFieldError) {
      const detail = { type: error.type, loc: ['body', ...error.field], msg: error.message, ...(error.ctx ? { ctx: error.ctx } : {}) };
      return sendJson(reply, 422, { detail: [detail], request_id: request.id });
    }
    if (error instanceof AppError) return sendError(reply, request, error);
    if (error instanceof RawBodyError) return sendJson(reply, error.status, error.body);
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, request, new AppError('payload_too_large', 'Request body is larger than 1 MiB'));
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fastifyError.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
      return sendJson(reply, 422, {
        detail: [
          { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from' },
        ],
        request_id: request.id,
      });
    }
    if (fastifyError.statusCode === 429) {
      return sendError(reply, request, new AppError('rate_limited', 'Too many requests', {}, { 'retry-after': '60' }));
    }
    if (fastifyError.statusCode === 503) {
      return sendError(reply, request, overloaded());
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return sendJson(reply, fastifyError.statusCode, { detail: fastifyError.message, code: 'bad_request', request_id: request.id });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendJson(reply, 500, { detail: 'Internal Server Error', code: 'internal_error', request_id: request.id });
  });

  app.setNotFoundHandler((request, reply) => {
    return sendJson(reply, 404, { detail: 'Not Found', code: 'not_found', request_id: request.id });
  });
}
