// Result deliveries from labs, the unmatched-results review queue, and persisted sandbox simulation steps.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table result_deliveries (
      id uuid primary key,
      seq bigserial not null unique,
      env text not null,
      region text not null,
      lab text not null,
      provider_account_id text not null,
      report_id text,
      lab_account_id uuid references lab_accounts(id),
      quoted_order_id uuid,
      quoted_sample_id text,
      status text not null check (status in ('final', 'partial')),
      interpretation text,
      results jsonb not null,
      order_id uuid references orders(id),
      unmatched_result_id uuid,
      outcome text not null check (outcome in ('matched', 'corrected', 'unmatched')),
      created_at timestamptz not null default now()
    );
    create unique index result_deliveries_report_idx on result_deliveries (env, region, lab, provider_account_id, report_id) where report_id is not null;
    create index result_deliveries_order_idx on result_deliveries (order_id, seq);

    create table unmatched_results (
      id uuid primary key,
      seq bigserial not null unique,
      delivery_id uuid not null references result_deliveries(id),
      env text not null,
      region text not null,
      lab text not null,
      status text not null,
      decision_code text not null,
      sub_reason_codes jsonb not null,
      reason text not null,
      visible_team_id uuid,
      visible_lab_account_id uuid,
      quoted_order_id uuid,
      resolution_action text,
      resolved_user_id uuid,
      resolved_order_id uuid,
      note text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index unmatched_results_team_idx on unmatched_results (visible_team_id, seq);
    create index unmatched_results_account_idx on unmatched_results (visible_lab_account_id, seq);

    create table simulation_steps (
      id bigserial primary key,
      order_id uuid not null references orders(id),
      step integer not null,
      action jsonb not null,
      due_at timestamptz not null,
      done_at timestamptz
    );
    create index simulation_steps_due_idx on simulation_steps (due_at) where done_at is null;
  `,
  );
}
