// Queries on the secret-bearing tables: team API keys, management keys and access tokens. Only the
// lookup part, salt, hash and a masked form are ever stored; every query names the caller's org (and cell).
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { Env, ManagementRole, Region } from '../../domain/enums.js';

// ---------------------------------------------------------------------------------------------- team API keys

export interface TeamApiKeyRow {
  id: string;
  team_id: string;
  env: Env;
  region: Region;
  label: string;
  masked: string;
  created_at: Date;
  seq: string;
}

const TEAM_KEY_COLUMNS = ['id', 'team_id', 'env', 'region', 'label', 'masked', 'created_at', 'seq'] as const;

function toTeamKey(raw: Record<(typeof TEAM_KEY_COLUMNS)[number], unknown>): TeamApiKeyRow {
  return {
    id: raw.id as string,
    team_id: raw.team_id as string,
    env: raw.env as Env,
    region: raw.region as Region,
    label: raw.label as string,
    masked: raw.masked as string,
    created_at: new Date(raw.created_at as Date | string),
    seq: String(raw.seq),
  };
}

export interface NewTeamApiKey {
  id: string;
  orgId: string;
  teamId: string;
  env: Env;
  region: Region;
  label: string;
  lookup: string;
  salt: string;
  hash: string;
  masked: string;
}

/** Stores a team API key (hashed) and returns its public row. */
export async function insertTeamApiKey(db: Queryable, key: NewTeamApiKey): Promise<TeamApiKeyRow> {
  const raw = await db
    .insertInto('team_api_keys')
    .values({
      id: key.id,
      org_id: key.orgId,
      team_id: key.teamId,
      env: key.env,
      region: key.region,
      label: key.label,
      lookup: key.lookup,
      salt: key.salt,
      key_hash: key.hash,
      masked: key.masked,
    })
    .returning(TEAM_KEY_COLUMNS)
    .executeTakeFirstOrThrow();
  return toTeamKey(raw);
}

export interface TeamKeyScope {
  orgId: string;
  env: Env;
  region: Region;
  /** null: every team of the org; a list: only keys of these teams (team_admin bindings). */
  visible: string[] | null;
}

/** One page of the cell's team API keys, oldest first. */
export async function listTeamApiKeys(
  db: Queryable,
  scope: TeamKeyScope & { teamId?: string; afterSeq?: string; limit: number },
): Promise<TeamApiKeyRow[]> {
  if (scope.visible && scope.visible.length === 0) return [];
  let query = db
    .selectFrom('team_api_keys')
    .select(TEAM_KEY_COLUMNS)
    .where('org_id', '=', scope.orgId)
    .where('env', '=', scope.env)
    .where('region', '=', scope.region);
  if (scope.visible) query = query.where('team_id', 'in', scope.visible);
  if (scope.teamId) query = query.where('team_id', '=', scope.teamId);
  if (scope.afterSeq !== undefined) query = query.where('seq', '>', scope.afterSeq);
  const rows = await query.orderBy('seq').limit(scope.limit).execute();
  return rows.map(toTeamKey);
}

/** Deletes those of `ids` that are in scope; returns the deleted rows. */
export async function deleteTeamApiKeys(db: Queryable, scope: TeamKeyScope & { ids: string[] }): Promise<TeamApiKeyRow[]> {
  if (scope.ids.length === 0 || (scope.visible && scope.visible.length === 0)) return [];
  let query = db
    .deleteFrom('team_api_keys')
    .where('org_id', '=', scope.orgId)
    .where('env', '=', scope.env)
    .where('region', '=', scope.region)
    .where('id', 'in', scope.ids);
  if (scope.visible) query = query.where('team_id', 'in', scope.visible);
  const rows = await query.returning(TEAM_KEY_COLUMNS).execute();
  return rows.map(toTeamKey);
}

// ---------------------------------------------------------------------------------------------- management keys

/** Who made a management key, as recorded in the audit log (`operator`, `management`, or unknown). */
export type KeyCreatorKind = 'operator' | 'management' | 'system' | null;

export interface ManagementKeyRow {
  id: string;
  label: string;
  role: ManagementRole;
  team_role_bindings: { team_id: string }[] | null;
  created_at: Date;
  seq: string;
  creator_kind: KeyCreatorKind;
}

function toManagementKey(raw: {
  id: string;
  label: string;
  role: string;
  team_role_bindings: unknown;
  created_at: unknown;
  seq: unknown;
  creator_kind: unknown;
}): ManagementKeyRow {
  return {
    id: raw.id,
    label: raw.label,
    role: raw.role as ManagementRole,
    team_role_bindings: (raw.team_role_bindings as { team_id: string }[] | null) ?? null,
    created_at: new Date(raw.created_at as Date | string),
    seq: String(raw.seq),
    creator_kind: (raw.creator_kind as KeyCreatorKind) ?? null,
  };
}

