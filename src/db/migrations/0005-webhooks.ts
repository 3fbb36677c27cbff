// Webhook endpoints and the durable outbox of deliveries (one row per endpoint and event) with attempts.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table webhook_endpoints (
      id uuid primary key,
      seq bigserial not null unique,
      org_id uuid not null references orgs(id),
      team_id uuid references teams(id),
      env text not null check (env in ('production', 'sandbox')),
      url text not null,
      event_types jsonb,
      secret text not null,
      created_at timestamptz not null default now(),
      deleted_at timestamptz
    );
    create index webhook_endpoints_org_idx on webhook_endpoints (org_id, env) where deleted_at is null;

    create table webhook_deliveries (
      id uuid primary key,
      seq bigserial not null unique,
      endpoint_id uuid not null references webhook_endpoints(id),
      event_type text not null,
      payload text not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz
    );
    create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
    create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, seq);

    create table webhook_attempts (
      id bigserial primary key,
      delivery_id uuid not null references webhook_deliveries(id),
      at timestamptz not null default now(),
      status_code integer,
      error text,
      duration_ms integer not null
    );
    create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, id);
  `,
  );
}
