#!/usr/bin/env node
// `npm run bench:scale`: the same scenarios on PostgreSQL, first near-empty (only the bench fixtures), then
// after bulk-loading 10,000 orgs, 100,000 lab accounts and 1,000,000 orders (server-side INSERT … SELECT
// generate_series, the fastest bulk path without client round trips); reports each loaded scenario's time as
// a ratio to its near-empty time (target ≤ 1.25×). Options: BENCH_DURATION, BENCH_ROUNDS, SCALE_ORDERS.
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { startPostgres } from '../scripts/postgres.mjs';
import { call, measure, pgUrl, printTable, scenarios, setUpFixtures, startLabroute } from './lib.mjs';

const duration = Number(process.env.BENCH_DURATION ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/** Orders of the bench team before any scenario: one page of `GET /v3/orders` (size 50). */
const PAGE_FIXTURE_ORDERS = 50;
const ORGS = 10_000;
const ACCOUNTS_PER_ORG = 10;
const ORDERS = Number(process.env.SCALE_ORDERS ?? 1_000_000);
const opts = { duration, rounds, connections: 10 };

async function bulkLoad(url, benchTeamId, benchAccountId) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = Date.now();
  const q = (sql) => client.query(sql);
  await q(`insert into orgs (id, name) select gen_random_uuid(), 'Scale org ' || g from generate_series(1, ${ORGS}) g`);
  await q(`insert into teams (id, org_id, name, region, sandbox, production)
           select gen_random_uuid(), o.id, o.name || ' team', 'us', '{}'::jsonb, '{}'::jsonb from orgs o where o.name like 'Scale org %'`);
  await q(`insert into lab_accounts (id, org_id, env, region, lab, status, delegated_flow, provider_account_id, allowed_billing)
           select gen_random_uuid(), t.org_id, 'sandbox', 'us', (array['quest','labcorp','bioreference'])[1 + g % 3],
                  (array['active','pending','suspended','ready_to_launch'])[1 + g % 4], 'not_delegated',
                  'S' || t.seq || '-' || g, '{"client_bill": ["CA", "NY"]}'::jsonb
           from teams t cross join generate_series(1, ${ACCOUNTS_PER_ORG}) g where t.name like 'Scale org %'`);
  await q(`insert into lab_account_links (lab_account_id, team_id, position)
           select a.id, t.id, 0 from lab_accounts a join teams t on t.org_id = a.org_id where t.name like 'Scale org %'`);
  // Orders: spread over the scale teams, and 1% on the bench team so its own lists grow too. All older than
  // the fixtures, so page 1 of the bench team shows the same fixture orders in both halves.
  await q(`create temporary table scale_teams as select t.id, t.org_id, row_number() over () as n,
             (select a.id from lab_accounts a where a.org_id = t.org_id order by a.seq limit 1) as account_id
           from teams t where t.name like 'Scale org %'`);
  await q('create unique index on scale_teams (n)');
  await q('analyze scale_teams');
  await q(`insert into order_transactions (id, team_id, status)
           select gen_random_uuid(), st.id, 'active' from generate_series(1, ${ORDERS}) g join scale_teams st on st.n = 1 + g % ${ORGS}`);
  await q(`insert into orders (id, org_id, team_id, env, region, user_id, lab_account_id, lab_account_resolution, lab,
             collection_method, sample_id, status_top, status_low, lab_test, lab_tests, patient_details, patient_address,
             patient_name, billing_type, order_transaction_id, details_id, created_at, updated_at)
           select gen_random_uuid(),
                  case when x.g % 100 = 0 then (select org_id from teams where id = '${benchTeamId}') else st.org_id end,
                  case when x.g % 100 = 0 then '${benchTeamId}'::uuid else st.id end,
                  'sandbox', 'us', gen_random_uuid(),
                  case when x.g % 100 = 0 then '${benchAccountId}'::uuid else st.account_id end,
                  'explicit', 'quest', 'walk_in_test', 'SC' || lpad(x.g::text, 10, '0'),
                  'received', 'ordered', '{}'::jsonb, '[]'::jsonb, '{}'::jsonb, '{}'::jsonb, 'Scale Patient ' || x.g, 'client_bill',
                  x.tx, gen_random_uuid(), now() - interval '1 hour' - (x.g || ' seconds')::interval, now()
           from (select row_number() over () as g, id as tx from order_transactions) x
           join scale_teams st on st.n = 1 + x.g % ${ORGS}`);
  await q(
    `insert into order_events (order_id, created_at, status) select id, created_at, 'received.walk_in_test.ordered' from orders where sample_id like 'SC%'`,
  );
  // Counted as placement counts its orders (migration 0011).
  await q(`insert into order_counts (team_id, env, shard, n) select team_id, env, 0, count(*) from orders where sample_id like 'SC%' group by team_id, env
           on conflict (team_id, env, shard) do update set n = order_counts.n + excluded.n`);
  // A database that grew to this size in service has been vacuumed by autovacuum along the way; a bulk-loaded
  // one has not, and until it is, every index-only scan (the total of GET /v3/orders) reads each counted row
  // from the table as well — thousands of random reads into gigabytes of orders. Vacuum it as autovacuum would,
  // then checkpoint, so the write-out of the gigabytes the load dirtied does not run under the loaded scenarios.
  await q('vacuum analyze');
  await q('checkpoint');
  const counts = await q(
    `select (select count(*) from orgs) orgs, (select count(*) from lab_accounts) accounts, (select count(*) from orders) orders`,
  );
  await client.end();
  return { ms: Date.now() - t0, counts: counts.rows[0] };
}

