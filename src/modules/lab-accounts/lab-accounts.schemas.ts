// Wire shapes of lab accounts: Junction's ClientFacingLabAccount and its list/one wrappers (component names as
// in Junction's documents), the operator's create/update bodies, and Labroute's history and impact extensions.
import { z } from 'zod';
import { Billing, Env, LabAccountDelegatedFlow, LabAccountStatus, Labs, Region, USState, Uuid, UuidOut } from '../../http/wire.js';

// Nullable fields default to null as in Junction's model, so the document leaves them out of `required` as
// Junction's does; Labroute always sends them (the encoder in strict mode refuses a view without them).
export const ClientFacingLabAccount = z
  .object({
    id: UuidOut,
    lab: Labs,
    org_id: UuidOut.nullable().default(null),
    status: LabAccountStatus,
    delegated_flow: LabAccountDelegatedFlow,
    provider_account_id: z.string(),
    account_name: z.string().nullable().default(null),
    default_clinical_notes: z.string().nullable().default(null),
    business_units: z.array(z.string()).nullable().default(null),
    allowed_billing: z.partialRecord(Billing, z.array(USState)),
    team_id_allowlist: z.array(UuidOut),
  })
  .meta({ id: 'ClientFacingLabAccount' });
export type ClientFacingLabAccount = z.infer<typeof ClientFacingLabAccount>;

export const LabAccountsResponse = z.object({ data: z.array(ClientFacingLabAccount) }).meta({ id: 'LabAccountsResponse' });
export const GetTeamLabAccountsResponse = z.object({ data: z.array(ClientFacingLabAccount) }).meta({ id: 'GetTeamLabAccountsResponse' });
export const LabAccountResponse = z
  .object({ lab_account: ClientFacingLabAccount.nullable().default(null) })
  .meta({ id: 'LabAccountResponse' });

export const LabAccountTeamIdAllowlistUpdateBody = z
  .object({ team_id_allowlist: z.array(Uuid) })
  .meta({ id: 'LabAccountTeamIdAllowlistUpdateBody' });

/** allowed_billing on input: Billing → USState[]; unknown billing types and states are 422. */
export const AllowedBillingInput = z.partialRecord(Billing, z.array(USState).max(60));

export const CreateLabAccountBody = z
  .object({
    org_id: Uuid.nullable(),
    env: Env,
    region: Region,
    lab: Labs,
    status: LabAccountStatus,
    delegated_flow: LabAccountDelegatedFlow,
    provider_account_id: z.string().trim().min(1).max(100),
    account_name: z.string().max(200).nullish(),
    default_clinical_notes: z.string().max(1000).nullish(),
    business_units: z.array(z.string().min(1).max(100)).max(100).nullish(),
    allowed_billing: AllowedBillingInput,
    team_id_allowlist: z.array(Uuid).max(1000).optional(),
  })
  .meta({ id: 'LabrouteCreateLabAccountBody' });
export type CreateLabAccountBody = z.infer<typeof CreateLabAccountBody>;

export const UpdateLabAccountBody = z
  .object({
    status: LabAccountStatus.optional(),
    delegated_flow: LabAccountDelegatedFlow.optional(),
    provider_account_id: z.string().trim().min(1).max(100).optional(),
    account_name: z.string().max(200).nullish(),
    default_clinical_notes: z.string().max(1000).nullish(),
    business_units: z.array(z.string().min(1).max(100)).max(100).nullish(),
    allowed_billing: AllowedBillingInput.optional(),
  })
  .meta({ id: 'LabrouteUpdateLabAccountBody' });
export type UpdateLabAccountBody = z.infer<typeof UpdateLabAccountBody>;

export const LabAccountHistoryEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ kind: z.string(), key_id: z.string().nullable() }),
    action: z.string(),
    before: ClientFacingLabAccount.nullable(),
    after: ClientFacingLabAccount.nullable(),
  })
  .meta({ id: 'LabAccountHistoryEntry' });
export const LabAccountHistoryResponse = z
  .object({ data: z.array(LabAccountHistoryEntry), next_cursor: z.string().nullable() })
  .meta({ id: 'LabAccountHistoryResponse' });

export const LabAccountImpactResponse = z
  .object({
    gained: z.array(z.string()),
    lost: z.array(z.object({ team_id: z.string(), in_flight_orders: z.int() })),
    unchanged: z.array(z.string()),
  })
  .meta({ id: 'LabAccountImpactResponse' });
