// Crash safety (issue #7 item 4): the built server (`node dist/src/server.js`) on a fresh PostgreSQL
// database takes a stream of orders, is killed with SIGKILL mid-stream and restarted. Every order answered
// 200 must exist exactly once; retries of unanswered requests with their idempotency key must not
// duplicate; webhook deliveries pending at the crash must be delivered after the restart.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { authHeaders, fetchSender, isRouterNotFound, mapLimit } from '../support/security/api-client.js';
import { type OrderingTenant, setUpOrderingTenant } from '../support/security/tenant.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SERVER = join(ROOT, 'dist/src/server.js');
const ACKS_BEFORE_KILL = 40;
const WEBHOOK_ORDERS = 5;

/** Newest modification time under `dir` (ts sources). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the server with tsc when dist is missing or older than the sources. */
function ensureBuilt(): void {
  if (existsSync(SERVER) && statSync(SERVER).mtimeMs >= newest(join(ROOT, 'src'))) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    encoding: 'utf8',
  });
  if (!existsSync(SERVER)) throw new Error(`building the server failed: ${result.stdout}${result.stderr}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  svixId: string;
  eventType: string;
  orderId: string | undefined;
  status: number;
  verified: boolean;
}

describe('crash safety: SIGKILL mid-stream, restart (built server, PostgreSQL)', () => {
  let databaseUrl: string;
  let port: number;
  let child: ChildProcess | undefined;
  let output = '';
  const operatorKey = `op_crash_${randomBytes(16).toString('hex')}`;
  let baseUrl: string;
  let tenant: OrderingTenant;
  let receiver: Server;
  let receiverUrl: string;
  let accepting = false;
  const received: Received[] = [];
  let webhookSecret: Buffer | undefined;
  let webhookProblem: string | undefined;

  async function startServer(poolSize = 20): Promise<void> {
    child = spawn(process.execPath, [SERVER], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LABROUTE_OPERATOR_KEY: operatorKey,
        LABROUTE_DEMO: '0',
        LOG_LEVEL: 'warn',
        LABROUTE_DB_POOL_SIZE: String(poolSize),
        LABROUTE_WEBHOOK_ALLOW_PRIVATE: '1',
        LABROUTE_WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1',
        LABROUTE_WEBHOOK_TIMEOUT_MS: '2000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => {
      output = (output + chunk).slice(-4000);
    });
    child.stderr!.on('data', (chunk) => {
      output = (output + chunk).slice(-4000);
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${output}`);
      try {
        if ((await fetch(`${baseUrl}/healthz`)).status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`the server did not become healthy: ${output}`);
      await sleep(100);
    }
  }

  async function killServer(): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    ensureBuilt();
    databaseUrl = await freshPostgresUrl();
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const svixId = String(request.headers['svix-id'] ?? '');
        const timestamp = String(request.headers['svix-timestamp'] ?? '');
        const signatures = String(request.headers['svix-signature'] ?? '').split(' ');
        const expected = webhookSecret
          ? `v1,${createHmac('sha256', webhookSecret).update(`${svixId}.${timestamp}.${body}`).digest('base64')}`
          : '';
        let parsed: any = {};
        try {
          parsed = JSON.parse(body);
        } catch {
          /* recorded as is */
        }
        const status = accepting ? 200 : 503;
        received.push({ svixId, eventType: parsed.event_type, orderId: parsed.data?.id, status, verified: signatures.includes(expected) });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    // One pooled connection for the set-up and the forced crash (see crashBetweenOrderAndOutcome).
    await startServer(1);
  });

  after(async () => {
    await killServer();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('every order acknowledged with 200 before SIGKILL exists exactly once after the restart; retries do not duplicate', {
    timeout: 170_000,
  }, async () => {
    try {
      await streamKillRestartCheck();
    } catch (error) {
      // The server's last words help when the failure is the server's.
      if (error instanceof Error) error.message += `\n--- server output (tail) ---\n${output.slice(-1500)}`;
      throw error;
    }
  });

  type Attempt = { key: string; passthrough: string; body: Record<string, unknown>; orderId?: string };

  /** Polls `probe` every 20 ms until it is true (at most 30 s). */
  async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  /**
   * Forces a crash after an order committed but before its idempotency outcome was written. With a pool of
   * one connection: the order is held at its insert (table lock) while another request queues for the
   * connection; when the order commits, the connection goes to that request (the pool is FIFO), which a
   * second lock then holds, so the outcome write waits for a connection and never gets one: kill -9.
   */
  async function crashBetweenOrderAndOutcome(send: ReturnType<typeof fetchSender>): Promise<Attempt> {
    const passthrough = `crash-forced-${randomBytes(6).toString('hex')}`;
    const attempt: Attempt = { key: randomUUID(), passthrough, body: tenant.orderBody(tenant.accountId, { passthrough }) };
    const op = { 'x-operator-key': operatorKey };
    // Warm the operator key's cache entry, so the queued request needs the connection only for its insert.
    assert.equal((await send({ method: 'POST', url: '/operator/v1/orgs', headers: op, body: { name: 'Crash Warmup' } })).status, 201);
    const open = async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    };
    const [monitor, ordersLock, orgsLock] = [await open(), await open(), await open()];
    const waiters = async () =>
      (
        await monitor.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        )
      ).rows[0].n as number;
    try {
      await ordersLock.query('begin');
      await ordersLock.query('lock table orders in share mode');
      await orgsLock.query('begin');
      await orgsLock.query('lock table orgs in share mode');
      void send({
        method: 'POST',
        url: '/v3/order',
        headers: { ...authHeaders(tenant.teamKey), 'x-idempotency-key': attempt.key },
        body: attempt.body,
      }).catch(() => undefined);
      await until(async () => (await waiters()) >= 1, 'the order to block at its insert');
      void send({ method: 'POST', url: '/operator/v1/orgs', headers: op, body: { name: 'Crash Queued' } }).catch(() => undefined);
      // The queued request is visible as load shedding: with one connection busy and one waiter, the next is shed.
      await until(
        async () => (await send({ method: 'GET', url: '/whoami', headers: op })).status === 503,
        'a request to queue for the connection',
      );
      await ordersLock.query('commit');
      await until(
        async () => (await monitor.query('select 1 from orders where passthrough = $1', [passthrough])).rowCount === 1,
        'the order to commit',
      );
      // The idempotency outcome is written in the order's own transaction, so the window this phase aims at
      // (order committed, outcome not yet recorded) must not exist: the outcome is already there. Kill now;
      // the retry after the restart must replay the stored order, never place a second one.
      const outcome = await monitor.query('select state from idempotency_keys where key = $1', [attempt.key]);
      assert.equal(outcome.rows[0]?.state, 'done', 'the order committed without its idempotency outcome');
      await killServer();
    } finally {
      await ordersLock.query('rollback').catch(() => undefined);
      await orgsLock.query('rollback').catch(() => undefined);
      await Promise.all([monitor.end(), ordersLock.end(), orgsLock.end()]);
    }
    await startServer();
    return attempt;
  }

  async function streamKillRestartCheck(): Promise<void> {
    const send = fetchSender(baseUrl);
    tenant = await setUpOrderingTenant(send, operatorKey, 'production');

    // Webhooks (an org endpoint for this env) that fail until after the crash, so deliveries are pending.
    const created = await send({
      method: 'POST',
      url: `/v1/org/${tenant.orgId}/webhook_endpoints`,
      headers: authHeaders(tenant.admin),
      body: { url: receiverUrl, env: 'production', team_id: tenant.teamId, event_types: ['labtest.order.created'] },
    });
    if (isRouterNotFound(created)) webhookProblem = 'POST /v1/org/{org_id}/webhook_endpoints is not routed (webhooks do not exist yet)';
    else if (created.status !== 201 && created.status !== 200)
      webhookProblem = `creating a webhook endpoint answered ${created.status} ${created.text.slice(0, 200)}`;
    else webhookSecret = Buffer.from(String(created.json.secret).replace(/^whsec_/, ''), 'base64');

    // Phase 1, forced: crash right after an order committed (the interleaving that once lost the
    // idempotency outcome); the outcome must have committed with the order.
    const forced = await crashBetweenOrderAndOutcome(send);

    // Phase 2: stream orders from several clients until enough are acknowledged, then kill mid-flight.
    const attempts: Attempt[] = [];
    let acked = 0;
    let killed = false;
    const workers = Array.from({ length: 8 }, async () => {
      while (!killed) {
        const passthrough = `crash-${randomBytes(6).toString('hex')}`;
        const attempt: Attempt = { key: randomUUID(), passthrough, body: tenant.orderBody(tenant.accountId, { passthrough }) };
        attempts.push(attempt);
        try {
          const res = await send({
            method: 'POST',
            url: '/v3/order',
            headers: { ...authHeaders(tenant.teamKey), 'x-idempotency-key': attempt.key },
            body: attempt.body,
          });
          if (res.status === 200) {
            attempt.orderId = res.json.order.id;
            acked += 1;
          } else if (!killed) throw new Error(`POST /v3/order answered ${res.status}: ${res.text.slice(0, 300)}`);
        } catch (error) {
          if (!killed)
            throw new Error(
              `POST /v3/order failed before the kill: ${String(error)} ${String((error as Error).cause ?? '')}\nserver output: ${output}`,
            );
        }
        if (acked >= ACKS_BEFORE_KILL && !killed) {
          // Deliveries of the first orders must be pending (attempted and refused) before the crash.
          if (!webhookProblem) {
            const firstIds = attempts
              .filter((a) => a.orderId)
              .slice(0, WEBHOOK_ORDERS)
              .map((a) => a.orderId);
            const deadline = Date.now() + 20_000;
            while (!firstIds.every((id) => received.some((r) => r.orderId === id)) && Date.now() < deadline) await sleep(100);
            if (!firstIds.every((id) => received.some((r) => r.orderId === id)))
              webhookProblem = 'no delivery attempt was made for the first orders before the crash';
          }
          if (!killed) {
            killed = true;
            await killServer();
          }
        }
      }
    });
    await Promise.all(workers);
    assert.ok(acked >= ACKS_BEFORE_KILL, `only ${acked} orders were acknowledged`);
    accepting = true;
    await startServer();

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // 1. Each acknowledged order exists exactly once and is readable.
      for (const attempt of attempts.filter((a) => a.orderId)) {
        const rows = (await db.query('select count(*)::int as n from orders where id = $1', [attempt.orderId])).rows[0].n;
        assert.equal(rows, 1, `acknowledged order ${attempt.orderId} stored ${rows} times`);
        const byTag = (await db.query('select count(*)::int as n from orders where passthrough = $1', [attempt.passthrough])).rows[0].n;
        assert.equal(byTag, 1, `acknowledged request ${attempt.passthrough} produced ${byTag} orders`);
        const res = await send({ method: 'GET', url: `/v3/order/${attempt.orderId}`, headers: authHeaders(tenant.teamKey) });
        assert.equal(res.status, 200, res.text.slice(0, 200));
      }
      // 2. No request produced two orders, answered or not.
      const duplicates = (
        await db.query(
          `select passthrough, count(*)::int as n from orders where passthrough like 'crash-%' group by passthrough having count(*) > 1`,
        )
      ).rows;
      assert.deepEqual(duplicates, []);
      // 3. Retrying the unanswered requests with their key yields exactly one order each (a claim left
      //    running by the crash answers 409 in progress until it is abandoned, then the retry takes over).
      const unanswered = [forced, ...attempts.filter((a) => !a.orderId)];
      await mapLimit(unanswered, 8, async (attempt) => {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const res = await send({
            method: 'POST',
            url: '/v3/order',
            headers: { ...authHeaders(tenant.teamKey), 'x-idempotency-key': attempt.key },
            body: attempt.body,
          });
          if (res.status === 200) {
            attempt.orderId = res.json.order.id;
            break;
          }
          assert.equal(res.status, 409, `retry answered ${res.status}: ${res.text.slice(0, 200)}`);
          assert.equal(res.json?.code, 'idempotency_request_in_progress');
          if (Date.now() > deadline) throw new Error('a claim left by the crash was never taken over');
          await sleep(2_000);
        }
        const n = (await db.query('select count(*)::int as n from orders where passthrough = $1', [attempt.passthrough])).rows[0].n;
        assert.equal(n, 1, `retried request ${attempt.passthrough} stored ${n} orders`);
      });
    } finally {
      await db.end();
    }
  }

  it('webhook deliveries pending at the crash are delivered after the restart, signed', { timeout: 120_000 }, async () => {
    assert.equal(webhookProblem, undefined, webhookProblem);
    assert.ok(tenant, 'the order stream did not run');
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let orderIds: string[];
    try {
      orderIds = (
        await db.query(`select id from orders where team_id = $1 order by seq limit ${WEBHOOK_ORDERS}`, [tenant.teamId])
      ).rows.map((r) => r.id);
    } finally {
      await db.end();
    }
    const deadline = Date.now() + 90_000;
    const delivered = () =>
      orderIds.filter((id) => received.some((r) => r.orderId === id && r.status === 200 && r.eventType === 'labtest.order.created'));
    while (delivered().length < orderIds.length && Date.now() < deadline) await sleep(250);
    assert.deepEqual(delivered().sort(), [...orderIds].sort(), 'orders whose created event was not delivered after the restart');
    for (const r of received.filter((x) => orderIds.includes(x.orderId ?? '')))
      assert.ok(r.verified, `delivery ${r.svixId} has no valid svix signature`);
    // A delivery keeps its svix-id across attempts and the restart (receivers deduplicate on it).
    for (const id of orderIds) {
      const ids = new Set(received.filter((r) => r.orderId === id && r.eventType === 'labtest.order.created').map((r) => r.svixId));
      assert.equal(ids.size, 1, `order ${id}: created event sent under ${ids.size} svix-ids`);
    }
  });
});
