// Use case: mint a 10-minute team access token (`POST /v1/org/{org_id}/team/{team_id}/create_api_access_token`).
// The token then works as `Authorization: Bearer` on the Team API for that team, in the chosen env.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import type { Env } from '../../domain/enums.js';
import { notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { ACCESS_TOKEN_PREFIX } from '../auth/authenticate.js';
import { newKeyMaterial } from '../auth/key-material.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { insertAccessToken, pruneExpiredAccessTokens } from '../keys/keys.repository.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { findTeam } from './teams.repository.js';

/** Junction: "expires after 10 minutes". */
export const ACCESS_TOKEN_TTL_SECONDS = 600;

/** Expired tokens are kept this long after expiry (audit trail in the table), then pruned. */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface CreateAccessTokenOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  teamId: string;
  env: Env;
  now?: Date;
}

/** Mints a token for a team the caller manages (other teams: 404). */
export async function createAccessToken(options: CreateAccessTokenOptions): Promise<{ accessToken: string; expiresIn: number }> {
  const { db, principal, orgId, teamId, env } = options;
  const now = options.now ?? new Date();
  assertOrgInScope(principal, orgId);
  return db.transaction().execute(async (tx) => {
    const team = await findTeam(tx, orgId, teamId, { visible: visibleTeamIds(principal) });
    if (!team) throw notFound('team_not_found', 'Team');
    const material = newKeyMaterial(ACCESS_TOKEN_PREFIX);
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000);
    await pruneExpiredAccessTokens(tx, orgId, new Date(now.getTime() - PRUNE_AFTER_MS));
    await insertAccessToken(tx, {
      id,
      orgId,
      teamId: team.id,
      env,
      lookup: material.lookup,
      salt: material.salt,
      hash: material.hash,
      createdByKeyId: principal.keyId,
      expiresAt,
    });
    await recordAudit(tx, {
      orgId,
      subjectType: 'team',
      subjectId: team.id,
      actor: actorOf(principal),
      action: 'team.access_token_created',
      before: null,
      after: { access_token_id: id, env, expires_at: expiresAt.toISOString() },
    });
    return { accessToken: material.key, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  });
}
