// Turns a presented secret into a principal, or null. Unknown, malformed and expired secrets all give null
// (→ 401); nothing here says which, so a caller learns nothing about other keys.
import type { Queryable } from '../../db/database.js';
import type { Env, ManagementRole, Region } from '../../domain/enums.js';
import { lookupOf, verifyKey } from './key-material.js';
import type { ManagementPrincipal, OperatorPrincipal, TeamPrincipal } from './principal.js';
import { principalCache } from './principal-cache.js';

export const MANAGEMENT_KEY_PREFIX = 'mg_';
export const ACCESS_TOKEN_PREFIX = 'tat_';
export const OPERATOR_KEY_PREFIX = 'op_';

/** `sk_<region>_` for sandbox keys, `pk_<region>_` for production, as Junction does. */
export function teamKeyPrefix(env: Env, region: Region): string {
  return `${env === 'sandbox' ? 'sk' : 'pk'}_${region}_`;
}

const TEAM_KEY_SHAPE = /^(sk|pk)_(us|eu)_/;

export async function authenticateOperator(db: Queryable, key: string): Promise<OperatorPrincipal | null> {
  if (key.length === 0 || key.length > 512) return null;
  const cached = principalCache.get(key);
  if (cached?.kind === 'operator') return cached;
  // Operator keys are few and may be chosen by the operator (no lookup part), so each is checked.
  const rows = await db.selectFrom('operator_keys').select(['id', 'salt', 'key_hash']).execute();
  let found: string | null = null;
  for (const row of rows) {
    if (verifyKey(key, row.salt, row.key_hash)) found = row.id;
  }
  if (!found) return null;
  const principal: OperatorPrincipal = { kind: 'operator', keyId: found };
  principalCache.set(key, principal);
  return principal;
}

export async function authenticateManagement(db: Queryable, key: string): Promise<ManagementPrincipal | null> {
  const lookup = lookupOf(key, MANAGEMENT_KEY_PREFIX);
  if (!lookup) return null;
  const cached = principalCache.get(key);
  if (cached?.kind === 'management') return cached;
  const row = await db
    .selectFrom('management_keys')
    .select(['id', 'org_id', 'role', 'team_role_bindings', 'salt', 'key_hash'])
    .where('lookup', '=', lookup)
    .executeTakeFirst();
  if (!row || !verifyKey(key, row.salt, row.key_hash)) return null;
  const principal: ManagementPrincipal = {
    kind: 'management',
    keyId: row.id,
    orgId: row.org_id,
    role: row.role as ManagementRole,
    teamIds: (row.team_role_bindings ?? []).map((b) => b.team_id),
  };
  principalCache.set(key, principal);
  return principal;
}

export async function authenticateTeamKey(db: Queryable, key: string): Promise<TeamPrincipal | null> {
  const shape = TEAM_KEY_SHAPE.exec(key);
  if (!shape) return null;
  const lookup = lookupOf(key, shape[0]);
  if (!lookup) return null;
  const cached = principalCache.get(key);
  if (cached?.kind === 'team' && cached.via === 'api_key') return cached;
  const row = await db
    .selectFrom('team_api_keys')
    .select(['id', 'org_id', 'team_id', 'env', 'region', 'salt', 'key_hash'])
    .where('lookup', '=', lookup)
    .executeTakeFirst();
  if (!row || !verifyKey(key, row.salt, row.key_hash)) return null;
  const principal: TeamPrincipal = {
    kind: 'team',
    keyId: row.id,
    orgId: row.org_id,
    teamId: row.team_id,
    env: row.env as Env,
    region: row.region as Region,
    via: 'api_key',
  };
  principalCache.set(key, principal);
  return principal;
}

export async function authenticateAccessToken(db: Queryable, token: string, now = new Date()): Promise<TeamPrincipal | null> {
  const lookup = lookupOf(token, ACCESS_TOKEN_PREFIX);
  if (!lookup) return null;
  const cached = principalCache.get(token, now.getTime());
  if (cached?.kind === 'team' && cached.via === 'access_token') return cached;
  const row = await db
    .selectFrom('access_tokens')
    .innerJoin('teams', 'teams.id', 'access_tokens.team_id')
    .select([
      'access_tokens.id',
      'access_tokens.org_id',
      'access_tokens.team_id',
      'access_tokens.env',
      'teams.region',
      'access_tokens.salt',
      'access_tokens.key_hash',
      'access_tokens.expires_at',
    ])
    .where('access_tokens.lookup', '=', lookup)
    .executeTakeFirst();
  if (!row || !verifyKey(token, row.salt, row.key_hash)) return null;
  const expiresAt = new Date(row.expires_at).getTime();
  if (expiresAt <= now.getTime()) return null;
  const principal: TeamPrincipal = {
    kind: 'team',
    keyId: row.id,
    orgId: row.org_id,
    teamId: row.team_id,
    env: row.env as Env,
    region: row.region as Region,
    via: 'access_token',
  };
  // A token is never served from the cache past its own expiry.
  principalCache.set(token, principal, expiresAt, now.getTime());
  return principal;
}
