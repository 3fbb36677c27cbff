// Request bodies are parsed here without ever throwing: invalid JSON and non-JSON payloads become markers
// that request validation turns into FastAPI-shaped 422s (after authentication, as SPEC.md orders checks).
import type { FastifyInstance } from 'fastify';
import { findJsonError, type JsonErrorPosition } from './json-error-position.js';

/** 1 MiB: larger bodies are 413 payload_too_large. */
export const BODY_LIMIT = 1024 * 1024;

const INVALID_JSON = Symbol('invalid-json');
const NOT_JSON = Symbol('not-json');

export interface InvalidJsonBody {
  [INVALID_JSON]: JsonErrorPosition;
}
export interface NotJsonBody {
  [NOT_JSON]: string;
}

export function invalidJsonOf(body: unknown): JsonErrorPosition | null {
  return typeof body === 'object' && body !== null && INVALID_JSON in body ? (body as InvalidJsonBody)[INVALID_JSON] : null;
}

export function notJsonOf(body: unknown): string | null {
  return typeof body === 'object' && body !== null && NOT_JSON in body ? (body as NotJsonBody)[NOT_JSON] : null;
}

/** Replaces Fastify's JSON parser and adds a catch-all one. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseJson = (_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // An empty JSON body counts as no body: the SDK sends that for optional bodies.
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      const position = findJsonError(text) ?? { pos: 0, msg: 'Expecting value' };
      done(null, { [INVALID_JSON]: position } satisfies InvalidJsonBody);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, parseJson);
  app.addContentTypeParser(/^application\/[\w.+-]*\+json$/, { parseAs: 'string', bodyLimit: BODY_LIMIT }, parseJson);
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req, body, done) => {
    // Like FastAPI, a body without any Content-Type is read as JSON.
    if (!req.headers['content-type']) return parseJson(req, body, done);
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') return done(null, undefined);
    done(null, { [NOT_JSON]: text } satisfies NotJsonBody);
  });
}
