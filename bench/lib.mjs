// Shared pieces of the benchmark scripts: child servers, fixture set-up through the public API, autocannon
// rounds and result tables.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort, startPostgres } from '../scripts/postgres.mjs';

export { freePort };

/**
 * How the benchmarks reach PostgreSQL: its Unix socket (default), as a deployment with PostgreSQL on the same
 * host would, or loopback TCP (BENCH_PG_TRANSPORT=tcp). pgbench uses the same one. On this kind of virtual
 * machine a loopback TCP round trip costs both processes markedly more CPU than a socket's.
 */
export const pgTransport = process.env.BENCH_PG_TRANSPORT === 'tcp' ? 'tcp' : 'socket';
export const pgUrl = (pg) => (pgTransport === 'tcp' ? pg.url : pg.socketUrl);

async function waitForHealth(url, child, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode})`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return Date.now() - started;
    } catch {
      /* not up yet */
    }
    if (Date.now() - started > timeoutMs) throw new Error(`server at ${url} did not become healthy`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the bare Fastify baseline. */
export async function startHello() {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/hello-server.mjs'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.on('data', (d) => d.toString().includes('LISTENING') && resolve()));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

export const OPERATOR_KEY = `op_bench_${randomUUID().replace(/-/g, '')}`;

/** Starts built Labroute (dist/) on PGlite (no databaseUrl) or PostgreSQL. Returns the start-up time too. */
export async function startLabroute({ databaseUrl, extraEnv = {}, nodeArgs = [] } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'labroute-bench-'));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LABROUTE_DATA_DIR: dataDir,
    LABROUTE_DEMO: '0',
    LABROUTE_OPERATOR_KEY: OPERATOR_KEY,
    LOG_LEVEL: 'warn',
    LABROUTE_WEBHOOK_DISPATCHER: '0',
    ...extraEnv,
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/server.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { url, startupMs: Date.now() - spawnedAt, stop: () => child.kill('SIGTERM'), exited, child };
}

/** One JSON request to Labroute; throws unless it answered 2xx. */
export async function call(url, method, path, headers, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Creates an org, team, keys, a linked lab account, a lab test, a user and one order through the API. */
export async function setUpFixtures(url, { label = 'bench' } = {}) {
  const op = { 'x-operator-key': OPERATOR_KEY };
  const org = await call(url, 'POST', '/operator/v1/orgs', op, { name: `${label} org` });
  const mg = await call(url, 'POST', `/operator/v1/orgs/${org.id}/management_keys`, op, { label, role: 'org_admin' });
  const mgh = { 'x-management-key': mg.key };
  const team = await call(url, 'POST', `/v1/org/${org.id}/team`, mgh, { name: `${label} team`, region: 'us' });
  const teamKey = await call(url, 'POST', `/v1/org/${org.id}/team_api_keys/sandbox/us`, mgh, { label, team_id: team.id });
  const account = await call(url, 'POST', '/operator/v1/lab_accounts', op, {
    org_id: org.id,
    env: 'sandbox',
    region: 'us',
    lab: 'quest',
    status: 'active',
    delegated_flow: 'not_delegated',
    provider_account_id: `B${randomUUID().slice(0, 8)}`,
    account_name: 'Bench Quest',
    allowed_billing: { client_bill: ['CA', 'NY', 'TX'] },
    team_id_allowlist: [team.id],
  });
  const labTest = await call(url, 'POST', '/operator/v1/lab_tests', op, {
    env: 'sandbox',
    region: 'us',
    lab: 'quest',
    name: `Lipid Panel ${randomUUID().slice(0, 6)}`,
    method: 'walk_in_test',
    sample_type: 'serum',
    price: 20,
    markers: [{ name: 'LDL Cholesterol', slug: 'ldl', unit: 'mg/dL' }],
  });
  const th = { 'x-vital-api-key': teamKey.value };
  const user = await call(url, 'POST', '/v2/user', th, { client_user_id: `bench-${randomUUID()}` });
  const orderBody = {
    user_id: user.user_id,
    order_set: { lab_test_ids: [labTest.id] },
    collection_method: 'walk_in_test',
    patient_details: {
      first_name: 'Alex',
      last_name: 'Bench',
      dob: '1980-01-01',
      gender: 'female',
      phone_number: '+15555550100',
      email: 'alex@example.com',
    },
    patient_address: { first_line: '1 Main St', city: 'Los Angeles', state: 'CA', zip: '90001', country: 'US' },
  };
  const order = await call(url, 'POST', '/v3/order', th, orderBody);
  return { org, mg, team, teamKey, account, labTest, user, orderBody, order: order.order, teamHeaders: th, mgHeaders: mgh };
}

/** Runs autocannon `rounds` times and returns the median round by req/s, with p50/p99 latency. */
export async function measure(options, { rounds = 3, duration = 8, connections = 10 } = {}) {
  const results = [];
  for (let i = 0; i < rounds; i++) {
    const r = await autocannon({ connections, duration, ...options });
    const errors = r.non2xx + r.errors;
    results.push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors, total: r.requests.total });
  }
  results.sort((a, b) => a.rps - b.rps);
  return { ...results[Math.floor(results.length / 2)], rounds: results };
}

export function printTable(rows) {
  // Rows may carry a second ratio (`ratio_to_median`: against the median of the run's baseline rounds).
  const second = rows.some((r) => r.ratio_to_median !== undefined);
  const percent = (value) => (value === undefined ? '' : `${(value * 100).toFixed(2)}%`);
  const header = ['scenario', 'backend', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'ratio', ...(second ? ['vs run median'] : [])];
  const lines = rows.map((r) => [
    r.scenario,
    r.backend,
    r.rps.toFixed(0),
    String(r.p50),
    String(r.p99),
    String(r.errors),
    percent(r.ratio),
    ...(second ? [percent(r.ratio_to_median)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

/** The benchmark scenarios of issue #6, against fixtures from setUpFixtures. */
export function scenarios(url, f) {
  const th = { ...f.teamHeaders };
  const json = { 'content-type': 'application/json' };
  return [
    { name: 'team GET /v3/lab_test/lab_account', options: { url: `${url}/v3/lab_test/lab_account`, headers: th } },
    {
      name: 'org GET /v1/org/{org}/lab_account/sandbox/us',
      options: { url: `${url}/v1/org/${f.org.id}/lab_account/sandbox/us`, headers: f.mgHeaders },
    },
    {
      name: 'POST /v3/order (resolved)',
      options: { url: `${url}/v3/order`, method: 'POST', headers: { ...th, ...json }, body: JSON.stringify(f.orderBody) },
    },
    {
      name: 'POST /v3/order (idempotency key)',
      options: {
        url: `${url}/v3/order`,
        method: 'POST',
        headers: { ...th, ...json },
        body: JSON.stringify(f.orderBody),
        requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-idempotency-key': randomUUID() } }) }],
      },
    },
    { name: 'GET /v3/order/{id}', options: { url: `${url}/v3/order/${f.order.id}`, headers: th } },
    { name: 'GET /v3/orders page 1', options: { url: `${url}/v3/orders?page=1&size=50`, headers: th } },
  ];
}

/**
 * Starts Labroute on PostgreSQL (durable commits) or PGlite (`backend` 'pglite'), sets up the fixtures, runs
 * `use` with the scenario whose name contains `wanted`, then stops everything (Labroute has exited when
 * this resolves, so a `--cpu-prof` file is complete).
 */
export async function withScenario(wanted, backend, { nodeArgs = [] } = {}, use) {
  const pg = backend === 'pglite' ? null : await startPostgres({ fsync: true });
  const server = await startLabroute({ databaseUrl: pg ? pgUrl(pg) : undefined, nodeArgs });
  try {
    const fixtures = await setUpFixtures(server.url);
    const scenario = scenarios(server.url, fixtures).find((s) => s.name.includes(wanted));
    if (!scenario) throw new Error(`no scenario matches "${wanted}"`);
    return await use({ scenario, server, transport: pg ? pgTransport : null });
  } finally {
    server.stop();
    await server.exited;
    pg?.stop();
  }
}
