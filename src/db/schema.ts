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

export interface OrderTransactionsTable {
  id: string;
  team_id: string;
  status: string;
  created_at: Timestamp;
}

export interface OrdersTable {
  id: string;
  seq: Generated<string>;
  org_id: string;
  team_id: string;
  env: string;
  region: string;
  user_id: string;
  lab_account_id: string;
  lab_account_resolution: string;
  lab: string;
  collection_method: string;
  sample_id: string;
  /** Top-level part of the last event: received | collecting_sample | sample_with_lab | completed | cancelled | failed. */
  status_top: string;
  /** Low-level part of the last event (OrderLowLevelStatus). */
  status_low: string;
  lab_test: Json<Record<string, unknown>>;
  /** The order's tests; NULL when it is the one test in `lab_test` (migration 0009). Read through `orderLabTests`. */
  lab_tests: ColumnType<Record<string, unknown>[] | null, string | null, string | null>;
  patient_details: Json<Record<string, unknown>>;
  patient_address: Json<Record<string, unknown>>;
  patient_name: string;
  physician: Json<Record<string, unknown> | null>;
  billing_type: string;
  icd_codes: Json<string[] | null>;
  clinical_notes: string | null;
  priority: boolean;
  activate_by: ColumnType<string | null, string | null | undefined, string | null>;
  passthrough: string | null;
  consents: Json<unknown[] | null>;
  aoe_answers: Json<unknown[] | null>;
  order_transaction_id: string;
  details_id: string;
  origin: string;
  parent_id: string | null;
  interpretation: string | null;
  has_missing_results: boolean | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Per-backend parts of each team's order count, kept by placement's write and delete triggers (migration 0011). */
export interface OrderCountsTable {
  team_id: string;
  env: string;
  /** The writing backend's pid; 0 holds the folded parts of backends that are gone. */
  shard: number;
  n: ColumnType<string, number | string, number | string>;
}

export interface OrderEventsTable {
  id: Generated<string>;
  order_id: string;
  created_at: Timestamp;
  status: string;
  status_detail: string | null;
}

export interface IdempotencyKeysTable {
  team_id: string;
  env: string;
  route: string;
  key: string;
  request_hash: string;
  state: 'running' | 'done';
  status_code: number | null;
  response_body: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ResultDeliveriesTable {
  id: string;
  seq: Generated<string>;
  env: string;
  region: string;
  lab: string;
  provider_account_id: string;
  report_id: string | null;
  lab_account_id: string | null;
  quoted_order_id: string | null;
  quoted_sample_id: string | null;
  status: 'final' | 'partial';
  interpretation: string | null;
  results: Json<Record<string, unknown>[]>;
  order_id: string | null;
  unmatched_result_id: string | null;
  outcome: 'matched' | 'corrected' | 'unmatched';
  created_at: Timestamp;
}

export interface UnmatchedResultsTable {
  id: string;
  seq: Generated<string>;
  delivery_id: string;
  env: string;
  region: string;
  lab: string;
  status: string;
  decision_code: string;
  sub_reason_codes: Json<string[]>;
  reason: string;
  visible_team_id: string | null;
  visible_lab_account_id: string | null;
  quoted_order_id: string | null;
  resolution_action: string | null;
  resolved_user_id: string | null;
  resolved_order_id: string | null;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SimulationStepsTable {
  id: Generated<string>;
  order_id: string;
  step: number;
  action: Json<Record<string, unknown>>;
  due_at: Timestamp;
  done_at: Timestamp | null;
}

export interface UsersTable {
  id: string;
  seq: Generated<string>;
  team_id: string;
  env: string;
  client_user_id: string;
  fallback_time_zone: Json<Record<string, unknown> | null>;
  fallback_birth_date: Json<Record<string, unknown> | null>;
  ingestion_start: ColumnType<string | null, string | null | undefined, string | null>;
  ingestion_end: ColumnType<string | null, string | null | undefined, string | null>;
  created_on: Timestamp;
}

/** A marker of a lab test, stored as Junction's ClientFacingMarker. */
export interface StoredMarker {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  lab_id: number | null;
  provider_id: string | null;
  type: 'biomarker' | 'panel' | null;
  unit: string | null;
  price: string | null;
  aoe: null;
  a_la_carte_enabled: boolean;
  common_tat_days: number | null;
  worst_case_tat_days: number | null;
  is_orderable: boolean;
}

export interface LabTestsTable {
  id: string;
  seq: Generated<string>;
  env: string;
  region: string;
  lab: string;
  slug: string;
  name: string;
  method: string;
  sample_type: string;
  price: ColumnType<string, number | string, number | string>;
  fasting: boolean;
  status: string;
  markers: Json<StoredMarker[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookEndpointsTable {
  id: string;
  seq: Generated<string>;
  org_id: string;
  team_id: string | null;
  env: string;
  url: string;
  event_types: Json<string[] | null>;
  secret: string;
  created_at: Timestamp;
  deleted_at: Timestamp | null;
}

/** The outbox (migration 0012, src/db/outbox.ts): messages of named consumers, claimed with a lease. */
export interface OutboxTable {
  id: Generated<string>;
  seq: Generated<string>;
  consumer: string;
  subject: string | null;
  payload: string;
  status: Generated<'pending' | 'done' | 'failed'>;
  attempts: Generated<number>;
  due_at: Timestamp;
  lease: string | null;
  last_error: string | null;
  created_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface WebhookAttemptsTable {
  id: Generated<string>;
  /** The outbox row (consumer `webhook`) this attempt delivered. */
  delivery_id: string;
  at: Timestamp;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
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
  order_transactions: OrderTransactionsTable;
  orders: OrdersTable;
  order_counts: OrderCountsTable;
  order_events: OrderEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  result_deliveries: ResultDeliveriesTable;
  unmatched_results: UnmatchedResultsTable;
  simulation_steps: SimulationStepsTable;
  users: UsersTable;
  lab_tests: LabTestsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_attempts: WebhookAttemptsTable;
  outbox: OutboxTable;
}
