// Wire shapes of the Management API's team operations, component for component as Junction's
// org-management-api.json declares them (names, required fields, defaults, additionalProperties: false).
import { z } from 'zod';
import { Env, queryArray, queryOne, Region, Uuid } from '../../http/wire.js';
import { NAME_PATTERN } from '../orgs/orgs.schemas.js';
import { SeqCursorParam } from '../orgs/seq-cursor.js';

const Email = z.email();
/** pydantic's HttpUrl with Junction's length bounds. */
const LogoUrl = z.url().min(1).max(2083);
const IntegrationTeamId = z.string().max(256);

export const BrandInformation = z
  .object({
    company_name: z.string(),
    company_website: z.string().default(''),
    support_email: Email.default('help@tryvital.io'),
    support_contact: z.string().nullable().default(''),
    company_address: z.string().default(''),
    brand_color: z.string().default(''),
  })
  .meta({ id: 'BrandInformation' });

export const UpdateBrandInformationBody = z
  .object({
    company_name: z.string().nullable().optional(),
    company_website: z.string().nullable().optional(),
    support_email: Email.nullable().optional(),
    support_contact: z.string().nullable().optional(),
    company_address: z.string().nullable().optional(),
    brand_color: z.string().nullable().optional(),
  })
  .meta({ id: 'UpdateBrandInformationBody' });

export const ClientFacingOrgTeamEnvironment = z
  .object({
    lab_tests_patient_sms_communication_enabled: z.boolean(),
    lab_tests_patient_email_communication_enabled: z.boolean(),
    critical_result_notification_email: z.string().nullable(),
    brand_information: z
      .object({
        company_name: z.string(),
        company_website: z.string(),
        support_email: z.string(),
        support_contact: z.string().nullable(),
        company_address: z.string(),
        brand_color: z.string(),
      })
      .nullable(),
    logo_url: z.string().nullable(),
    reject_duplicate_connection: z.boolean(),
    sdk_per_device_activity_timeseries: z.boolean(),
    partial_webhooks_enabled: z.boolean().nullable(),
    minor_ordering_enabled: z.boolean().nullable(),
  })
  .meta({ id: 'ClientFacingOrgTeamEnvironment' });

const teamListItemShape = {
  id: Uuid,
  name: z.string(),
  created_on: z.iso.datetime({ offset: true }),
  region: Region,
  integration_team_id: z.string().nullable(),
};

export const ClientFacingOrgTeamListItem = z.object(teamListItemShape).meta({ id: 'ClientFacingOrgTeamListItem' });

export const ClientFacingOrgTeamListResponse = z
  .object({ teams: z.array(ClientFacingOrgTeamListItem), next_cursor: z.string().nullable() })
  .meta({ id: 'ClientFacingOrgTeamListResponse' });

export const ClientFacingOrgTeam = z
  .object({
    ...teamListItemShape,
    environments: z.array(Env),
    sandbox: ClientFacingOrgTeamEnvironment.nullable(),
    production: ClientFacingOrgTeamEnvironment.nullable(),
  })
  .meta({ id: 'ClientFacingOrgTeam' });

/** The environment settings a create body may carry (they apply to both environments). */
const environmentFields = {
  lab_tests_patient_sms_communication_enabled: z.boolean().default(true),
  lab_tests_patient_email_communication_enabled: z.boolean().default(true),
  critical_result_notification_email: Email.nullable().optional(),
  brand_information: BrandInformation.nullable().optional(),
  logo_url: LogoUrl.nullable().optional(),
  reject_duplicate_connection: z.boolean().default(false),
  sdk_per_device_activity_timeseries: z.boolean().default(false),
  partial_webhooks_enabled: z.boolean().nullable().default(false),
  minor_ordering_enabled: z.boolean().nullable().default(false),
};

export const CreateOrgTeamBody = z
  .strictObject({
    ...environmentFields,
    id: Uuid.nullable().optional(),
    name: z.string().regex(NAME_PATTERN),
    region: Region,
    integration_team_id: IntegrationTeamId.nullable().optional(),
  })
  .meta({ id: 'CreateOrgTeamBody' });
export type CreateOrgTeamInput = z.output<typeof CreateOrgTeamBody>;

export const UpdateOrgTeamEnvironmentBody = z
  .object({
    lab_tests_patient_sms_communication_enabled: z.boolean().nullable().optional(),
    lab_tests_patient_email_communication_enabled: z.boolean().nullable().optional(),
    critical_result_notification_email: Email.nullable().optional(),
    partial_webhooks_enabled: z.boolean().nullable().optional(),
    minor_ordering_enabled: z.boolean().nullable().optional(),
    reject_duplicate_connection: z.boolean().nullable().optional(),
    sdk_per_device_activity_timeseries: z.boolean().nullable().optional(),
    /** Accepted for compatibility; Labroute has no patient experience to switch. */
    patient_experience: z.boolean().nullable().optional(),
    brand_information: UpdateBrandInformationBody.nullable().optional(),
    logo_url: LogoUrl.nullable().optional(),
  })
  .meta({ id: 'UpdateOrgTeamEnvironmentBody' });
export type UpdateOrgTeamEnvironmentInput = z.output<typeof UpdateOrgTeamEnvironmentBody>;

export const UpdateOrgTeamBody = z
  .strictObject({
    name: z.string().regex(NAME_PATTERN).nullable().optional(),
    integration_team_id: IntegrationTeamId.nullable().optional(),
    sandbox: UpdateOrgTeamEnvironmentBody.nullable().optional(),
    production: UpdateOrgTeamEnvironmentBody.nullable().optional(),
  })
  .meta({ id: 'UpdateOrgTeamBody' });
export type UpdateOrgTeamInput = z.output<typeof UpdateOrgTeamBody>;

export const IntegrationTeamIDConflictResponse = z.object({ team_id: Uuid }).meta({ id: 'IntegrationTeamIDConflictResponse' });

export const CreateAccessTokenBody = z.object({ env: Env }).meta({ id: 'CreateAccessTokenBody' });

export const CreateTeamAccessTokenResponse = z
  .object({ access_token: z.string(), expires_in: z.int() })
  .meta({ id: 'CreateTeamAccessTokenResponse' });

export const TeamParams = z.object({ org_id: Uuid, team_id: Uuid });

export const ListTeamsQuery = z.object({
  team_id: queryOne(Uuid),
  region: queryArray(Region),
  search_query: queryOne(z.string().regex(NAME_PATTERN)),
  next_cursor: queryOne(SeqCursorParam),
});

export const GetTeamQuery = z.object({ include_environment: queryArray(Env) });
