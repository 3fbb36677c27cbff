// Secrets and PHI (issue #7 item 5): a full run through the public APIs with LOG_LEVEL=debug and the log
// captured; no key, token, patient name, date of birth, email or phone may appear in it. Keys are stored as
// salted hashes behind a non-secret lookup part; helmet's headers and a strict CSP on /dashboard are
// present; bodies over 1 MiB are 413 payload_too_large, in-process and over a real socket.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { ensureOperatorKey } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { loggerOptions } from '../../src/http/logger.js';
import { authHeaders, fetchSender, injectSender, isRouterNotFound, type Send } from '../support/security/api-client.js';
import { ADDRESS, buildWorld, type World } from '../support/security/world.js';
import { backend, openTestDatabase, TEST_OPERATOR_KEY } from '../support/test-app.js';

const tag = randomBytes(3).toString('hex').toUpperCase();
/** Distinctive patient data, so that a hit in the log can only come from a leak. */
const PATIENTS = [
  {
    first_name: `Zorvath${tag}`,
    last_name: `Quillanby${tag}`,
    dob: '1953-07-19',
    email: `zorvath.${tag.toLowerCase()}@example.org`,
    phone_number: '+15555017788',
    gender: 'male',
  },
  {
    first_name: `Ysmerelda${tag}`,
    last_name: `Thrumwell${tag}`,
    dob: '1961-11-03',
    email: `ysme.${tag.toLowerCase()}@example.org`,
    phone_number: '+15555019944',
    gender: 'female',
  },
];

/** The ways a date of birth can be written. */
function dobForms(dob: string): string[] {
  const [y, m, d] = dob.split('-');
  return [dob, `${y}${m}${d}`, `${m}/${d}/${y}`, `${d}/${m}/${y}`, `${dob}T00:00:00`];
}

/** Needles found in `haystack`, each reported once. */
export function findNeedles(haystack: string, needles: { what: string; value: string }[]): string[] {
  return needles.filter((n) => n.value.length >= 6 && haystack.includes(n.value)).map((n) => n.what);
}

