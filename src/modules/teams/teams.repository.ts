// Queries on the teams table. Every query names the org; callers that act for a team_admin also pass the
// bound team ids, so a team outside them is simply not found.
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { TeamEnvironmentSettings } from '../../db/schema.js';
import type { Region } from '../../domain/enums.js';

export interface TeamRow {
  id: string;
  org_id: string;
  name: string;
  region: Region;
  integration_team_id: string | null;
  sandbox: TeamEnvironmentSettings;
  production: TeamEnvironmentSettings;
  created_on: Date;
  seq: string;
}

const COLUMNS = ['id', 'org_id', 'name', 'region', 'integration_team_id', 'sandbox', 'production', 'created_on', 'seq'] as const;

function toRow(raw: Record<(typeof COLUMNS)[number], unknown>): TeamRow {
  return {
    id: raw.id as string,
    org_id: raw.org_id as string,
    name: raw.name as string,
    region: raw.region as Region,
    integration_team_id: (raw.integration_team_id as string | null) ?? null,
    sandbox: raw.sandbox as TeamEnvironmentSettings,
    production: raw.production as TeamEnvironmentSettings,
    created_on: new Date(raw.created_on as Date | string),
    // bigserial comes back as a string from pg and as a number from PGlite.
    seq: String(raw.seq),
  };
}

/**
 * Team `teamId` of org `orgId`, or undefined. `visible` (team_admin bindings) narrows further; `forUpdate`
 * locks the row for the rest of the transaction.
 */
export async function findTeam(
  db: Queryable,
  orgId: string,
  teamId: string,
  options: { visible?: string[] | null; forUpdate?: boolean } = {},
): Promise<TeamRow | undefined> {
  if (options.visible && !options.visible.includes(teamId.toLowerCase())) return undefined;
  let query = db.selectFrom('teams').select(COLUMNS).where('org_id', '=', orgId).where('id', '=', teamId);
  if (options.forUpdate) query = query.forUpdate();
  const raw = await query.executeTakeFirst();
  return raw ? toRow(raw) : undefined;
}

/** Whether a team with this id exists in any org (team ids are global primary keys). */
export async function teamIdTaken(db: Queryable, teamId: string): Promise<boolean> {
  const row = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  return row !== undefined;
}

/** The team of org `orgId` that carries `integrationTeamId`, if any. */
export async function findTeamByIntegrationId(
  db: Queryable,
  orgId: string,
  integrationTeamId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('teams')
    .select('id')
    .where('org_id', '=', orgId)
    .where('integration_team_id', '=', integrationTeamId)
    .executeTakeFirst();
}

/** Of `teamIds`, those that are teams of org `orgId` (with their region). */
export async function teamsOfOrg(db: Queryable, orgId: string, teamIds: string[]): Promise<{ id: string; region: Region }[]> {
  if (teamIds.length === 0) return [];
  const rows = await db.selectFrom('teams').select(['id', 'region']).where('org_id', '=', orgId).where('id', 'in', teamIds).execute();
  return rows.map((row) => ({ id: row.id, region: row.region as Region }));
}

export interface ListTeamsFilter {
  orgId: string;
  /** null: every team of the org; a list: only these (team_admin bindings). */
  visible: string[] | null;
  teamId?: string;
  regions?: Region[];
  /** Case-insensitive substring of the name. */
  search?: string;
  /** Only teams after this seq (cursor). */
  afterSeq?: string;
  limit: number;
}

/** One page of teams in creation order. */
export async function listTeams(db: Queryable, filter: ListTeamsFilter): Promise<TeamRow[]> {
  if (filter.visible && filter.visible.length === 0) return [];
  let query = db.selectFrom('teams').select(COLUMNS).where('org_id', '=', filter.orgId);
  if (filter.visible) query = query.where('id', 'in', filter.visible);
  if (filter.teamId) query = query.where('id', '=', filter.teamId);
  if (filter.regions && filter.regions.length > 0) query = query.where('region', 'in', filter.regions);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`name ilike ${pattern}`);
  }
  if (filter.afterSeq !== undefined) query = query.where('seq', '>', filter.afterSeq);
  const rows = await query.orderBy('seq').limit(filter.limit).execute();
  return rows.map(toRow);
}

export interface NewTeam {
  id: string;
  orgId: string;
  name: string;
  region: Region;
  integrationTeamId: string | null;
  sandbox: TeamEnvironmentSettings;
  production: TeamEnvironmentSettings;
}

/** Inserts a team and returns it as stored. */
export async function insertTeam(db: Queryable, team: NewTeam): Promise<TeamRow> {
  const raw = await db
    .insertInto('teams')
    .values({
      id: team.id,
      org_id: team.orgId,
      name: team.name,
      region: team.region,
      integration_team_id: team.integrationTeamId,
      sandbox: JSON.stringify(team.sandbox),
      production: JSON.stringify(team.production),
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRow(raw);
}

export interface TeamChanges {
  name: string;
  integrationTeamId: string | null;
  sandbox: TeamEnvironmentSettings;
  production: TeamEnvironmentSettings;
}

/** Writes the full editable state of team `teamId` of org `orgId`; returns the stored row. */
export async function updateTeam(db: Queryable, orgId: string, teamId: string, changes: TeamChanges): Promise<TeamRow> {
  const raw = await db
    .updateTable('teams')
    .set({
      name: changes.name,
      integration_team_id: changes.integrationTeamId,
      sandbox: JSON.stringify(changes.sandbox),
      production: JSON.stringify(changes.production),
    })
    .where('org_id', '=', orgId)
    .where('id', '=', teamId)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRow(raw);
}

/** True for a unique-constraint violation (PostgreSQL 23505) on `constraint`, from pg or PGlite. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
