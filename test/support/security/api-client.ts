// One small HTTP client for the reliability and security suites: the same calls go through Fastify's
// `inject` (in-process, fast) or through real sockets (`fetch`, for a separately started server).
import type { FastifyInstance } from 'fastify';

export interface ApiRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (serialized here, with `content-type: application/json`). */
  body?: unknown;
  /** A raw body sent as is (the caller sets the content type). */
  rawBody?: string | Buffer;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: any;
}

export type Send = (request: ApiRequest) => Promise<ApiResponse>;

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function prepared(request: ApiRequest): { headers: Record<string, string>; payload: string | Buffer | undefined } {
  const headers = { ...(request.headers ?? {}) };
  if (request.rawBody !== undefined) return { headers, payload: request.rawBody };
  if (request.body === undefined) return { headers, payload: undefined };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  return { headers, payload: JSON.stringify(request.body) };
}

/** A sender that calls the app in-process. */
export function injectSender(app: FastifyInstance): Send {
  return async (request) => {
    const { headers, payload } = prepared(request);
    const res = await app.inject({ method: request.method as never, url: request.url, headers, payload });
    return { status: res.statusCode, headers: res.headers as ApiResponse['headers'], text: res.body, json: parse(res.body) };
  };
}

/** A sender that calls a listening server over HTTP. */
export function fetchSender(baseUrl: string): Send {
  return async (request) => {
    const { headers, payload } = prepared(request);
    const res = await fetch(`${baseUrl}${request.url}`, { method: request.method, headers, body: payload });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      out[name] = value;
    });
    return { status: res.status, headers: out, text, json: parse(text) };
  };
}

/** The router's own 404 for a path no route serves: the route the suite needs does not exist (yet). */
export function isRouterNotFound(res: ApiResponse): boolean {
  return res.status === 404 && res.json?.detail === 'Not Found';
}

/** Every kind of caller the APIs know, with what SPEC.md ties each key to. */
export type KeyModel =
  | { kind: 'operator'; label: string; secret: string }
  | { kind: 'org_admin'; label: string; secret: string; id: string; orgId: string }
  | { kind: 'team_admin'; label: string; secret: string; id: string; orgId: string; teamIds: string[] }
  | {
      kind: 'team_key';
      label: string;
      secret: string;
      id: string;
      orgId: string;
      teamId: string;
      env: 'sandbox' | 'production';
      region: 'us' | 'eu';
    }
  | {
      kind: 'access_token';
      label: string;
      secret: string;
      orgId: string;
      teamId: string;
      env: 'sandbox' | 'production';
      region: 'us' | 'eu';
    };

export type TeamCaller = Extract<KeyModel, { kind: 'team_key' | 'access_token' }>;
export type ManagementCaller = Extract<KeyModel, { kind: 'org_admin' | 'team_admin' }>;

/** The header that carries `key`, as each API expects it. */
export function authHeaders(key: KeyModel): Record<string, string> {
  switch (key.kind) {
    case 'operator':
      return { 'x-operator-key': key.secret };
    case 'org_admin':
    case 'team_admin':
      return { 'x-management-key': key.secret };
    case 'team_key':
      return { 'x-vital-api-key': key.secret };
    case 'access_token':
      return { authorization: `Bearer ${key.secret}` };
  }
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      out[index] = await fn(items[index], index);
    }
  });
  await Promise.all(workers);
  return out;
}
