// Bad-input fuzzing generated from our own GET /openapi.json: for every operation, a plausible request is
// derived from its parameter and body schemas, then broken in one way (missing, extra, wrong-typed, null,
// huge, unicode and deeply nested fields, invalid JSON, wrong content types, oversized bodies, bad path,
// query and header values). fast-check supplies the random choices, so a failing case replays from its seed.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { ApiRequest, KeyModel } from './api-client.js';
import { authHeaders } from './api-client.js';

type Schema = Record<string, any>;

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. `/v1/org/{org_id}/team`. */
  path: string;
  api: 'operator' | 'management' | 'team' | 'public';
  params: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: Schema }[];
  body: Schema | null;
  bodyRequired: boolean;
}

/** Lists the operations of an OpenAPI 3.1 document. */
export function operationsOf(doc: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const api = path.startsWith('/operator/')
        ? 'operator'
        : path.startsWith('/v1/org')
          ? 'management'
          : /^\/(v2|v3)\//.test(path) || path === '/whoami'
            ? 'team'
            : 'public';
      const json = op.requestBody?.content?.['application/json'];
      out.push({
        method: method.toUpperCase(),
        path,
        api,
        params: (op.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: p.schema ?? {} })),
        body: json?.schema ?? null,
        bodyRequired: Boolean(op.requestBody?.required),
      });
    }
  }
  return out;
}

/** Values that make a request reach real objects: ids of the fuzz tenant by parameter name. */
export interface FuzzContext {
  doc: any;
  ids: Record<string, string[]>;
  keys: { operator: KeyModel; management: KeyModel[]; team: KeyModel[] };
}

function resolve(doc: any, schema: Schema | undefined, depth = 0): Schema {
  if (!schema || depth > 20) return {};
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return resolve(doc, doc.components?.schemas?.[name], depth + 1);
  }
  return schema;
}

const KNOWN_STRINGS: Record<string, string> = {
  zip: '90001',
  state: 'CA',
  country: 'US',
  first_name: 'Alex',
  last_name: 'Fuzz',
  name: 'Fuzz Name',
  phone_number: '+15555550100',
  gender: 'female',
  label: 'fuzz',
  city: 'Los Angeles',
  first_line: '1 Main St',
  npi: '1234567893',
  dob: '1980-01-02',
};

/** A plausible value for `schema` (the happy path the mutations start from). */
export function plausible(ctx: FuzzContext, schemaIn: Schema | undefined, name = '', depth = 0): unknown {
  const schema = resolve(ctx.doc, schemaIn);
  if (depth > 8) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.find((v: unknown) => v !== null) ?? schema.enum[0];
  if (schema.default !== undefined && schema.default !== null) return schema.default;
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) {
      const options = schema[key].map((s: Schema) => resolve(ctx.doc, s));
      const pick = options.find((s: Schema) => s.type !== 'null') ?? options[0];
      return plausible(ctx, pick, name, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Record<string, unknown> = {};
    for (const part of schema.allOf) Object.assign(merged, plausible(ctx, part, name, depth + 1) as object);
    return merged;
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string')) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [prop, sub] of Object.entries<Schema>(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(prop) || depth < 2) out[prop] = plausible(ctx, sub, prop, depth + 1);
      }
      return out;
    }
    case 'array': {
      const count = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: count }, () => plausible(ctx, schema.items, name, depth + 1));
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default: {
      if (schema.format === 'uuid' || /(^|_)id$/.test(name) || name.endsWith('_ids')) return idFor(ctx, name);
      if (schema.format === 'date') return '1990-01-02';
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'email') return 'fuzz@example.com';
      if (schema.format === 'uri') return 'https://example.com/x';
      return KNOWN_STRINGS[name] ?? 'x'.repeat(Math.max(1, Math.min(schema.minLength ?? 1, 64)));
    }
  }
}

function idFor(ctx: FuzzContext, name: string): string {
  const pool = ctx.ids[name] ?? ctx.ids[name.replace(/s$/, '')] ?? [];
  return pool.length > 0 ? pool[Math.floor(Math.random() * pool.length)] : randomUUID();
}

// ------------------------------------------------------------------------------------------------ mutations

