// Users (patients) per team and environment, and the lab-test catalogue per cell with its markers.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table users (
      id uuid primary key,
      seq bigserial not null unique,
      team_id uuid not null references teams(id),
      env text not null check (env in ('production', 'sandbox')),
      client_user_id text not null,
      fallback_time_zone jsonb,
      fallback_birth_date jsonb,
      ingestion_start date,
      ingestion_end date,
      created_on timestamptz not null default now()
    );
    create unique index users_client_id_idx on users (team_id, env, client_user_id);
    create index users_team_idx on users (team_id, env, seq);

    create sequence marker_ids;

    create table lab_tests (
      id uuid primary key,
      seq bigserial not null unique,
      env text not null check (env in ('production', 'sandbox')),
      region text not null check (region in ('us', 'eu')),
      lab text not null,
      slug text not null,
      name text not null,
      method text not null,
      sample_type text not null,
      price numeric(10, 2) not null default 0,
      fasting boolean not null default false,
      status text not null default 'active',
      markers jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index lab_tests_slug_idx on lab_tests (env, region, slug);
    create index lab_tests_cell_idx on lab_tests (env, region, lab, seq);
  `,
  );
}
