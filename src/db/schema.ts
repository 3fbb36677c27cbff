// Kysely's view of the tables. Column types follow the migrations; jsonb columns hold wire-shaped values.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OrgsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

/** Per-environment team settings, stored as Junction's ClientFacingOrgTeamEnvironment. */
export interface TeamEnvironmentSettings {
  lab_tests_patient_sms_communication_enabled: boolean;
  lab_tests_patient_email_communication_enabled: boolean;
  critical_result_notification_email: string | null;
  brand_information: Record<string, unknown> | null;
  logo_url: string | null;
  reject_duplicate_connection: boolean;
  sdk_per_device_activity_timeseries: boolean;
  partial_webhooks_enabled: boolean | null;
  minor_ordering_enabled: boolean | null;
}

export interface TeamsTable {
  id: string;
  org_id: string;
  name: string;
  region: string;
  integration_team_id: string | null;
  sandbox: Json<TeamEnvironmentSettings>;
  production: Json<TeamEnvironmentSettings>;
  created_on: Timestamp;
  seq: Generated<string>;
}

export interface OperatorKeysTable {
  id: string;
  label: string;
  salt: string;
  key_hash: string;
  created_at: Timestamp;
}

export interface ManagementKeysTable {
  id: string;
  org_id: string;
  label: string;
  role: string;
  team_role_bindings: Json<{ team_id: string }[] | null>;
  lookup: string;
  salt: string;
  key_hash: string;
  created_at: Timestamp;
  seq: Generated<string>;
}

export interface TeamApiKeysTable {
  id: string;
  org_id: string;
  team_id: string;
  env: string;
  region: string;
  label: string;
  lookup: string;
  salt: string;
  key_hash: string;
  masked: string;
  created_at: Timestamp;
  seq: Generated<string>;
}

export interface AccessTokensTable {
  id: string;
  org_id: string;
  team_id: string;
  env: string;
  lookup: string;
  salt: string;
  key_hash: string;
  created_by_key_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface LabAccountsTable {
  id: string;
  org_id: string | null;
  env: string;
  region: string;
  lab: string;
  status: string;
  delegated_flow: string;
  provider_account_id: string;
  account_name: string | null;
  default_clinical_notes: string | null;
  business_units: Json<string[] | null>;
  allowed_billing: Json<Record<string, string[]>>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  seq: Generated<string>;
}

export interface LabAccountLinksTable {
  lab_account_id: string;
  team_id: string;
  position: number;
}

export interface AuditLogTable {
  seq: Generated<string>;
  id: string;
  at: Timestamp;
  org_id: string | null;
  subject_type: string;
  subject_id: string;
  actor_kind: string;
  actor_key_id: string | null;
  action: string;
  before: Json<unknown>;
  after: Json<unknown>;
}

export interface Database {
  orgs: OrgsTable;
  teams: TeamsTable;
  operator_keys: OperatorKeysTable;
  management_keys: ManagementKeysTable;
  team_api_keys: TeamApiKeysTable;
  access_tokens: AccessTokensTable;
  lab_accounts: LabAccountsTable;
  lab_account_links: LabAccountLinksTable;
  audit_log: AuditLogTable;
}