const pgServer = await startPostgres({ fsync: true });
let server;
try {
  server = await startLabroute({ databaseUrl: pgUrl(pgServer) });
  const fixtures = await setUpFixtures(server.url, { label: 'scale' });
  // The fixtures hold a full first page of the team's orders. Each half measures the reads before the
  // placements: otherwise the reads would also measure the bench's own writes — with three 5-s rounds the
  // placements gave the team ~32,000 orders before the near-empty page and ~78,000 before the loaded one, and
  // the page's total counts them (docs/performance.md, 2026-12-03 evening).
  for (let i = 1; i < PAGE_FIXTURE_ORDERS; i++) {
    await call(server.url, 'POST', '/v3/order', fixtures.teamHeaders, fixtures.orderBody);
  }
  const readsFirst = (list) => [...list.filter((s) => !s.options.method), ...list.filter((s) => s.options.method)];
  const rows = [];
  const empty = {};
  for (const s of readsFirst(scenarios(server.url, fixtures))) {
    const r = await measure(s.options, opts);
    empty[s.name] = r;
    rows.push({ scenario: s.name, backend: 'pg near-empty', ...r });
  }
  const load = await bulkLoad(pgServer.url, fixtures.team.id, fixtures.account.id);
  console.log(`bulk load: ${JSON.stringify(load.counts)} in ${(load.ms / 1000).toFixed(1)} s`);
  const loaded = [];
  for (const s of readsFirst(scenarios(server.url, fixtures))) {
    const r = await measure(s.options, opts);
    const timeRatio = empty[s.name].rps / r.rps;
    rows.push({ scenario: s.name, backend: 'pg loaded', ...r, ratio: timeRatio });
    loaded.push({ scenario: s.name, empty: empty[s.name], loaded: r, time_ratio: timeRatio });
  }
  printTable(rows.map((r) => (r.ratio === undefined ? r : { ...r, ratio: r.ratio })));
  console.log('\n(ratio column for loaded rows = time per request loaded / near-empty; target ≤ 125%)');
  const file = `bench/results/scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify({ load, scenarios: loaded }, null, 1)}\n`);
  console.log(`raw figures: ${file}`);
} finally {
  server?.stop();
  pgServer.stop();
}
