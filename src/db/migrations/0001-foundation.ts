// Orgs, teams, every kind of key, lab accounts with their team links, and the audit log.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table orgs (
      id uuid primary key,
      name text not null,
      created_at timestamptz not null default now()
    );

    create table teams (
      id uuid primary key,
      org_id uuid not null references orgs(id),
      name text not null,
      region text not null check (region in ('us', 'eu')),
      integration_team_id text,
      sandbox jsonb not null,
      production jsonb not null,
      created_on timestamptz not null default now(),
      seq bigserial not null unique
    );
    create index teams_org_idx on teams (org_id, seq);
    create unique index teams_integration_id_idx on teams (org_id, integration_team_id) where integration_team_id is not null;

    create table operator_keys (
      id uuid primary key,
      label text not null,
      salt text not null,
      key_hash text not null,
      created_at timestamptz not null default now()
    );

    create table management_keys (
      id uuid primary key,
      org_id uuid not null references orgs(id),
      label text not null,
      role text not null check (role in ('org_admin', 'team_admin')),
      team_role_bindings jsonb,
      lookup text not null unique,
      salt text not null,
      key_hash text not null,
      created_at timestamptz not null default now(),
      seq bigserial not null unique
    );
    create index management_keys_org_idx on management_keys (org_id, seq);

    create table team_api_keys (
      id uuid primary key,
      org_id uuid not null references orgs(id),
      team_id uuid not null references teams(id),
      env text not null check (env in ('production', 'sandbox')),
      region text not null check (region in ('us', 'eu')),
      label text not null,
      lookup text not null unique,
      salt text not null,
      key_hash text not null,
      masked text not null,
      created_at timestamptz not null default now(),
      seq bigserial not null unique
    );
    create index team_api_keys_cell_idx on team_api_keys (org_id, env, region, seq);

    create table access_tokens (
      id uuid primary key,
      org_id uuid not null references orgs(id),
      team_id uuid not null references teams(id),
      env text not null check (env in ('production', 'sandbox')),
      lookup text not null unique,
      salt text not null,
      key_hash text not null,
      created_by_key_id uuid not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    );
    create index access_tokens_expiry_idx on access_tokens (expires_at);

    create table lab_accounts (
      id uuid primary key,
      org_id uuid references orgs(id),
      env text not null check (env in ('production', 'sandbox')),
      region text not null check (region in ('us', 'eu')),
      lab text not null,
      status text not null,
      delegated_flow text not null,
      provider_account_id text not null,
      account_name text,
      default_clinical_notes text,
      business_units jsonb,
      allowed_billing jsonb not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      seq bigserial not null unique
    );
    create unique index lab_accounts_provider_idx on lab_accounts (env, region, lab, provider_account_id);
    create unique index lab_accounts_platform_idx on lab_accounts (env, region, lab) where org_id is null;
    create index lab_accounts_org_idx on lab_accounts (org_id, env, region, seq);

    create table lab_account_links (
      lab_account_id uuid not null references lab_accounts(id),
      team_id uuid not null references teams(id),
      position integer not null,
      primary key (lab_account_id, team_id)
    );
    create index lab_account_links_team_idx on lab_account_links (team_id, lab_account_id);

    create table audit_log (
      seq bigserial primary key,
      id uuid not null unique,
      at timestamptz not null default now(),
      org_id uuid,
      subject_type text not null,
      subject_id uuid not null,
      actor_kind text not null,
      actor_key_id uuid,
      action text not null,
      before jsonb,
      after jsonb
    );
    create index audit_log_subject_idx on audit_log (subject_type, subject_id, seq desc);
  `,
  );
}
