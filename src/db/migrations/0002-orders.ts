// Orders placed through a lab account, their event history and transactions, and idempotency records.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table order_transactions (
      id uuid primary key,
      team_id uuid not null references teams(id),
      status text not null default 'active',
      created_at timestamptz not null default now()
    );

    create table orders (
      id uuid primary key,
      seq bigserial not null unique,
      org_id uuid not null references orgs(id),
      team_id uuid not null references teams(id),
      env text not null check (env in ('production', 'sandbox')),
      region text not null check (region in ('us', 'eu')),
      user_id uuid not null,
      lab_account_id uuid not null references lab_accounts(id),
      lab_account_resolution text not null,
      lab text not null,
      collection_method text not null,
      sample_id text not null,
      status_top text not null,
      status_low text not null,
      lab_test jsonb not null,
      lab_tests jsonb not null,
      patient_details jsonb not null,
      patient_address jsonb not null,
      patient_name text not null,
      physician jsonb,
      billing_type text not null,
      icd_codes jsonb,
      clinical_notes text,
      priority boolean not null default false,
      activate_by date,
      passthrough text,
      consents jsonb,
      aoe_answers jsonb,
      order_transaction_id uuid not null references order_transactions(id),
      details_id uuid not null,
      origin text not null default 'initial',
      parent_id uuid,
      interpretation text,
      has_missing_results boolean,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index orders_sample_idx on orders (env, region, sample_id);
    create index orders_team_idx on orders (team_id, env, created_at desc, id);
    create index orders_team_user_idx on orders (team_id, env, user_id);
    create index orders_account_idx on orders (lab_account_id, team_id, status_top);
    create index orders_team_status_idx on orders (team_id, env, status_low);

    create table order_events (
      id bigserial primary key,
      order_id uuid not null references orders(id),
      created_at timestamptz not null default now(),
      status text not null,
      status_detail text
    );
    create index order_events_order_idx on order_events (order_id, id);

    create table idempotency_keys (
      team_id uuid not null,
      env text not null,
      route text not null,
      key text not null,
      request_hash text not null,
      state text not null check (state in ('running', 'done')),
      status_code integer,
      response_body text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (team_id, env, route, key)
    );
    create index idempotency_keys_expiry_idx on idempotency_keys (expires_at);
  `,
  );
}
