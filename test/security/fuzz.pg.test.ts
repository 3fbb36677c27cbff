// Bad-input fuzzing of every route in GET /openapi.json (issue #7 item 2): ≥ 10,000 generated requests on
// PostgreSQL; none may answer ≥ 500, every 4xx must have SPEC.md's shape, an oversized body must be 413
// payload_too_large, and no rejected request may change any table (digest of every table before and after).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { authHeaders, injectSender, type KeyModel, type Send } from '../support/security/api-client.js';
import { changedTables, DIGEST_EXCLUDED_TABLES, digest, digestTables, fingerprint } from '../support/security/db-digest.js';
import {
  buildCase,
  errorShapeProblem,
  type FuzzContext,
  fuzzCase,
  type Operation,
  operationsOf,
  REQUIRED_ROUTES,
} from '../support/security/openapi-fuzz.js';
import { buildWorld, type World } from '../support/security/world.js';
import { backend, createTestApp, type TestApp } from '../support/test-app.js';

const CASES = Number(process.env.LABROUTE_FUZZ_CASES ?? 10_500);
const SEED = Number(process.env.LABROUTE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('bad-input fuzzing from /openapi.json (PostgreSQL)', () => {
  let t: TestApp;
  let send: Send;
  let doc: any;
  let world: World;
  let ctx: FuzzContext;
  let operations: Operation[];

  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    // Load shedding by event-loop delay is off here: a 1 MiB parse may stall the loop, and a 503 is not a bug.
    t = await createTestApp({
      LABROUTE_DB_POOL_SIZE: '10',
      LABROUTE_MAX_EVENT_LOOP_DELAY_MS: '0',
      LABROUTE_WEBHOOK_RETRY_SCHEDULE: '3600',
    });
    send = injectSender(t.app);
    doc = (await send({ method: 'GET', url: '/openapi.json' })).json;
    world = await buildWorld(send, t.operatorKey, {
      orgs: [
        {
          teamRegions: ['us', 'eu'],
          teamAdminBindings: [[true, false, false]],
          accounts: [
            { cell: 0, lab: 'quest', status: 'active', links: [true, false, false] },
            { cell: 0, lab: 'labcorp', status: 'suspended', links: [true, false, false] },
            { cell: 1, lab: 'quest', status: 'active', links: [true, false, false] },
          ],
        },
        {
          teamRegions: ['us'],
          teamAdminBindings: [[true, false, false]],
          accounts: [{ cell: 0, lab: 'quest', status: 'active', links: [true, false, false] }],
        },
      ],
      platform: [{ cell: 0, lab: 'bioreference' }],
      sharedClientUserIds: false,
      afterOrders: [],
    });
    const org = world.orgs[0];
    const teamKeys = world.keys.filter((k) => (k.kind === 'team_key' || k.kind === 'access_token') && k.orgId === org?.id);
    const teamKey = teamKeys.find((k) => k.kind === 'team_key' && k.env === 'sandbox' && k.region === 'us') ?? teamKeys[0];
    const token = teamKeys.find((k) => k.kind === 'access_token');
    const teamAdmin = world.keys.find((k) => k.kind === 'team_admin' && k.orgId === org?.id);
    // Objects the fuzzer may delete: a spare management key and the team keys it does not use.
    const spare = org
      ? (
          await send({
            method: 'POST',
            url: `/v1/org/${org.id}/management_key`,
            headers: authHeaders(org.adminKey),
            body: { label: 'spare', role: 'org_admin' },
          })
        ).json
      : undefined;
    const usedKeyIds = new Set([teamKey, token].map((k) => (k && 'id' in k ? k.id : '')));
    ctx = {
      doc,
      ids: {
        org_id: world.orgs.map((o) => o.id),
        team_id: world.teams.filter((x) => x.orgId === org?.id).map((x) => x.id),
        account_id: world.accounts.map((a) => a.id),
        lab_account_id: world.accounts.map((a) => a.id),
        id: world.accounts.map((a) => a.id),
        // Production orders only: a sandbox order accepts `/test`, whose simulation worker then changes orders
        // in the background, which would blur "nothing written by a rejected request".
        order_id: world.orders.filter((o) => o.env === 'production').map((o) => o.id),
        user_id: world.users.map((u) => u.id),
        lab_test_id: world.labTests.map((x) => x.id),
        lab_test_ids: world.labTests.map((x) => x.id),
        raw_result_id: world.unmatched.map((u) => u.id),
        key_id: spare?.id ? [spare.id] : [],
        api_key_id: world.teamKeys.filter((k) => !usedKeyIds.has(k.id)).map((k) => k.id),
        client_user_id: world.users.map((u) => u.clientUserId),
      },
      keys: {
        operator: world.keys[0],
        management: [org?.adminKey, teamAdmin].filter((k): k is KeyModel => Boolean(k)),
        team: [teamKey, token].filter((k): k is KeyModel => Boolean(k)),
      },
    };
    operations = operationsOf(doc);
  });
  after(async () => t?.close());

  it('the change detectors see an insert, an update and a delete', async () => {
    const db = t.database.db;
    const tables = await digestTables(t.database.db);
    assert.ok(tables.includes('orgs') && tables.includes('audit_log'), tables.join());
    const id = randomUUID();
    const steps: [string, () => Promise<unknown>][] = [
      ['insert', () => db.insertInto('orgs').values({ id, name: 'digest probe' }).execute()],
      ['update', () => db.updateTable('orgs').set({ name: 'digest probe 2' }).where('id', '=', id).execute()],
      ['delete', () => db.deleteFrom('orgs').where('id', '=', id).execute()],
    ];
    for (const [what, write] of steps) {
      const [f0, d0] = [await fingerprint(db, tables), await digest(db, tables)];
      await write();
      assert.deepEqual(changedTables(f0, await fingerprint(db, tables)), ['orgs'], `fingerprint after ${what}`);
      assert.deepEqual(changedTables(d0, await digest(db, tables)), ['orgs'], `md5 digest after ${what}`);
    }
  });

  it('router-level and storage-level edge cases answer in SPEC.md shapes (never 5xx, never Fastify bodies)', async () => {
    const op = { 'x-operator-key': t.operatorKey };
    const org = world.orgs[0];
    assert.ok(org, 'the fuzz tenant has no org');
    const mg = authHeaders(org.adminKey);
    // A path parameter longer than the router accepts: 422 in FastAPI's shape, with no Fastify fields.
    const long = await send({ method: 'GET', url: `/v1/org/${'0'.repeat(5000)}`, headers: mg });
    assert.equal(long.status, 422, long.text.slice(0, 200));
    assert.equal(long.json.detail[0].type, 'string_too_long');
    assert.equal(long.json.error, undefined);
    // A malformed percent-escape: 400 bad_request in the catalogue shape.
    for (const bad of ['%', '%zz', '%E0%A4%A']) {
      const res = await send({ method: 'GET', url: `/v1/org/${bad}`, headers: mg });
      assert.equal(res.status, 400, `${bad}: ${res.text.slice(0, 200)}`);
      assert.equal(res.json.code, 'bad_request');
      assert.equal(typeof res.json.request_id, 'string');
    }
    // NUL characters and unpaired surrogates, which PostgreSQL cannot store: 422 wherever they are.
    const nul = await send({ method: 'POST', url: '/operator/v1/orgs', headers: op, body: { name: 'a\u0000b' } });
    assert.equal(nul.status, 422, nul.text.slice(0, 200));
    const surrogate = await send({
      method: 'PATCH',
      url: `/v1/org/${org.id}`,
      headers: { ...mg, 'content-type': 'application/json' },
      rawBody: '{"name": "x\\udfff"}',
    });
    assert.ok([422].includes(surrogate.status), surrogate.text.slice(0, 200));
    const inQuery = await send({ method: 'GET', url: `/v1/org/${org.id}/team?search_query=%00`, headers: mg });
    assert.equal(inQuery.status, 422, inQuery.text.slice(0, 200));
    assert.deepEqual(inQuery.json.detail[0].loc, ['query', 'search_query']);
    const inPath = await send({ method: 'GET', url: '/v2/user/resolve/a%00b', headers: authHeaders(ctx.keys.team[0]) });
    assert.equal(inPath.status, 422, inPath.text.slice(0, 200));
    // (An unknown field is dropped by the schema before it could reach storage, NUL or not.)
  });

  it('every route SPEC.md and CONTRACT.md require is in /openapi.json', () => {
    const present = new Set(operations.map((o) => `${o.method} ${o.path.replace(/\{[^}]+\}/g, '{}')}`));
    const missing = REQUIRED_ROUTES.filter((r) => !present.has(r));
    assert.deepEqual(missing, [], `routes missing from /openapi.json (${missing.length}/${REQUIRED_ROUTES.length})`);
  });

  it(`${CASES} generated bad requests: no 5xx, documented 4xx shapes, nothing written on rejection (seed ${SEED})`, {
    timeout: 175_000,
  }, async () => {
    assert.ok(
      ctx.keys.management.length > 0 && ctx.keys.team.length > 0,
      `the fuzz tenant could not be built: ${world.setupFailures.slice(0, 3).join('; ')}`,
    );
    const tables = await digestTables(t.database.db);
    let current = await fingerprint(t.database.db, tables);
    const problems: string[] = [];
    const perOperation = new Map<string, number>();
    const statuses = new Map<number, number>();
    let sent = 0;
    const timing = new Map<string, number>();
    for (const c of fc.sample(fuzzCase(operations.length), { numRuns: CASES, seed: SEED })) {
      const built = buildCase(ctx, operations, c);
      const label = `${built.operation.method} ${built.operation.path} [${built.mutation}]`;
      let res;
      // Fingerprint right before the request too: background workers (webhook dispatch) may write between requests.
      const before = await fingerprint(t.database.db, tables);
      if (changedTables(current, before).length > 0) current = before;
      const started = process.hrtime.bigint();
      try {
        res = await send({ ...built.request, headers: { 'x-request-tag': randomUUID(), ...built.request.headers } });
      } catch (error) {
        // The HTTP client refused to send it (e.g. an illegal header value): not a server answer.
        if (/Invalid character|ERR_INVALID_CHAR|ERR_HTTP_INVALID_HEADER_VALUE/.test(String(error))) continue;
        problems.push(`${label}: request failed: ${String(error).slice(0, 200)}`);
        continue;
      }
      sent += 1;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      timing.set(built.mutation, (timing.get(built.mutation) ?? 0) + ms);
      perOperation.set(
        `${built.operation.method} ${built.operation.path}`,
        (perOperation.get(`${built.operation.method} ${built.operation.path}`) ?? 0) + 1,
      );
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) problems.push(`${label}: ${res.status} ${res.text.slice(0, 200)} ← ${describeRequest(built.request)}`);
      if (built.expectStatus && !built.expectStatus.includes(res.status) && ![401, 403].includes(res.status)) {
        problems.push(`${label}: expected ${built.expectStatus.join('/')}, got ${res.status} ${res.text.slice(0, 160)}`);
      }
      if (built.mutation === 'oversized' && res.status === 413 && res.json?.code !== 'payload_too_large')
        problems.push(`${label}: 413 without payload_too_large`);
      if (res.status >= 400 && res.status < 500) {
        const shape = errorShapeProblem(built.operation, res.status, res.json);
        if (shape) problems.push(`${label}: ${res.status} ${shape} ← ${describeRequest(built.request)}`);
      }
      const digestStarted = process.hrtime.bigint();
      const after = await fingerprint(t.database.db, tables);
      timing.set('(digest)', (timing.get('(digest)') ?? 0) + Number(process.hrtime.bigint() - digestStarted) / 1e6);
      const changed = changedTables(current, after);
      if (res.status >= 400 && changed.length > 0) {
        problems.push(`${label}: rejected with ${res.status} but changed ${changed.join(', ')} ← ${describeRequest(built.request)}`);
      }
      current = after;
    }
    if (process.env.LABROUTE_FUZZ_TIMING)
      console.log(
        [...timing]
          .sort((a, b) => b[1] - a[1])
          .map(([m, v]) => `${m} ${Math.round(v)}ms`)
          .join('\n'),
      );
    const coverage = operations.filter((o) => !perOperation.has(`${o.method} ${o.path}`)).map((o) => `${o.method} ${o.path}`);
    const summary =
      `seed ${SEED}: ${sent} requests over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
      `digest over ${tables.length} tables (excluded: ${Object.keys(DIGEST_EXCLUDED_TABLES).join(', ')})`;
    assert.ok(sent >= 10_000, `${summary}: fewer than 10,000 requests were sent`);
    assert.deepEqual(coverage, [], `${summary}: operations never fuzzed`);
    assert.deepEqual(dedupe(problems).slice(0, 30), [], `${summary}\n${problems.length} problems`);
  });
});

function describeRequest(request: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string | Buffer;
}): string {
  const body = request.rawBody !== undefined ? String(request.rawBody) : JSON.stringify(request.body ?? null);
  const headers = Object.entries(request.headers ?? {})
    .filter(([k]) => !/key|authorization|x-request-tag/i.test(k))
    .map(([k, v]) => `${k}: ${v.slice(0, 40)}`);
  return `${request.method} ${request.url.slice(0, 160)} ${headers.join('; ')} ${body.slice(0, 700)}`;
}

/** Keeps one problem per (route, mutation, first words): a systematic bug shows once. */
function dedupe(problems: string[]): string[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = p.replace(/[0-9a-f-]{36}/g, '').slice(0, 90);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
