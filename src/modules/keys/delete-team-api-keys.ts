// Use case: revoke team API keys (`DELETE /v1/org/{org_id}/team_api_keys/{env}/{region}?api_key_id=…`).
// A revoked key stops authenticating at once: it is evicted from every instance's principal cache.
import type { DB } from '../../db/database.js';
import type { Env, Region } from '../../domain/enums.js';
import { recordAudit } from '../audit/audit.repository.js';
import { announceKeyRevocation, evictRevokedKeys } from '../auth/key-revocation.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { deleteTeamApiKeys as removeKeys } from './keys.repository.js';

export interface DeleteTeamApiKeysOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  env: Env;
  region: Region;
  apiKeyIds: string[];
}

/** Junction's DeleteTeamApiKeysResponse. */
export interface DeleteTeamApiKeysResult {
  success: string[];
  failure: string[];
  not_found: string[];
}

/**
 * Deletes the listed keys that the caller can see in this cell. Keys of other orgs, other cells or (for
 * team_admin) unbound teams are reported in `not_found`, exactly like ids that never existed. Nothing
 * can fail half-way (one statement), so `failure` is always empty.
 */
export async function deleteTeamApiKeys(options: DeleteTeamApiKeysOptions): Promise<DeleteTeamApiKeysResult> {
  const { db, principal, orgId, env, region } = options;
  assertOrgInScope(principal, orgId);
  const ids = [...new Set(options.apiKeyIds.map((id) => id.toLowerCase()))];
  const deleted = await db.transaction().execute(async (tx) => {
    const rows = await removeKeys(tx, { orgId, env, region, visible: visibleTeamIds(principal), ids });
    for (const row of rows) {
      await recordAudit(tx, {
        orgId,
        subjectType: 'team_api_key',
        subjectId: row.id,
        actor: actorOf(principal),
        action: 'team_api_key.deleted',
        before: { id: row.id, label: row.label, team_id: row.team_id, env: row.env, region: row.region, masked: row.masked },
        after: null,
      });
    }
    await announceKeyRevocation(
      tx,
      rows.map((row) => row.id),
    );
    return new Set(rows.map((row) => row.id));
  });
  evictRevokedKeys([...deleted]);
  return {
    success: ids.filter((id) => deleted.has(id)),
    failure: [],
    not_found: ids.filter((id) => !deleted.has(id)),
  };
}
