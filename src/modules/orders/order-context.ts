// Everything order placement reads before it decides, in one round trip inside the order's transaction: the
// team's settings, the patient, the ordered tests, whether webhook endpoints exist for the team's order
// events, and — under FOR SHARE locks — the id and version of every lab account of the team's cell (its org's
// and the platform's). Comparing those with the lab-account cache tells whether resolution may use the cache:
// the locked set is exactly what the cache must hold, since every change to an account or its links bumps its
// version and a new account adds a row.
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Tx } from '../../db/database.js';
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

export async function readOrderContext(tx: Tx, principal: TeamPrincipal, userId: string, testIds: string[]): Promise<OrderContext> {
  const row = await tx
    .with('locked', (db) => db.selectFrom('lab_accounts').select(['lab_accounts.id', 'lab_accounts.version'])
      .where('lab_accounts.env', '=', principal.env).where('lab_accounts.region', '=', principal.region)
      .where((eb) => eb.or([eb('lab_accounts.org_id', '=', principal.orgId), eb('lab_accounts.org_id', 'is', null)]))
      .orderBy('lab_accounts.id').forShare())
    .selectFrom('teams')
    .leftJoin('users', (join) => join.on('users.id', '=', userId).onRef('users.team_id', '=', 'teams.id').on('users.env', '=', principal.env))
    .select(['teams.sandbox', 'teams.production', 'users.id as user_id', 'users.client_user_id'])
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom('lab_tests').select(LAB_TEST_COLUMNS.map((c) => `lab_tests.${c}` as const))
        .where('lab_tests.env', '=', principal.env).where('lab_tests.region', '=', principal.region)
        .where(testIds.length > 0 ? sql<boolean>`lab_tests.id = any(${testIds}::uuid[])` : sql<boolean>`false`)
        .orderBy('lab_tests.seq')).as('tests'),
      jsonArrayFrom(eb.selectFrom('locked').select(['locked.id', 'locked.version'])).as('locked'),
      eb.exists(eb.selectFrom('webhook_endpoints').select('webhook_endpoints.id')
        .where('webhook_endpoints.org_id', '=', principal.orgId).where('webhook_endpoints.env', '=', principal.env)
        .where('webhook_endpoints.deleted_at', 'is', null)
        .where((w) => w.or([w('webhook_endpoints.team_id', 'is', null), w('webhook_endpoints.team_id', '=', principal.teamId)]))).as('has_webhook_endpoints'),
    ])
    .where('teams.id', '=', principal.teamId)
    .executeTakeFirstOrThrow();
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
