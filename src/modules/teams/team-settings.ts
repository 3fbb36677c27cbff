// Pure rules for a team's per-environment settings (Junction's ClientFacingOrgTeamEnvironment): the
// defaults a new team starts with, and how a partial update body merges into stored settings. No I/O.
import type { TeamEnvironmentSettings } from '../../db/schema.js';
import type { CreateOrgTeamInput, UpdateOrgTeamEnvironmentInput } from './teams.schemas.js';

type BrandInformation = NonNullable<TeamEnvironmentSettings['brand_information']>;

/** Junction's defaults for BrandInformation fields other than company_name. */
const BRAND_DEFAULTS = {
  company_website: '',
  support_email: 'help@tryvital.io',
  support_contact: '',
  company_address: '',
  brand_color: '',
};

/** The settings both environments of a new team start with, taken from the create body (defaults applied by its schema). */
export function initialSettings(body: CreateOrgTeamInput): TeamEnvironmentSettings {
  return {
    lab_tests_patient_sms_communication_enabled: body.lab_tests_patient_sms_communication_enabled,
    lab_tests_patient_email_communication_enabled: body.lab_tests_patient_email_communication_enabled,
    critical_result_notification_email: body.critical_result_notification_email ?? null,
    brand_information: body.brand_information ? { ...body.brand_information } : null,
    logo_url: body.logo_url ?? null,
    reject_duplicate_connection: body.reject_duplicate_connection,
    sdk_per_device_activity_timeseries: body.sdk_per_device_activity_timeseries,
    partial_webhooks_enabled: body.partial_webhooks_enabled,
    minor_ordering_enabled: body.minor_ordering_enabled,
  };
}

/** Thrown by mergeSettings when the result would be a BrandInformation without its required company_name. */
export class BrandCompanyNameRequired extends Error {
  constructor() {
    super('brand_information.company_name is required');
    this.name = 'BrandCompanyNameRequired';
  }
}

/**
 * Applies a partial environment update. Absent fields keep their value. For the boolean switches a null
 * also means "leave as is" (they cannot be unset); for the optional values (notification email, logo,
 * brand) an explicit null clears them. Brand fields merge one by one into the stored brand.
 */
export function mergeSettings(current: TeamEnvironmentSettings, patch: UpdateOrgTeamEnvironmentInput): TeamEnvironmentSettings {
  const next: TeamEnvironmentSettings = { ...current };
  const switches = [
    'lab_tests_patient_sms_communication_enabled',
    'lab_tests_patient_email_communication_enabled',
    'reject_duplicate_connection',
    'sdk_per_device_activity_timeseries',
    'partial_webhooks_enabled',
    'minor_ordering_enabled',
  ] as const;
  for (const field of switches) {
    const value = patch[field];
    if (typeof value === 'boolean') next[field] = value;
  }
  if (patch.critical_result_notification_email !== undefined) {
    next.critical_result_notification_email = patch.critical_result_notification_email;
  }
  if (patch.logo_url !== undefined) next.logo_url = patch.logo_url;
  if (patch.brand_information === null) next.brand_information = null;
  else if (patch.brand_information !== undefined) {
    const merged: Record<string, unknown> = { ...BRAND_DEFAULTS, ...(current.brand_information ?? {}) };
    for (const [field, value] of Object.entries(patch.brand_information)) {
      // Null leaves a brand field as it was, except support_contact, which BrandInformation allows to be null.
      if (value !== undefined && (value !== null || field === 'support_contact')) merged[field] = value;
    }
    if (typeof merged.company_name !== 'string') throw new BrandCompanyNameRequired();
    next.brand_information = merged as BrandInformation;
  }
  return next;
}