export const MUTATIONS = [
  'as_generated',
  'drop_required',
  'wrong_type',
  'null_field',
  'null_body',
  'huge_string',
  'unicode',
  'deep_nesting',
  'extra_fields',
  'invalid_json',
  'wrong_content_type',
  'oversized',
  'bad_path',
  'bad_query',
  'bad_headers',
  'no_key',
  'wrong_kind_key',
  'array_body',
  'empty_body',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Strings known to trouble parsers, drivers and databases. */
const NASTY = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '\u202e\u0041',
  '😀'.repeat(50),
  '\uFEFF',
  '%00',
  '../../etc/passwd',
  '${jndi:x}',
  "' or 1=1 --",
  '"; drop table orgs; --',
  '<script>alert(1)</script>',
  '\\',
  '\n\r\t',
  ' ',
  '',
  'null',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(400),
  'Ω≈ç√∫',
  'ß'.repeat(300),
];

const WRONG_TYPES: unknown[] = [123, -1.5, true, 'text', [], {}, [1, 2], { nested: { x: 1 } }, 1e308, '2020-13-45'];

/** The random choices of one fuzz case (drawn by fast-check). */
export interface FuzzCase {
  op: number;
  mutation: Mutation;
  pick: number;
  text: string;
  nasty: number;
  wrong: number;
}

export const fuzzCase = (operations: number): fc.Arbitrary<FuzzCase> =>
  fc.record({
    op: fc.nat({ max: Math.max(0, operations - 1) }),
    mutation: fc.constantFrom(...MUTATIONS),
    pick: fc.nat(),
    text: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 })),
    nasty: fc.nat({ max: NASTY.length - 1 }),
    wrong: fc.nat({ max: WRONG_TYPES.length - 1 }),
  });

/** encodeURIComponent that survives lone surrogates (they cannot be UTF-8 encoded; U+FFFD stands in). */
const encode = (value: string): string =>
  encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

/** Paths to every field of a JSON value (arrays by index), for picking one to break. */
function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return prefix.length ? [prefix] : [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  for (const [k, v] of entries) out.push(...fieldPaths(v, [...prefix, k]));
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): void {
  let node = root as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
}

export interface BuiltCase {
  operation: Operation;
  mutation: Mutation;
  request: ApiRequest;
  /** What must come back regardless of the rest (e.g. 413 for an oversized body). */
  expectStatus?: number[];
}