/** The management-key rows of org `orgId` with their creator, read from the key's `management_key.created` audit entry. */
function selectManagementKeys(db: Queryable, orgId: string) {
  return db
    .selectFrom('management_keys as k')
    .leftJoin('audit_log as a', (join) =>
      join.onRef('a.subject_id', '=', 'k.id').on('a.subject_type', '=', 'management_key').on('a.action', '=', 'management_key.created'),
    )
    .select(['k.id', 'k.label', 'k.role', 'k.team_role_bindings', 'k.created_at', 'k.seq', 'a.actor_kind as creator_kind'])
    .where('k.org_id', '=', orgId);
}

export interface NewManagementKey {
  id: string;
  orgId: string;
  label: string;
  role: ManagementRole;
  teamRoleBindings: { team_id: string }[] | null;
  lookup: string;
  salt: string;
  hash: string;
}

/** Stores a management key (hashed). */
export async function insertManagementKey(db: Queryable, key: NewManagementKey): Promise<void> {
  await db
    .insertInto('management_keys')
    .values({
      id: key.id,
      org_id: key.orgId,
      label: key.label,
      role: key.role,
      team_role_bindings: JSON.stringify(key.teamRoleBindings),
      lookup: key.lookup,
      salt: key.salt,
      key_hash: key.hash,
    })
    .execute();
}

/** Management key `keyId` of org `orgId`, or undefined. */
export async function findManagementKey(db: Queryable, orgId: string, keyId: string): Promise<ManagementKeyRow | undefined> {
  const raw = await selectManagementKeys(db, orgId).where('k.id', '=', keyId).executeTakeFirst();
  return raw ? toManagementKey(raw) : undefined;
}

/** One page of the org's management keys, oldest first; `teamId` keeps team_admin keys bound to that team. */
export async function listManagementKeys(
  db: Queryable,
  filter: { orgId: string; role?: ManagementRole; teamId?: string; afterSeq?: string; limit: number },
): Promise<ManagementKeyRow[]> {
  let query = selectManagementKeys(db, filter.orgId);
  if (filter.role) query = query.where('k.role', '=', filter.role);
  if (filter.teamId) {
    const binding = JSON.stringify([{ team_id: filter.teamId }]);
    query = query.where('k.role', '=', 'team_admin').where(sql<boolean>`k.team_role_bindings @> ${binding}::jsonb`);
  }
  if (filter.afterSeq !== undefined) query = query.where('k.seq', '>', filter.afterSeq);
  const rows = await query.orderBy('k.seq').limit(filter.limit).execute();
  return rows.map(toManagementKey);
}

/** Writes label and bindings of management key `keyId` of org `orgId`. */
export async function updateManagementKey(
  db: Queryable,
  orgId: string,
  keyId: string,
  changes: { label: string; teamRoleBindings: { team_id: string }[] | null },
): Promise<void> {
  await db
    .updateTable('management_keys')
    .set({ label: changes.label, team_role_bindings: JSON.stringify(changes.teamRoleBindings) })
    .where('org_id', '=', orgId)
    .where('id', '=', keyId)
    .execute();
}

/** Deletes management key `keyId` of org `orgId`; true when a row went. */
export async function deleteManagementKey(db: Queryable, orgId: string, keyId: string): Promise<boolean> {
  const result = await db.deleteFrom('management_keys').where('org_id', '=', orgId).where('id', '=', keyId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------------------------------------------------------------------------------------------- access tokens

export interface NewAccessToken {
  id: string;
  orgId: string;
  teamId: string;
  env: Env;
  lookup: string;
  salt: string;
  hash: string;
  createdByKeyId: string;
  expiresAt: Date;
}

/** Stores a short-lived team access token (hashed). */
export async function insertAccessToken(db: Queryable, token: NewAccessToken): Promise<void> {
  await db
    .insertInto('access_tokens')
    .values({
      id: token.id,
      org_id: token.orgId,
      team_id: token.teamId,
      env: token.env,
      lookup: token.lookup,
      salt: token.salt,
      key_hash: token.hash,
      created_by_key_id: token.createdByKeyId,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** Removes the org's access tokens that expired before `before`: they can never authenticate again. */
export async function pruneExpiredAccessTokens(db: Queryable, orgId: string, before: Date): Promise<void> {
  await db.deleteFrom('access_tokens').where('org_id', '=', orgId).where('expires_at', '<', before).execute();
}
