// Queries for users, always scoped to one team and environment.
import type { Queryable } from '../../db/database.js';

export interface UserScope {
  teamId: string;
  env: string;
}

export interface UserRow {
  id: string;
  team_id: string;
  env: string;
  client_user_id: string;
  fallback_time_zone: Record<string, unknown> | null;
  fallback_birth_date: Record<string, unknown> | null;
  ingestion_start: string | Date | null;
  ingestion_end: string | Date | null;
  created_on: Date | string;
}

const COLUMNS = [
  'id',
  'team_id',
  'env',
  'client_user_id',
  'fallback_time_zone',
  'fallback_birth_date',
  'ingestion_start',
  'ingestion_end',
  'created_on',
] as const;

export async function findUser(db: Queryable, scope: UserScope, id: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .executeTakeFirst();
}

export async function findUserByClientId(db: Queryable, scope: UserScope, clientUserId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(COLUMNS)
    .where('client_user_id', '=', clientUserId)
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .executeTakeFirst();
}

export async function listUsers(db: Queryable, scope: UserScope, offset: number, limit: number): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .select(COLUMNS)
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .orderBy('seq', 'asc')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function countUsers(db: Queryable, scope: UserScope): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Queryable, user: Omit<UserRow, 'created_on'>): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      ...user,
      fallback_time_zone: JSON.stringify(user.fallback_time_zone),
      fallback_birth_date: JSON.stringify(user.fallback_birth_date),
      ingestion_start: user.ingestion_start as string | null,
      ingestion_end: user.ingestion_end as string | null,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

const dateOnly = (value: string | Date | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);

/** Junction's ClientFacingUser. */
export function toClientFacingUser(row: UserRow) {
  return {
    user_id: row.id,
    team_id: row.team_id,
    client_user_id: row.client_user_id,
    created_on: new Date(row.created_on).toISOString(),
    connected_sources: [] as never[],
    fallback_time_zone: row.fallback_time_zone as { id: string; source_slug: string; updated_at: string } | null,
    fallback_birth_date: row.fallback_birth_date as { value: string; source_slug: string; updated_at: string } | null,
    ingestion_start: dateOnly(row.ingestion_start),
    ingestion_end: dateOnly(row.ingestion_end),
  };
}

/** A user as the API shows it (Junction's ClientFacingUser). */
export type UserView = ReturnType<typeof toClientFacingUser>;
