// Builds the wire objects for keys from stored rows (allow-list of fields). Secrets appear only in the
// answers of the create operations, passed in explicitly; stored rows hold none.
import type { ManagementKeyRow, TeamApiKeyRow } from './keys.repository.js';

/** ClientFacingTeamAPIKey; `value` is the full key on creation, else the stored masked form. */
export function toTeamApiKey(row: TeamApiKeyRow, fullKey?: string) {
  return {
    id: row.id,
    label: row.label,
    value: fullKey ?? row.masked,
    team_id: row.team_id,
    created_at: row.created_at.toISOString(),
  };
}

/** Junction's `creator`: keys made with a management key say so; operator-made (and seeded) keys read as staff-made. */
function creatorOf(row: ManagementKeyRow): { type: 'management_key' } | { type: 'vital_staff' } {
  return row.creator_kind === 'management' ? { type: 'management_key' } : { type: 'vital_staff' };
}

/** ClientFacingManagementKey (no secret). team_role_bindings is null for org_admin keys. */
export function toManagementKey(row: ManagementKeyRow) {
  return {
    id: row.id,
    label: row.label,
    created_at: row.created_at.toISOString(),
    creator: creatorOf(row),
    role: row.role,
    team_role_bindings: row.role === 'team_admin' ? (row.team_role_bindings ?? []).map((b) => ({ team_id: b.team_id })) : null,
  };
}

/** ClientFacingManagementKeyUnhashed: the key with its secret, answered once at creation. */
export function toManagementKeyUnhashed(row: ManagementKeyRow, key: string) {
  return { ...toManagementKey(row), key };
}
