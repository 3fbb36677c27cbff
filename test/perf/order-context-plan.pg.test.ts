// The group context read of order placement (src/modules/orders/order-context.ts) stays a set of index probes
// on a database with many orgs and accounts: its requests come from a function scan the planner counts as
// 100 rows, which once made it filter every account of the cell and hash all teams (bench:scale: a tenth of
// the near-empty speed). Checked on the plan PostgreSQL chooses, with the statement placement really runs.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import type { TeamPrincipal } from '../../src/modules/auth/principal.js';
import { readOrderContexts } from '../../src/modules/orders/placement.repository.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe('order placement context read at scale (PostgreSQL)', () => {
  let database: DatabaseHandle;
  let db: Kysely<Database>;
  let pool: pg.Pool;
  const statements: CompiledQuery[] = [];

  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    const url = await freshPostgresUrl();
    database = await createDatabase({ databaseUrl: url });
    await database.migrate();
    await sql`insert into orgs (id, name) select gen_random_uuid(), 'Org ' || g from generate_series(1, 5000) g`.execute(database.db);
    await sql`insert into teams (id, org_id, name, region, sandbox, production)
      select gen_random_uuid(), id, name || ' team', 'us', '{}'::jsonb, '{}'::jsonb from orgs`.execute(database.db);
    await sql`insert into lab_accounts (id, org_id, env, region, lab, status, delegated_flow, provider_account_id, allowed_billing)
      select gen_random_uuid(), t.org_id, 'sandbox', 'us', 'quest', 'active', 'not_delegated', 'P' || t.seq || '-' || g, '{}'::jsonb
      from teams t cross join generate_series(1, 10) g`.execute(database.db);
    await sql`insert into lab_accounts (id, org_id, env, region, lab, status, delegated_flow, provider_account_id, allowed_billing)
      values (gen_random_uuid(), null, 'sandbox', 'us', 'quest', 'active', 'not_delegated', 'PLATFORM', '{}'::jsonb)`.execute(database.db);
    await sql`insert into users (id, team_id, env, client_user_id) select gen_random_uuid(), id, 'sandbox', 'u-' || seq from teams`.execute(
      database.db,
    );
    await sql`insert into lab_tests (id, env, region, lab, slug, name, method, sample_type, markers)
      select gen_random_uuid(), 'sandbox', 'us', 'quest', 'test-' || g, 'Test ' || g, 'walk_in_test', 'serum', '[]'::jsonb
      from generate_series(1, 5000) g`.execute(database.db);
    await sql`insert into webhook_endpoints (id, org_id, env, url, secret)
      select gen_random_uuid(), id, 'sandbox', 'https://example.com/hook', 'whsec_' || md5(id::text) from orgs`.execute(database.db);
    await sql`analyze`.execute(database.db);
    // A handle of our own that records the statements it runs.
    pool = new pg.Pool({ connectionString: url, max: 1 });
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        statements.push(event.query);
      },
    });
  });
  after(async () => {
    await db?.destroy();
    await database?.close();
  });

  it('reads three teams’ contexts through indexes only, each with its own cell, patient, tests and endpoints', async () => {
    const teams = (
      await sql<{ id: string; org_id: string; user_id: string }>`
      select teams.id, teams.org_id, users.id as user_id from teams join users on users.team_id = teams.id order by teams.seq limit 3`.execute(
        db,
      )
    ).rows;
    const tests = (await sql<{ id: string }>`select id from lab_tests order by seq limit 2`.execute(db)).rows.map((r) => r.id);
    const principals: TeamPrincipal[] = teams.map((t) => ({
      kind: 'team',
      keyId: 'k',
      orgId: t.org_id,
      teamId: t.id,
      env: 'sandbox',
      region: 'us',
      via: 'api_key',
    }));
    statements.length = 0;
    const contexts = await db.transaction().execute((tx) =>
      readOrderContexts(
        tx,
        principals.map((principal) => ({
          principal,
          userId: teams[principals.indexOf(principal)].user_id,
          testIds: tests,
        })),
      ),
    );
    for (const [i, context] of contexts.entries()) {
      const own = (await sql<{ id: string }>`select id from lab_accounts where org_id = ${teams[i].org_id}`.execute(db)).rows.map(
        (r) => r.id,
      );
      const platform = (await sql<{ id: string }>`select id from lab_accounts where org_id is null`.execute(db)).rows.map((r) => r.id);
      assert.deepEqual(
        [...context.accountVersions.keys()].sort(),
        [...own, ...platform].sort(),
        'the team’s cell, locked, and nothing else',
      );
      assert.equal(context.user?.id, teams[i].user_id);
      assert.deepEqual(
        context.tests.map((t) => t.id),
        tests,
      );
      assert.equal(context.hasWebhookEndpoints, true);
    }
    const statement = statements.find((s) => s.sql.includes('jsonb_to_recordset'));
    assert.ok(statement, 'the context statement ran');
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({
      ...statement,
      sql: `explain (format json) ${statement.sql}`,
    });
    const nodes = nodesOf(rows[0]['QUERY PLAN'][0].Plan);
    const scanned = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
    assert.ok(!scanned.includes('lab_accounts'), `lab_accounts scanned whole: ${JSON.stringify(scanned)}`);
    assert.deepEqual(scanned, [], 'every table probed by index');
  });
});
