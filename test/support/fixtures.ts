// Builders that write tenants straight into the database, so each module's tests can set up orgs, teams,
// keys and lab accounts without depending on other modules' routes. Every builder uses random ids.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/db/database.js';
import type { TeamEnvironmentSettings } from '../../src/db/schema.js';
import type { Env, Region } from '../../src/domain/enums.js';
import { ACCESS_TOKEN_PREFIX, MANAGEMENT_KEY_PREFIX, teamKeyPrefix } from '../../src/modules/auth/authenticate.js';
import { newKeyMaterial } from '../../src/modules/auth/key-material.js';
import { labAccountCacheOf } from './test-app.js';

export const DEFAULT_TEAM_ENV: TeamEnvironmentSettings = {
  lab_tests_patient_sms_communication_enabled: true,
  lab_tests_patient_email_communication_enabled: true,
  critical_result_notification_email: null,
  brand_information: null,
  logo_url: null,
  reject_duplicate_connection: false,
  sdk_per_device_activity_timeseries: false,
  partial_webhooks_enabled: false,
  minor_ordering_enabled: false,
};

export async function seedOrg(db: Queryable, name = `Org ${randomUUID().slice(0, 8)}`): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  await db.insertInto('orgs').values({ id, name }).execute();
  return { id, name };
}

export async function seedTeam(
  db: Queryable,
  orgId: string,
  options: { region?: Region; name?: string; settings?: Partial<TeamEnvironmentSettings> } = {},
): Promise<{ id: string; orgId: string; region: Region; name: string }> {
  const id = randomUUID();
  const region = options.region ?? 'us';
  const name = options.name ?? `Team ${id.slice(0, 8)}`;
  const env = JSON.stringify({ ...DEFAULT_TEAM_ENV, ...options.settings });
  await db.insertInto('teams').values({ id, org_id: orgId, name, region, sandbox: env, production: env }).execute();
  return { id, orgId, region, name };
}

export async function seedTeamKey(
  db: Queryable,
  team: { id: string; orgId: string; region: Region },
  env: Env = 'sandbox',
): Promise<{ id: string; key: string }> {
  const material = newKeyMaterial(teamKeyPrefix(env, team.region));
  const id = randomUUID();
  await db
    .insertInto('team_api_keys')
    .values({
      id,
      org_id: team.orgId,
      team_id: team.id,
      env,
      region: team.region,
      label: 'test',
      lookup: material.lookup,
      salt: material.salt,
      key_hash: material.hash,
      masked: material.masked,
    })
    .execute();
  return { id, key: material.key };
}

export async function seedAccessToken(
  db: Queryable,
  team: { id: string; orgId: string },
  env: Env = 'sandbox',
  expiresAt = new Date(Date.now() + 600_000),
): Promise<{ id: string; token: string }> {
  const material = newKeyMaterial(ACCESS_TOKEN_PREFIX);
  const id = randomUUID();
  await db
    .insertInto('access_tokens')
    .values({
      id,
      org_id: team.orgId,
      team_id: team.id,
      env,
      lookup: material.lookup,
      salt: material.salt,
      key_hash: material.hash,
      created_by_key_id: randomUUID(),
      expires_at: expiresAt,
    })
    .execute();
  return { id, token: material.key };
}

export async function seedManagementKey(
  db: Queryable,
  orgId: string,
  role: 'org_admin' | 'team_admin' = 'org_admin',
  teamIds: string[] = [],
): Promise<{ id: string; key: string }> {
  const material = newKeyMaterial(MANAGEMENT_KEY_PREFIX);
  const id = randomUUID();
  await db
    .insertInto('management_keys')
    .values({
      id,
      org_id: orgId,
      label: 'test',
      role,
      team_role_bindings: JSON.stringify(role === 'team_admin' ? teamIds.map((team_id) => ({ team_id })) : null),
      lookup: material.lookup,
      salt: material.salt,
      key_hash: material.hash,
    })
    .execute();
  return { id, key: material.key };
}

export interface SeedLabAccount {
  orgId: string | null;
  env?: Env;
  region?: Region;
  lab?: string;
  status?: string;
  delegatedFlow?: string;
  providerAccountId?: string;
  accountName?: string | null;
  defaultClinicalNotes?: string | null;
  businessUnits?: string[] | null;
  allowedBilling?: Record<string, string[]>;
  teamIds?: string[];
}

export async function seedLabAccount(db: Queryable, options: SeedLabAccount): Promise<{ id: string }> {
  const id = randomUUID();
  await db
    .insertInto('lab_accounts')
    .values({
      id,
      org_id: options.orgId,
      env: options.env ?? 'sandbox',
      region: options.region ?? 'us',
      lab: options.lab ?? 'quest',
      status: options.status ?? 'active',
      delegated_flow: options.delegatedFlow ?? 'not_delegated',
      provider_account_id: options.providerAccountId ?? `PA${randomUUID().slice(0, 10)}`,
      account_name: options.accountName ?? null,
      default_clinical_notes: options.defaultClinicalNotes ?? null,
      business_units: JSON.stringify(options.businessUnits ?? null),
      allowed_billing: JSON.stringify(options.allowedBilling ?? { client_bill: ['CA', 'NY', 'TX', 'AZ'] }),
    })
    .execute();
  for (const [position, teamId] of (options.teamIds ?? []).entries()) {
    await db.insertInto('lab_account_links').values({ lab_account_id: id, team_id: teamId, position }).execute();
  }
  // Written behind the app's back: its lab-account cache must not keep serving the cell without this account.
  labAccountCacheOf(db)?.invalidate(options.orgId);
  return { id };
}
