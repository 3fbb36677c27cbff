#!/usr/bin/env node
// `npm run bench`: in one run, measures a bare Fastify hello-world server (the baseline), Labroute on PGlite
// and Labroute on PostgreSQL (durable commits) with autocannon, plus pgbench for a 3-insert transaction, and
// prints req/s, p50, p99 and the ratio to the baseline. Raw figures go to bench/results/<timestamp>.json.
// The machine is shared and its speed drifts within a run, so every round of a scenario is paired with a
// baseline round measured just before it, and pgbench runs just before placement on PostgreSQL: a ratio is
// the median of its rounds' ratios, each against the baseline of the same minute. The table also shows each
// scenario against the median of all baseline rounds.
// Options: BENCH_DURATION (s per round, default 8), BENCH_ROUNDS (default 3).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../scripts/postgres.mjs';
import { measure, pgTransport, pgUrl, printTable, scenarios, setUpFixtures, startHello, startLabroute } from './lib.mjs';

const duration = Number(process.env.BENCH_DURATION ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const opts = { duration, rounds, connections: 10 };

function pgbench(pg) {
  const dir = mkdtempSync(join(tmpdir(), 'labroute-pgbench-'));
  const psql = (sql) => spawnSync(join(pg.binDir, 'psql'), [pgUrl(pg), '-q', '-c', sql], { encoding: 'utf8' });
  psql(
    'create table if not exists pb1 (id uuid primary key, body jsonb); create table if not exists pb2 (id bigserial primary key, ref uuid, s text); create table if not exists pb3 (id uuid primary key, ref uuid)',
  );
  const script = join(dir, 'tx.sql');
  writeFileSync(
    script,
    [
      'BEGIN;',
      'INSERT INTO pb1 VALUES (gen_random_uuid(), \'{"a": 1}\');',
      "INSERT INTO pb2 (ref, s) VALUES (gen_random_uuid(), 'received.walk_in_test.ordered');",
      'INSERT INTO pb3 VALUES (gen_random_uuid(), gen_random_uuid());',
      'END;',
    ].join('\n'),
  );
  const run = spawnSync(join(pg.binDir, 'pgbench'), ['-n', '-c', '10', '-j', '2', '-T', String(duration), '-f', script, pgUrl(pg)], {
    encoding: 'utf8',
  });
  const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? NaN);
  return tps;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const helloRounds = [];

/** Rounds of `options`, each right after a baseline round; the median round and the median paired ratio. */
async function measurePaired(options) {
  const rounds = [];
  for (let i = 0; i < opts.rounds; i++) {
    const { rounds: _baseRounds, ...base } = await measure({ url: `${hello.url}/hello` }, { ...opts, rounds: 1 });
    helloRounds.push(base);
    const { rounds: _rounds, ...round } = await measure(options, { ...opts, rounds: 1 });
    rounds.push({ ...round, baseline_rps: base.rps, ratio: round.rps / base.rps });
  }
  const byRps = [...rounds].sort((a, b) => a.rps - b.rps);
  return { ...byRps[Math.floor(byRps.length / 2)], ratio: median(rounds.map((r) => r.ratio)), rounds };
}

const rows = [];
const raw = {
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  duration,
  rounds,
  pg_transport: pgTransport,
  scenarios: [],
};
const hello = await startHello();
const pg = await startPostgres({ fsync: true });
const stops = [hello.stop, pg.stop];
let tps = NaN;
try {
  for (const backend of ['pglite', 'postgres']) {
    const server = await startLabroute(backend === 'postgres' ? { databaseUrl: pgUrl(pg) } : {});
    stops.push(server.stop);
    raw[`startup_ms_${backend}`] = server.startupMs;
    const fixtures = await setUpFixtures(server.url);
    for (const s of scenarios(server.url, fixtures)) {
      if (backend === 'postgres' && s.name.startsWith('POST /v3/order (resolved)')) {
        tps = pgbench(pg);
        raw.pgbench_3_insert_tps = tps;
      }
      const result = await measurePaired(s.options);
      const row = { scenario: s.name, backend, ...result };
      rows.push(row);
      raw.scenarios.push(row);
    }
    server.stop();
  }
  const baseline = {
    rps: median(helloRounds.map((r) => r.rps)),
    p50: median(helloRounds.map((r) => r.p50)),
    p99: median(helloRounds.map((r) => r.p99)),
    errors: helloRounds.reduce((n, r) => n + r.errors, 0),
    rounds: helloRounds,
  };
  raw.baseline = baseline;
  for (const row of rows) row.ratio_to_median = row.rps / baseline.rps;
  rows.unshift({ scenario: 'hello world (baseline, all rounds)', backend: 'fastify', ...baseline, ratio: 1, ratio_to_median: 1 });
  printTable(rows);
  console.log(
    `\nPostgreSQL reached over its ${pgTransport === 'tcp' ? 'loopback TCP port' : 'Unix socket'} (BENCH_PG_TRANSPORT) by Labroute and pgbench`,
  );
  console.log(
    `pgbench 3-insert transaction (durable, just before the scenario): ${tps.toFixed(0)} tps; POST /v3/order on PostgreSQL / pgbench: ${(
      ((rows.find((r) => r.backend === 'postgres' && r.scenario.startsWith('POST /v3/order (resolved)'))?.rps ?? 0) / tps) * 100
    ).toFixed(1)}%`,
  );
  console.log(`start-up to first 200: PGlite ${raw.startup_ms_pglite} ms, PostgreSQL ${raw.startup_ms_postgres} ms`);
  const file = `bench/results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(raw, null, 1)}\n`);
  console.log(`raw figures: ${file}`);
} finally {
  for (const stop of stops) {
    try {
      stop();
    } catch {
      /* already stopped */
    }
  }
}
