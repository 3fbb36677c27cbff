// Builds the wire objects for teams from stored rows, field by field (an allow-list: nothing stored but
// unlisted, such as `seq` or `org_id`, reaches the client).
import type { TeamEnvironmentSettings } from '../../db/schema.js';
import type { Env } from '../../domain/enums.js';
import { ENVS } from '../../domain/enums.js';
import type { TeamRow } from './teams.repository.js';

/** ClientFacingOrgTeamListItem. */
export function toTeamListItem(team: TeamRow) {
  return {
    id: team.id,
    name: team.name,
    created_on: team.created_on.toISOString(),
    region: team.region,
    integration_team_id: team.integration_team_id,
  };
}

/** ClientFacingOrgTeamEnvironment, with Junction's defaults for anything a stored row lacks. */
export function toEnvironment(settings: TeamEnvironmentSettings) {
  const brand = settings.brand_information as Record<string, unknown> | null | undefined;
  return {
    lab_tests_patient_sms_communication_enabled: settings.lab_tests_patient_sms_communication_enabled ?? true,
    lab_tests_patient_email_communication_enabled: settings.lab_tests_patient_email_communication_enabled ?? true,
    critical_result_notification_email: settings.critical_result_notification_email ?? null,
    brand_information: brand
      ? {
          company_name: String(brand.company_name ?? ''),
          company_website: String(brand.company_website ?? ''),
          support_email: String(brand.support_email ?? 'help@tryvital.io'),
          support_contact: brand.support_contact === null ? null : String(brand.support_contact ?? ''),
          company_address: String(brand.company_address ?? ''),
          brand_color: String(brand.brand_color ?? ''),
        }
      : null,
    logo_url: settings.logo_url ?? null,
    reject_duplicate_connection: settings.reject_duplicate_connection ?? false,
    sdk_per_device_activity_timeseries: settings.sdk_per_device_activity_timeseries ?? false,
    partial_webhooks_enabled: settings.partial_webhooks_enabled ?? false,
    minor_ordering_enabled: settings.minor_ordering_enabled ?? false,
  };
}

/**
 * ClientFacingOrgTeam. `include` says which environments' settings to fill; the others are null, as in
 * Junction's `include_environment`. `environments` always lists both: every team has both.
 */
export function toOrgTeam(team: TeamRow, include: readonly Env[] = ENVS) {
  return {
    ...toTeamListItem(team),
    environments: [...ENVS],
    sandbox: include.includes('sandbox') ? toEnvironment(team.sandbox) : null,
    production: include.includes('production') ? toEnvironment(team.production) : null,
  };
}