/** Turns one set of random choices into a concrete request. */
export function buildCase(ctx: FuzzContext, operations: Operation[], c: FuzzCase): BuiltCase {
  const operation = operations[c.op % operations.length];
  const { mutation } = c;
  const key =
    operation.api === 'operator'
      ? ctx.keys.operator
      : operation.api === 'management'
        ? ctx.keys.management[c.pick % ctx.keys.management.length]
        : ctx.keys.team[c.pick % ctx.keys.team.length];
  const headers: Record<string, string> = operation.api === 'public' ? {} : { ...authHeaders(key) };
  const nasty = NASTY[c.nasty];
  const wrong = WRONG_TYPES[c.wrong];

  // Path and query from the parameter schemas.
  const pathValues: Record<string, string> = {};
  const query: [string, string][] = [];
  for (const p of operation.params) {
    const value = plausible(ctx, p.schema, p.name);
    const values = Array.isArray(value) ? value : [value];
    if (p.in === 'path') pathValues[p.name] = String(values[0]);
    else if (p.in === 'query' && (p.required || c.pick % 3 === 0)) for (const v of values) query.push([p.name, String(v)]);
    else if (p.in === 'header' && p.required) headers[p.name] = String(values[0]);
  }
  const pathParams = operation.params.filter((p) => p.in === 'path');
  const queryParams = operation.params.filter((p) => p.in === 'query');
  if (mutation === 'bad_path' && pathParams.length > 0) {
    const p = pathParams[c.pick % pathParams.length];
    pathValues[p.name] = [nasty, c.text, 'not-a-uuid', '0'.repeat(5000), String(wrong), `${randomUUID()}x`][c.pick % 6];
  }
  if (mutation === 'bad_query') {
    const name = queryParams.length > 0 && c.pick % 4 !== 0 ? queryParams[c.pick % queryParams.length].name : `unknown_${c.pick % 7}`;
    const bad = [nasty, c.text, String(wrong), 'x'.repeat(20_000), '-999999999999999999999', '[]', '{"a":1}'][c.pick % 7];
    query.push([name, bad]);
    if (c.pick % 2 === 0) query.push([name, bad]);
  }
  // Some bad paths go out unencoded: malformed percent-escapes and traversal reach the router as they are.
  const raw = mutation === 'bad_path' && c.pick % 5 === 4 ? pathParams[c.pick % Math.max(1, pathParams.length)]?.name : undefined;
  if (raw) pathValues[raw] = ['%', '%zz', '%E0%A4%A', '..%2f..%2f', '%00', '%ff%fe', '%C0%AF'][c.nasty % 7];
  let url = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name === raw ? pathValues[name] : encode(pathValues[name] ?? randomUUID()),
  );
  if (query.length > 0) url += `?${query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;

  const request: ApiRequest = { method: operation.method, url, headers };
  let expectStatus: number[] | undefined;
  const hasBody = operation.body !== null;
  let body: unknown = hasBody ? plausible(ctx, operation.body ?? undefined) : undefined;
  const paths = fieldPaths(body);
  const target = paths.length > 0 ? paths[c.pick % paths.length] : null;
  const bodyLess = !['POST', 'PUT', 'PATCH'].includes(operation.method);

  switch (mutation) {
    case 'drop_required': {
      const schema = resolve(ctx.doc, operation.body ?? {});
      const required: string[] = schema.required ?? [];
      if (required.length > 0 && body && typeof body === 'object')
        delete (body as Record<string, unknown>)[required[c.pick % required.length]];
      else if (target) setAt(body, target, undefined, true);
      break;
    }
    case 'wrong_type':
      if (target) setAt(body, target, wrong);
      else body = wrong;
      break;
    case 'null_field':
      if (target) setAt(body, target, null);
      break;
    case 'null_body':
      request.rawBody = 'null';
      headers['content-type'] = 'application/json';
      break;
    case 'huge_string':
      if (target) setAt(body, target, 'H'.repeat(100_000 + (c.pick % 1000)));
      break;
    case 'unicode':
      if (target) setAt(body, target, c.pick % 2 === 0 ? nasty : c.text);
      break;
    case 'deep_nesting': {
      // Built as text: deeper than JSON.stringify (and many parsers' recursion) can go.
      const depth = [50, 1_000, 3_000, 20_000, 200_000][c.pick % 5];
      const open = c.pick % 2 === 0 ? '['.repeat(depth) : '{"a":'.repeat(depth);
      const close = c.pick % 2 === 0 ? ']'.repeat(depth) : '}'.repeat(depth);
      const nested = `${open}1${close}`;
      const marker = '"__deep__"';
      if (target && body && typeof body === 'object' && c.pick % 3 === 0) {
        setAt(body, target, '__deep__');
        request.rawBody = JSON.stringify(body).replace(marker, nested);
      } else request.rawBody = nested;
      headers['content-type'] = 'application/json';
      break;
    }
    case 'extra_fields': {
      const extras = {
        unexpected: c.text,
        ['__proto__']: { polluted: true },
        constructor: { prototype: { x: 1 } },
        [c.text || 'k']: wrong,
      };
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        request.rawBody = JSON.stringify(body).replace(
          /^\{/,
          `{${JSON.stringify(extras).slice(1, -1)}${Object.keys(body as object).length ? ',' : ''}`,
        );
        headers['content-type'] = 'application/json';
      } else body = extras;
      break;
    }
    case 'invalid_json': {
      const text = JSON.stringify(body ?? { a: 1 });
      request.rawBody = [
        text.slice(0, Math.max(1, c.pick % text.length)),
        `${text},`,
        `{'single': 'quotes'}`,
        '{"a":1}}',
        '\u0000',
        text.replace(/"/, ''),
        '[',
        '{"a":}',
      ][c.pick % 8];
      headers['content-type'] = 'application/json';
      break;
    }
    case 'wrong_content_type': {
      request.rawBody = JSON.stringify(body ?? {});
      headers['content-type'] = [
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'application/octet-stream',
        'text/json',
        c.text.replace(/[^\x20-\x7e]/g, '') || 'x/y',
      ][c.pick % 8];
      break;
    }
    case 'oversized': {
      request.rawBody = JSON.stringify({
        pad: 'P'.repeat(1024 * 1024 + 16 + (c.pick % 4096)),
        ...(body && typeof body === 'object' ? body : {}),
      });
      headers['content-type'] = 'application/json';
      // Authentication comes first; a caller with a valid key learns the limit.
      if (!bodyLess) expectStatus = [413];
      break;
    }
    case 'bad_headers': {
      const variants: Record<string, string>[] = [
        { 'x-vital-api-key': 'sk_us_' + 'A'.repeat(10_000) },
        { 'x-management-key': 'mg_' + nasty.replace(/[^\x20-\x7e]/g, '?') },
        { 'x-operator-key': 'x'.repeat(600) },
        { authorization: 'Bearer ' + 'tat_' + c.text.replace(/[^\x21-\x7e]/g, 'z') },
        { 'x-idempotency-key': 'I'.repeat(5_000) },
        { 'x-idempotency-error': 'maybe' },
        { 'if-match': `"${c.text.replace(/[^\x20-\x7e]/g, '')}"` },
        { 'content-type': 'application/json; charset=latin1' },
        { 'content-encoding': 'gzip' },
        { accept: 'application/xml' },
      ];
      Object.assign(headers, variants[c.pick % variants.length]);
      break;
    }
    case 'no_key':
      for (const name of ['x-vital-api-key', 'x-management-key', 'x-operator-key', 'authorization']) delete headers[name];
      break;
    case 'wrong_kind_key': {
      for (const name of ['x-vital-api-key', 'x-management-key', 'x-operator-key', 'authorization']) delete headers[name];
      const others = [ctx.keys.operator, ...ctx.keys.management, ...ctx.keys.team].filter((k) => k.kind !== key.kind);
      Object.assign(headers, authHeaders(others[c.pick % others.length]));
      break;
    }
    case 'array_body':
      body = [body];
      break;
    case 'empty_body':
      request.rawBody = '';
      headers['content-type'] = 'application/json';
      break;
    case 'as_generated':
      break;
  }
  if (request.rawBody === undefined && body !== undefined && !bodyLess) request.body = body;
  if (request.rawBody !== undefined && bodyLess && mutation !== 'oversized') delete request.rawBody;
  return { operation, mutation, request, expectStatus };
}

/** SPEC.md's error catalogue (code → status), for checking that every error code keeps its status. */
export const SPEC_CATALOGUE: Record<string, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  lab_account_not_found: 404,
  order_not_found: 404,
  user_not_found: 404,
  lab_test_not_found: 404,
  teams_not_in_org: 400,
  teams_not_in_region: 400,
  lab_account_lab_mismatch: 400,
  lab_account_not_active: 400,
  billing_type_not_allowed: 400,
  physician_required: 400,
  no_lab_account_available: 400,
  no_active_lab_account: 400,
  no_eligible_lab_account: 400,
  lab_account_ambiguous: 400,
  multiple_labs: 400,
  multiple_collection_methods: 400,
  collection_method_mismatch: 400,
  lab_account_conflict: 400,
  cancel_not_allowed: 400,
  sandbox_only: 400,
  results_not_ready: 404,
  invalid_status_transition: 400,
  idempotency_key_reused: 409,
  idempotency_request_in_progress: 409,
  platform_account_exists: 409,
  provider_account_id_taken: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  overloaded: 503,
  minor_not_allowed: 400,
  medical_proxy_required: 400,
  icd_codes_required: 400,
  lab_account_mismatch: 400,
};

/** Checks an error body against SPEC.md's shapes; returns a complaint or null. */
export function errorShapeProblem(operation: Operation, status: number, body: any): string | null {
  if (body === undefined || body === null || typeof body !== 'object') return 'error body is not JSON';
  if (status === 422) {
    if (!Array.isArray(body.detail) || body.detail.length === 0) return '422 without a detail array';
    for (const item of body.detail) {
      if (!item || !Array.isArray(item.loc) || typeof item.msg !== 'string' || typeof item.type !== 'string')
        return `422 item not {loc, msg, type}: ${JSON.stringify(item).slice(0, 120)}`;
      if (!item.loc.every((p: unknown) => typeof p === 'string' || Number.isInteger(p)))
        return `422 loc has a non-string, non-integer part: ${JSON.stringify(item.loc)}`;
      if (typeof item.input === 'string' && item.input.length > 256) return `422 echoes ${item.input.length} characters of input (max 256)`;
    }
    return null;
  }
  // Junction's own bodies, kept as Junction has them.
  if (status === 400 && operation.method === 'POST' && operation.path === '/v2/user' && body.detail && typeof body.detail === 'object') {
    const d = body.detail;
    return ['error_type', 'error_message', 'user_id', 'created_on'].every((k) => k in d)
      ? null
      : "duplicate-user 400 without Junction's fields";
  }
  if (status === 409 && /^\/v1\/org\/\{org_id\}\/team/.test(operation.path) && typeof body.team_id === 'string' && !('code' in body))
    return null;
  if (typeof body.detail !== 'string' || typeof body.code !== 'string' || typeof body.request_id !== 'string') {
    return `not {detail: string, code: string, request_id}: ${JSON.stringify(body).slice(0, 160)}`;
  }
  const expected = SPEC_CATALOGUE[body.code];
  if (expected !== undefined && expected !== status) return `code ${body.code} came with ${status}, SPEC.md says ${expected}`;
  if (expected === undefined && body.code.endsWith('_not_found') && status !== 404) return `code ${body.code} came with ${status}`;
  return null;
}

/** Every route SPEC.md and CONTRACT.md require (path parameters as `{}`). */
export const REQUIRED_ROUTES = [
  'GET /v3/lab_test/lab_account',
  'POST /v2/user',
  'GET /v2/user',
  'GET /v2/user/{}',
  'GET /v2/user/resolve/{}',
  'GET /v3/lab_tests',
  'GET /v3/lab_test',
  'GET /v3/lab_tests/{}',
  'GET /v3/lab_tests/labs',
  'POST /v3/order',
  'GET /v3/order/{}',
  'GET /v3/orders',
  'POST /v3/order/{}/cancel',
  'POST /v3/order/{}/test',
  'GET /v3/order/{}/result',
  'GET /v3/order/{}/result/metadata',
  'GET /v3/order/{}/result/pdf',
  'GET /v3/order/{}/requisition/pdf',
  'GET /v3/unmatched_result',
  'GET /v3/unmatched_result/{}',
  'POST /v3/unmatched_result/{}/accept',
  'POST /v3/unmatched_result/{}/resolve',
  'POST /v3/order/resend_events',
  'POST /v3/order/resolve_lab_account',
  'GET /whoami',
  'GET /v1/org/{}/lab_account/{}/{}',
  'GET /v1/org/{}/lab_account/{}/{}/{}',
  'PATCH /v1/org/{}/lab_account/{}/{}/{}',
  'POST /v1/org/{}/lab_account/{}/{}/{}/impact',
  'GET /v1/org/{}/lab_account/{}/{}/{}/history',
  'GET /v1/org/{}/team',
  'POST /v1/org/{}/team',
  'GET /v1/org/{}/team/{}',
  'POST /v1/org/{}/team/{}/create_api_access_token',
  'GET /v1/org/{}/team_api_keys/{}/{}',
  'POST /v1/org/{}/team_api_keys/{}/{}',
  'DELETE /v1/org/{}/team_api_keys/{}/{}',
  'GET /v1/org/{}/management_key',
  'POST /v1/org/{}/management_key',
  'PATCH /v1/org/{}/management_key/{}',
  'DELETE /v1/org/{}/management_key/{}',
  'POST /v1/org/{}/webhook_endpoints',
  'GET /v1/org/{}/webhook_endpoints',
  'DELETE /v1/org/{}/webhook_endpoints/{}',
  'POST /operator/v1/orgs',
  'POST /operator/v1/orgs/{}/management_keys',
  'POST /operator/v1/lab_accounts',
  'GET /operator/v1/lab_accounts',
  'GET /operator/v1/lab_accounts/{}',
  'PATCH /operator/v1/lab_accounts/{}',
  'POST /operator/v1/lab_tests',
  'POST /operator/v1/results',
  'POST /operator/v1/orders/{}/events',
  'GET /operator/v1/unmatched_results',
];
