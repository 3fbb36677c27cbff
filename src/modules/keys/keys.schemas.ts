// Wire shapes of team API keys and management keys, as Junction's org-management-api.json names them.
import { z } from 'zod';
import { ManagementRole, queryOne, Uuid } from '../../http/wire.js';
import { SeqCursorParam } from '../orgs/seq-cursor.js';

const DateTime = z.iso.datetime({ offset: true });

export const CreateTeamAPIKeyBody = z.object({ label: z.string(), team_id: Uuid }).meta({ id: 'CreateTeamAPIKeyBody' });

export const ClientFacingTeamAPIKey = z
  .object({ id: Uuid, label: z.string(), value: z.string(), team_id: Uuid, created_at: DateTime })
  .meta({ id: 'ClientFacingTeamAPIKey' });

export const ClientFacingTeamAPIKeyResponse = z
  .object({ api_keys: z.array(ClientFacingTeamAPIKey), next_cursor: z.string().nullable() })
  .meta({ id: 'ClientFacingTeamAPIKeyResponse' });

export const DeleteTeamApiKeysResponse = z
  .object({ success: z.array(Uuid), failure: z.array(Uuid), not_found: z.array(Uuid) })
  .meta({ id: 'DeleteTeamApiKeysResponse' });

export const ListTeamApiKeysQuery = z.object({
  next_cursor: queryOne(SeqCursorParam),
  team_id: queryOne(Uuid),
});

/** `api_key_id` is required and repeated (`?api_key_id=a&api_key_id=b`). */
export const DeleteTeamApiKeysQuery = z.object({
  api_key_id: z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(Uuid)),
});

export const TeamRoleBinding = z.object({ team_id: Uuid }).meta({ id: 'TeamRoleBinding' });

export const CreateManagementKeyBody = z
  .object({
    label: z.string(),
    role: ManagementRole,
    team_role_bindings: z.array(TeamRoleBinding).nullable().optional(),
  })
  .meta({ id: 'CreateManagementKeyBody' });
export type CreateManagementKeyInput = z.output<typeof CreateManagementKeyBody>;

export const PatchManagementKeyBody = z
  .object({
    label: z.string().nullable().optional(),
    team_role_bindings: z.array(TeamRoleBinding).nullable().optional(),
  })
  .meta({ id: 'PatchManagementKeyBody' });
export type PatchManagementKeyInput = z.output<typeof PatchManagementKeyBody>;

/** Junction's creator variants that Labroute can produce: the operator stands where Junction's staff do. */
const CreatorVitalStaff = z.object({ type: z.literal('vital_staff') }).meta({ id: 'CreatorVitalStaff' });
const CreatorManagementKey = z.object({ type: z.literal('management_key') }).meta({ id: 'CreatorManagementKey' });
const Creator = z.union([CreatorVitalStaff, CreatorManagementKey]);

const managementKeyShape = {
  id: Uuid,
  label: z.string(),
  created_at: DateTime,
  creator: Creator,
  role: ManagementRole,
  team_role_bindings: z.array(TeamRoleBinding).nullable(),
};

export const ClientFacingManagementKey = z.object(managementKeyShape).meta({ id: 'ClientFacingManagementKey' });

export const ClientFacingManagementKeyUnhashed = z
  .object({ ...managementKeyShape, key: z.string() })
  .meta({ id: 'ClientFacingManagementKeyUnhashed' });

export const ClientFacingManagementKeyResponse = z
  .object({ data: z.array(ClientFacingManagementKey), next_cursor: z.string().nullable() })
  .meta({ id: 'ClientFacingManagementKeyResponse' });

export const ListManagementKeysQuery = z.object({
  team_id: queryOne(Uuid),
  role: queryOne(ManagementRole),
  /** Labroute extension: Junction's response has `next_cursor` but its operation takes none. */
  next_cursor: queryOne(SeqCursorParam),
});

export const ManagementKeyParams = z.object({ org_id: Uuid, key_id: Uuid });

/** Labroute's answer to DELETE of a management key: Junction's `ClientFacingManagementKey | null`. */
export const RemoveManagementKeyResponse = ClientFacingManagementKey.nullable();
