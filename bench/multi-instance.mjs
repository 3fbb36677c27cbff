#!/usr/bin/env node
// `npm run bench:multi`: two Labroute processes on one PostgreSQL, load split evenly between them. Every
// idempotency key is sent to BOTH instances at once, so the run checks correctness under contention: each key
// must produce exactly one order, every 200 must name that order, and no order may be duplicated; and the
// total of GET /v3/orders (a count kept by both instances' writes, migration 0011) must match the table on each.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startPostgres } from '../scripts/postgres.mjs';
import { call, pgUrl, setUpFixtures, startLabroute } from './lib.mjs';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS_PER_INSTANCE = 5;

const pgServer = await startPostgres({ fsync: true });
const servers = [];
try {
  servers.push(await startLabroute({ databaseUrl: pgUrl(pgServer) }));
  servers.push(await startLabroute({ databaseUrl: pgUrl(pgServer) }));
  const fixtures = await setUpFixtures(servers[0].url, { label: 'multi' });
  const headers = { ...fixtures.teamHeaders, 'content-type': 'application/json' };
  const body = JSON.stringify(fixtures.orderBody);
  const answers = new Map();
  let requests = 0;
  let errors = 0;
  let conflicts = 0;
  const deadline = Date.now() + duration * 1000;

  async function post(url, key) {
    const res = await fetch(`${url}/v3/order`, { method: 'POST', headers: { ...headers, 'x-idempotency-key': key }, body });
    requests += 1;
    const text = await res.text();
    if (res.status === 200) {
      const id = JSON.parse(text).order.id;
      if (!answers.has(key)) answers.set(key, new Set());
      answers.get(key).add(id);
    } else if (res.status === 409) conflicts += 1;
    else errors += 1;
  }

  async function worker() {
    while (Date.now() < deadline) {
      const key = randomUUID();
      // The same key to both instances at the same moment.
      await Promise.all(servers.map((s) => post(s.url, key)));
    }
  }
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS_PER_INSTANCE }, worker));
  const seconds = (Date.now() - started) / 1000;

  const client = new pg.Client({ connectionString: pgServer.url });
  await client.connect();
  const { rows } = await client.query('select count(*)::int as n, count(distinct id)::int as d from orders where team_id = $1', [
    fixtures.team.id,
  ]);
  const keys = await client.query("select count(*)::int as n from idempotency_keys where team_id = $1 and state = 'done'", [
    fixtures.team.id,
  ]);
  await client.end();
  const totals = await Promise.all(servers.map(async (s) => (await call(s.url, 'GET', '/v3/orders?size=1', fixtures.teamHeaders)).total));
  const split = [...answers.values()].filter((ids) => ids.size > 1).length;
  // One order came from the fixtures themselves.
  const expectedOrders = answers.size + 1;
  console.log(`requests: ${requests} in ${seconds.toFixed(1)} s → ${(requests / seconds).toFixed(0)} req/s across two instances`);
  console.log(
    `keys answered 200: ${answers.size}; keys with two different orders: ${split}; 409 in-progress: ${conflicts}; other errors: ${errors}`,
  );
  console.log(`orders in database: ${rows[0].n} (distinct ${rows[0].d}), expected ${expectedOrders}; completed keys: ${keys.rows[0].n}`);
  console.log(`GET /v3/orders total on each instance: ${totals.join(', ')}`);
  const ok = split === 0 && errors === 0 && rows[0].n === expectedOrders && totals.every((t) => t === rows[0].n);
  console.log(ok ? 'CORRECT: no duplicate orders, no lost idempotency, exact totals' : 'INCORRECT');
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const s of servers) s.stop();
  pgServer.stop();
}
