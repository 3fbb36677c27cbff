// Everything order placement reads before it decides, in one round trip inside the order's transaction: the
// team's settings, the patient, the ordered tests, whether webhook endpoints exist for the team's order
// events, and — under FOR SHARE locks — the id and version of every lab account of the team's cell (its org's
// and the platform's). Comparing those with the lab-account cache tells whether resolution may use the cache:
// the locked set is exactly what the cache must hold, since every change to an account or its links bumps its
// version and a new account adds a row.
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Tx } from '../../db/database.js';
import { precompiled, type Placeholders } from '../../db/precompiled-query.js';
import type { TeamEnvironmentSettings } from '../../db/schema.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { LAB_TEST_COLUMNS, type LabTestRow } from '../lab-tests/lab-tests.repository.js';
import type { TeamCellAccounts } from '../lab-accounts/team-visibility.js';

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

interface ContextValues extends Record<string, unknown> {
  orgId: string;
  teamId: string;
  env: string;
  region: string;
  userId: string;
  testIds: string[];
}

// Built once (precompiled-query.ts): this statement and the order's write are most of placement's query-builder cost.
const contextQuery = precompiled((): string => '', (db, _shape, p: Placeholders<ContextValues>) => db
  .with('locked', (q) => q.selectFrom('lab_accounts').select(['lab_accounts.id', 'lab_accounts.version'])
    .where('lab_accounts.env', '=', p.value('env')).where('lab_accounts.region', '=', p.value('region'))
    .where((eb) => eb.or([eb('lab_accounts.org_id', '=', p.value('orgId')), eb('lab_accounts.org_id', 'is', null)]))
    .orderBy('lab_accounts.id').forShare())
  .selectFrom('teams')
  .leftJoin('users', (join) => join.on('users.id', '=', p.value('userId')).onRef('users.team_id', '=', 'teams.id').on('users.env', '=', p.value('env')))
  .select(['teams.sandbox', 'teams.production', 'users.id as user_id', 'users.client_user_id'])
  .select((eb) => [
    jsonArrayFrom(eb.selectFrom('lab_tests').select(LAB_TEST_COLUMNS.map((c) => `lab_tests.${c}` as const))
      .where('lab_tests.env', '=', p.value('env')).where('lab_tests.region', '=', p.value('region'))
      .where(sql<boolean>`lab_tests.id = any(${p.value('testIds')}::uuid[])`)
      .orderBy('lab_tests.seq')).as('tests'),
    jsonArrayFrom(eb.selectFrom('locked').select(['locked.id', 'locked.version'])).as('locked'),
    eb.exists(eb.selectFrom('webhook_endpoints').select('webhook_endpoints.id')
      .where('webhook_endpoints.org_id', '=', p.value('orgId')).where('webhook_endpoints.env', '=', p.value('env'))
      .where('webhook_endpoints.deleted_at', 'is', null)
      .where((w) => w.or([w('webhook_endpoints.team_id', 'is', null), w('webhook_endpoints.team_id', '=', p.value('teamId'))]))).as('has_webhook_endpoints'),
  ])
  .where('teams.id', '=', p.value('teamId')));

export async function readOrderContext(tx: Tx, principal: TeamPrincipal, userId: string, testIds: string[]): Promise<OrderContext> {
  const [row] = await contextQuery(tx, undefined, {
    orgId: principal.orgId, teamId: principal.teamId, env: principal.env, region: principal.region, userId, testIds,
  });
  if (!row) throw new Error(`team ${principal.teamId} vanished`);
  return {
    settings: principal.env === 'sandbox' ? row.sandbox : row.production,
    user: row.user_id ? { id: row.user_id, clientUserId: row.client_user_id } : undefined,
    tests: row.tests as unknown as LabTestRow[],
    accountVersions: new Map(row.locked.map((a) => [a.id, a.version])),
    hasWebhookEndpoints: Boolean(row.has_webhook_endpoints),
  };
}

/** True when the cached cell holds exactly the locked accounts, each at its locked version. */
export function cellMatches(cell: TeamCellAccounts, versions: Map<string, number>): boolean {
  const cached = [...cell.own, ...cell.platform];
  return cached.length === versions.size && cached.every((a) => versions.get(a.id) === a.version);
}
