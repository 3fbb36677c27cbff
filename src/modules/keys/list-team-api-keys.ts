// Use case: list a cell's team API keys with masked values (`GET /v1/org/{org_id}/team_api_keys/{env}/{region}`).
import type { Queryable } from '../../db/database.js';
import type { Env, Region } from '../../domain/enums.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { pageOf, seqAfter } from '../orgs/seq-cursor.js';
import { listTeamApiKeys as selectKeys, type TeamApiKeyRow } from './keys.repository.js';

export const TEAM_KEY_PAGE_SIZE = 50;

export interface ListTeamApiKeysOptions {
  db: Queryable;
  principal: ManagementPrincipal;
  orgId: string;
  env: Env;
  region: Region;
  teamId?: string;
  nextCursor?: string;
}

/** A page of keys; team_admin keys see keys of their bound teams only (another team_id gives an empty list). */
export async function listTeamApiKeys(options: ListTeamApiKeysOptions): Promise<{ keys: TeamApiKeyRow[]; nextCursor: string | null }> {
  const { db, principal, orgId, env, region } = options;
  assertOrgInScope(principal, orgId);
  const rows = await selectKeys(db, {
    orgId,
    env,
    region,
    visible: visibleTeamIds(principal),
    teamId: options.teamId,
    afterSeq: seqAfter(options.nextCursor),
    limit: TEAM_KEY_PAGE_SIZE + 1,
  });
  const { page, nextCursor } = pageOf(rows, TEAM_KEY_PAGE_SIZE);
  return { keys: page, nextCursor };
}
