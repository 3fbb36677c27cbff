// Everything order placement reads before it decides, for a whole group of placements in one round trip inside
// their shared transaction: for each, the team's settings, the patient, the ordered tests, whether webhook
// endpoints exist for the team's order events, and — under FOR SHARE locks — the id and version of every lab
// account of the team's cell (its org's and the platform's). Comparing those with the lab-account cache tells
// whether resolution may use the cache: the locked set is exactly what the cache must hold, since every change
// to an account or its links bumps its version and a new account adds a row.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { compilableOn, type Placeholders, precompiled } from '../../db/precompiled-query.js';
import type { TeamEnvironmentSettings } from '../../db/schema.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { TeamCellAccounts } from '../lab-accounts/team-visibility.js';
import { LAB_TEST_COLUMNS, type LabTestRow } from '../lab-tests/lab-tests.repository.js';

export interface OrderContext {
  settings: TeamEnvironmentSettings | null;
  user: { id: string; clientUserId: string | null } | undefined;
  /** The ordered tests found in the team's cell, oldest first. */
  tests: LabTestRow[];
  /** Locked accounts of the cell (org's and platform's): id → version. */
  accountVersions: Map<string, number>;
  /** Whether any webhook endpoint could receive the team's order events (none: nothing to enqueue). */
  hasWebhookEndpoints: boolean;
}

/** One placement's identity in a group's context read. */
export interface ContextRequest {
  principal: TeamPrincipal;
  userId: string;
  testIds: string[];
}

interface ContextRow {
  i: number;
  team: { sandbox: TeamEnvironmentSettings | null; production: TeamEnvironmentSettings | null } | null;
  user: { id: string; client_user_id: string | null } | null;
  tests: LabTestRow[];
  locked: { id: string; version: number }[];
  has_webhook_endpoints: boolean;
}

// The requests travel as one JSON parameter, so the statement's text (and its prepared plan) is the same for
// a group of any size. The locked set covers every requested cell; each request sees only its own cell's rows.
// Built once (precompiled-query.ts).
const contextQuery = precompiled(
  (): string => '',
  (db, _shape, p: Placeholders<{ requests: string }>) =>
    compilableOn(
      db,
      sql<ContextRow>`
  with req as materialized (
    select * from jsonb_to_recordset(${p.value('requests')}::jsonb)
      as r(i int, org_id uuid, team_id uuid, env text, region text, user_id uuid, test_ids uuid[])
  ), locked as (
    -- Each request's org accounts and its cell's platform accounts, probed per request through their indexes
    -- (a correlated subquery cannot be turned into a join over every account), then locked by primary key.
    select lab_accounts.id, lab_accounts.version, lab_accounts.org_id, lab_accounts.env, lab_accounts.region
    from lab_accounts
    where lab_accounts.id = any(array(
      select unnest(array(
        select cell.id from lab_accounts as cell
        where cell.org_id = req.org_id and cell.env = req.env and cell.region = req.region
        union all
        select cell.id from lab_accounts as cell
        where cell.org_id is null and cell.env = req.env and cell.region = req.region))
      from req))
    order by lab_accounts.id
    for share
  )
  -- One row per request; every lookup is a per-request subquery, so each stays an index probe whatever the
  -- planner guesses for the number of requests (a function scan counts as 100 rows).
  select req.i,
    (select json_build_object('sandbox', teams.sandbox, 'production', teams.production) from teams
      where teams.id = req.team_id) as team,
    (select json_build_object('id', users.id, 'client_user_id', users.client_user_id) from users
      where users.id = req.user_id and users.team_id = req.team_id and users.env = req.env) as user,
    (select coalesce(json_agg(agg), '[]') from (
      select ${sql.join(LAB_TEST_COLUMNS.map((c) => sql.ref(`lab_tests.${c}`)))} from lab_tests
      where lab_tests.env = req.env and lab_tests.region = req.region and lab_tests.id = any(req.test_ids)
      order by lab_tests.seq) as agg) as tests,
    (select coalesce(json_agg(json_build_object('id', locked.id, 'version', locked.version)), '[]') from locked
      where locked.env = req.env and locked.region = req.region and (locked.org_id = req.org_id or locked.org_id is null)) as locked,
    exists (select from webhook_endpoints
      where webhook_endpoints.org_id = req.org_id and webhook_endpoints.env = req.env and webhook_endpoints.deleted_at is null
        and (webhook_endpoints.team_id is null or webhook_endpoints.team_id = req.team_id)) as has_webhook_endpoints
  from req
  order by req.i`,
    ),
);

/** The context of each request (same order), read in one statement under the cells' FOR SHARE locks. */
export async function readOrderContexts(tx: Tx, requests: readonly ContextRequest[]): Promise<OrderContext[]> {
  const rows = await contextQuery(tx, undefined, {
    requests: JSON.stringify(
      requests.map(({ principal, userId, testIds }, i) => ({
        i,
        org_id: principal.orgId,
        team_id: principal.teamId,
        env: principal.env,
        region: principal.region,
        user_id: userId,
        test_ids: testIds,
      })),
    ),
  });
  return requests.map(({ principal }, i) => {
    const row = rows.find((r) => r.i === i);
    if (!row?.team) throw new Error(`team ${principal.teamId} vanished`);
    return {
      settings: principal.env === 'sandbox' ? row.team.sandbox : row.team.production,
      user: row.user ? { id: row.user.id, clientUserId: row.user.client_user_id } : undefined,
      tests: row.tests,
      accountVersions: new Map(row.locked.map((a) => [a.id, a.version])),
      hasWebhookEndpoints: row.has_webhook_endpoints,
    };
  });
}

/** True when the cached cell holds exactly the locked accounts, each at its locked version. */
export function cellMatches(cell: TeamCellAccounts, versions: Map<string, number>): boolean {
  const cached = [...cell.own, ...cell.platform];
  return cached.length === versions.size && cached.every((a) => versions.get(a.id) === a.version);
}
