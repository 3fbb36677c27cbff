// Wire shapes for orgs: Junction's ClientFacingOrg and UpdateOrgBody (org-management-api.json), and the
// operator's create-org body and answer (CONTRACT.md "Operator API").
import { z } from 'zod';
import { Uuid } from '../../http/wire.js';

/** Junction's pattern for org and team names (org-management-api.json, UpdateOrgBody / CreateOrgTeamBody). */
export const NAME_PATTERN = /^[A-Za-zÀ-ÖØ-öø-ÿ0-9(),/:'|&_\- ’]{0,80}$/;

export const ClientFacingOrg = z
  .object({ id: Uuid, name: z.string(), expires_at: z.iso.datetime({ offset: true }).nullable() })
  .meta({ id: 'ClientFacingOrg' });

export const UpdateOrgBody = z.strictObject({ name: z.string().regex(NAME_PATTERN) }).meta({ id: 'UpdateOrgBody' });

/** Operator: `POST /operator/v1/orgs`. An org needs a visible name, so the empty string is refused. */
export const CreateOrgBody = z.object({ name: z.string().min(1).regex(NAME_PATTERN) }).meta({ id: 'OperatorCreateOrgBody' });

export const CreatedOrg = z.object({ id: Uuid, name: z.string() }).meta({ id: 'OperatorOrg' });