describe('secrets and PHI stay out of logs and storage (PostgreSQL)', () => {
  let app: FastifyInstance;
  let database: DatabaseHandle;
  let send: Send;
  let world: World;
  let logText = '';
  const extraSecrets: { what: string; value: string }[] = [];
  const problems: string[] = [];

  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({ LABROUTE_DEMO: '0', LOG_LEVEL: 'debug', LABROUTE_WEBHOOK_ALLOW_PRIVATE: '1' });
    database = await openTestDatabase({ poolSize: config.dbPoolSize });
    await ensureOperatorKey(database, TEST_OPERATOR_KEY);
    app = await buildApp({ config, database, logger: { ...loggerOptions('debug'), stream } });
    await app.ready();
    send = injectSender(app);

    // A complete run: orgs, keys of every kind, teams, accounts, lab tests, users, orders, results.
    world = await buildWorld(send, TEST_OPERATOR_KEY, {
      orgs: [
        {
          teamRegions: ['us', 'eu'],
          teamAdminBindings: [[true, false, false]],
          accounts: [
            { cell: 0, lab: 'quest', status: 'active', links: [true, false, false] },
            { cell: 1, lab: 'quest', status: 'active', links: [true, false, false] },
          ],
        },
        {
          teamRegions: ['us'],
          teamAdminBindings: [[true, false, false]],
          accounts: [{ cell: 0, lab: 'quest', status: 'active', links: [true, false, false] }],
        },
      ],
      platform: [{ cell: 0, lab: 'labcorp' }],
      sharedClientUserIds: false,
      afterOrders: [{ org: 0, account: 1, action: 'suspend' }],
    });
    const teamKey = world.keys.find((k) => k.kind === 'team_key' && k.env === 'sandbox' && k.region === 'us');
    const user = world.users.find((u) => teamKey && 'teamId' in teamKey && u.teamId === teamKey.teamId && u.env === 'sandbox');
    const account = world.accounts.find(
      (a) => teamKey && 'teamId' in teamKey && a.allowlist.includes(teamKey.teamId) && a.env === 'sandbox' && a.status === 'active',
    );
    const labTest = world.labTests.find((t) => t.env === 'sandbox' && t.region === 'us' && t.lab === account?.lab);
    if (!teamKey || !user || !account || !labTest) {
      problems.push(
        `the run could not reach orders: missing routes ${[...world.missingRoutes].join(', ') || 'none'}; ${world.setupFailures.slice(0, 3).join('; ')}`,
      );
    } else {
      const h = authHeaders(teamKey);
      for (const patient of PATIENTS) {
        const body = {
          user_id: user.id,
          lab_test_id: labTest.id,
          collection_method: 'walk_in_test',
          patient_details: patient,
          patient_address: ADDRESS,
          lab_account_id: account.id,
        };
        const idempotencyKey = `idem-${randomBytes(8).toString('hex')}`;
        const created = await send({ method: 'POST', url: '/v3/order', headers: { ...h, 'x-idempotency-key': idempotencyKey }, body });
        if (created.status !== 200) problems.push(`POST /v3/order → ${created.status} ${created.text.slice(0, 200)}`);
        // Replays, dry runs, rejections and searches that carry the same patient data.
        await send({ method: 'POST', url: '/v3/order', headers: { ...h, 'x-idempotency-key': idempotencyKey }, body });
        await send({ method: 'POST', url: '/v3/order/resolve_lab_account', headers: h, body });
        await send({
          method: 'POST',
          url: '/v3/order',
          headers: h,
          body: { ...body, patient_details: { ...patient, dob: `${patient.dob}X` } },
        });
        await send({
          method: 'POST',
          url: '/v3/order',
          headers: h,
          body: { ...body, patient_details: { ...patient, first_name: `${patient.first_name} ${'x'.repeat(60)}` } },
        });
        await send({
          method: 'POST',
          url: '/v3/order',
          headers: h,
          rawBody: `{"patient_details": {"first_name": "${patient.first_name}", "dob": "${patient.dob}"`,
        });
        await send({
          method: 'GET',
          url: `/v3/orders?patient_name=${encodeURIComponent(`${patient.first_name} ${patient.last_name}`)}&search_input=${patient.dob}`,
          headers: h,
        });
        await send({ method: 'GET', url: `/v2/user/resolve/${encodeURIComponent(patient.email)}`, headers: h });
        const orderId = created.json?.order?.id;
        if (orderId) {
          await send({ method: 'GET', url: `/v3/order/${orderId}`, headers: h });
          await send({ method: 'GET', url: `/v3/order/${orderId}/requisition/pdf`, headers: h });
          await send({
            method: 'POST',
            url: '/operator/v1/results',
            headers: { 'x-operator-key': TEST_OPERATOR_KEY },
            body: {
              env: 'sandbox',
              region: 'us',
              lab: account.lab,
              provider_account_id: account.providerAccountId,
              order_id: orderId,
              status: 'final',
              results: [
                {
                  name: 'Glucose',
                  slug: 'glucose',
                  result: '91',
                  type: 'numeric',
                  unit: 'mg/dL',
                  notes: `Patient ${patient.first_name} fasting`,
                },
              ],
            },
          });
          await send({ method: 'GET', url: `/v3/order/${orderId}/result`, headers: h });
          await send({ method: 'GET', url: `/v3/order/${orderId}/result/pdf`, headers: h });
          await send({ method: 'POST', url: `/v3/order/${orderId}/cancel`, headers: h });
        }
      }
    }
    // Failed authentication with real-looking secrets must not log them either.
    const wrong = [
      `sk_us_${randomBytes(20).toString('hex')}`,
      `mg_${randomBytes(20).toString('hex')}`,
      `op_${randomBytes(20).toString('hex')}`,
      `tat_${randomBytes(20).toString('hex')}`,
    ];
    for (const secret of wrong) {
      extraSecrets.push({ what: `rejected key ${secret.slice(0, 4)}`, value: secret });
      await send({
        method: 'GET',
        url: '/whoami',
        headers: { 'x-vital-api-key': secret, 'x-management-key': secret, 'x-operator-key': secret, authorization: `Bearer ${secret}` },
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
    logText = chunks.join('');
  });
  after(async () => {
    await app?.close();
    await database?.close();
  });

  it('the run reached every step it needs (routes exist, orders were placed)', () => {
    assert.deepEqual([...world.missingRoutes], [], 'routes the run needs are missing');
    assert.deepEqual([...world.setupFailures, ...problems], []);
  });

  it('the log was captured at debug level and names routes, not raw URLs', () => {
    const lines = logText.split('\n').filter(Boolean);
    assert.ok(lines.length > 50, `only ${lines.length} log lines were captured`);
    assert.ok(
      lines.every((line) => JSON.parse(line)),
      'every log line is JSON',
    );
    assert.ok(
      lines.some((line) => line.includes('"route":"/whoami"')),
      'requests are logged with their route pattern',
    );
  });

  it('no key, token, patient name, date of birth, email or phone number appears in the log', () => {
    const needles = [
      { what: 'operator key', value: TEST_OPERATOR_KEY },
      ...world.keys.map((k) => ({ what: `${k.kind} secret`, value: k.secret })),
      ...extraSecrets,
      ...PATIENTS.flatMap((p) => [
        { what: 'patient first name', value: p.first_name },
        { what: 'patient last name', value: p.last_name },
        { what: 'patient email', value: p.email },
        { what: 'patient phone', value: p.phone_number },
        ...dobForms(p.dob).map((value) => ({ what: `date of birth (${value})`, value })),
      ]),
    ];
    assert.ok(needles.length > 20);
    // The search itself can fail: a planted needle is found.
    assert.deepEqual(findNeedles(`x ${PATIENTS[0].first_name} y`, needles), ['patient first name']);
    assert.deepEqual(findNeedles(logText, needles), []);
  });

  it('keys are stored only as salted hashes behind a non-secret lookup part', async () => {
    const db = database.db;
    // 1. No table holds any secret in clear, in any column.
    const tables = (
      await sql<{
        table_name: string;
      }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db)
    ).rows;
    const secrets = [TEST_OPERATOR_KEY, ...world.keys.map((k) => k.secret)];
    for (const { table_name } of tables) {
      const dump = (await sql.raw<{ row: string }>(`select x::text as row from "${table_name}" x`).execute(db)).rows
        .map((r) => r.row)
        .join('\n');
      const found = secrets.filter((s) => dump.includes(s));
      assert.deepEqual(
        found.map((s) => s.slice(0, 6)),
        [],
        `table ${table_name} holds a secret in clear`,
      );
    }
    // 2. Each key row: a lookup that is a short, non-secret part of the key; a per-row salt; a salted hash.
    const checked = { team_api_keys: 0, management_keys: 0, access_tokens: 0 };
    for (const table of Object.keys(checked) as (keyof typeof checked)[]) {
      const rows = await db.selectFrom(table).select(['lookup', 'salt', 'key_hash']).execute();
      const salts = new Set(rows.map((r) => r.salt));
      assert.equal(salts.size, rows.length, `${table}: salts are not unique per key`);
      for (const row of rows) {
        assert.match(row.key_hash, /^[0-9a-f]{64}$/, `${table}: key_hash is not a 256-bit hex digest`);
        assert.ok(row.salt.length >= 8, `${table}: salt too short`);
        const key = world.keys.find((k) => k.secret.includes(row.lookup) && row.lookup.length > 0);
        if (!key) continue;
        checked[table] += 1;
        assert.ok(
          row.lookup.length <= 16 && key.secret.length - key.secret.indexOf(row.lookup) - row.lookup.length >= 32,
          `${table}: the lookup part leaves fewer than 32 secret characters`,
        );
        assert.notEqual(row.key_hash, createHash('sha256').update(key.secret).digest('hex'), `${table}: the hash is not salted`);
      }
    }
    assert.ok(checked.team_api_keys > 0 && checked.management_keys > 0 && checked.access_tokens > 0, JSON.stringify(checked));
    const operatorRows = await db.selectFrom('operator_keys').select(['salt', 'key_hash']).execute();
    assert.ok(operatorRows.every((r) => r.key_hash !== createHash('sha256').update(TEST_OPERATOR_KEY).digest('hex') && r.salt.length >= 8));
    // 3. The lookup part alone does not authenticate: the visible part plus a wrong secret is 401.
    for (const key of world.keys.filter((k) => k.kind !== 'operator')) {
      const forged = key.secret.slice(0, -8) + (key.secret.endsWith('AAAAAAAA') ? 'BBBBBBBB' : 'AAAAAAAA');
      const res = await send({ method: 'GET', url: '/whoami', headers: authHeaders({ ...key, secret: forged }) });
      assert.equal(res.status, 401, `${key.kind}: a forged key with the right lookup part authenticated`);
    }
  });

  it('helmet headers on every answer, and a strict Content-Security-Policy on /dashboard', async () => {
    for (const url of ['/healthz', '/whoami', '/v1/org/00000000-0000-0000-0000-000000000000', '/no-such-route']) {
      const res = await send({ method: 'GET', url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.ok(res.headers['strict-transport-security'], `${url}: no HSTS`);
      assert.match(String(res.headers['x-frame-options']), /^(DENY|SAMEORIGIN)$/, url);
      assert.ok(res.headers['referrer-policy'], `${url}: no Referrer-Policy`);
      assert.equal(res.headers['x-powered-by'], undefined, `${url}: X-Powered-By is set`);
    }
    const dashboard = await send({ method: 'GET', url: '/dashboard' });
    assert.ok(!isRouterNotFound(dashboard), '/dashboard is not routed');
    const csp = String(dashboard.headers['content-security-policy'] ?? '');
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name, values]),
    );
    assert.deepEqual(directives.get('default-src'), ["'self'"], csp);
    assert.deepEqual(directives.get('script-src'), ["'self'"], `script-src must be 'self' only (no inline, eval or hosts): ${csp}`);
    assert.deepEqual(directives.get('object-src'), ["'none'"], csp);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], csp);
    assert.ok(directives.has('base-uri'), `no base-uri: ${csp}`);
    for (const [name, values] of directives) {
      assert.ok(!values.includes('*') && !values.includes("'unsafe-eval'"), `${name} allows * or eval: ${csp}`);
    }
  });

  it('bodies over 1 MiB are 413 payload_too_large, in process and over a socket (declared or chunked)', async () => {
    const op = { 'x-operator-key': TEST_OPERATOR_KEY, 'content-type': 'application/json' };
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
    const res = await send({ method: 'POST', url: '/operator/v1/orgs', headers: op, rawBody: big });
    assert.equal(res.status, 413);
    assert.equal(res.json?.code, 'payload_too_large');
    assert.equal(typeof res.json?.request_id, 'string');
    // Just under the limit is read and judged on its content.
    const under = await send({
      method: 'POST',
      url: '/operator/v1/orgs',
      headers: op,
      rawBody: JSON.stringify({ name: 'x'.repeat(1024 * 1024 - 100) }),
    });
    assert.notEqual(under.status, 413);
    // Without a key, authentication answers first and the body is never read.
    const anonymous = await send({
      method: 'POST',
      url: '/operator/v1/orgs',
      headers: { 'content-type': 'application/json' },
      rawBody: big,
    });
    assert.equal(anonymous.status, 401);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const overSocket = await fetchSender(baseUrl)({ method: 'POST', url: '/operator/v1/orgs', headers: op, rawBody: big });
    assert.equal(overSocket.status, 413);
    assert.equal(overSocket.json?.code, 'payload_too_large');
    // Chunked, with no Content-Length: the limit still holds while streaming.
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(128 * 1024, 0x61));
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const chunked = await fetch(`${baseUrl}/operator/v1/orgs`, {
      method: 'POST',
      headers: op,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.equal(((await chunked.json()) as { code?: string }).code, 'payload_too_large');
  });
});
