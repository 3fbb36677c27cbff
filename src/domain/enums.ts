// Closed value sets of the wire, spelled exactly as Junction's published API spells them.
// Kept as readonly tuples so zod schemas, SQL checks and exhaustive switches share one source.

export const LABS = [
  'ayumetrix',
  'spiriplex',
  'ussl',
  'quest',
  'sonora_quest',
  'labcorp',
  'bioreference',
  'us_biotek',
  'manual',
  'sanocardio',
  'ihd',
  'nexus',
  'my_uti',
  'crl',
  'mtl',
] as const;
export type Lab = (typeof LABS)[number];

export const LAB_ACCOUNT_STATUSES = ['active', 'pending', 'suspended', 'ready_to_launch'] as const;
export type LabAccountStatus = (typeof LAB_ACCOUNT_STATUSES)[number];

export const DELEGATED_FLOWS = ['order_delegated', 'result_delegated', 'fully_delegated', 'not_delegated'] as const;
export type DelegatedFlow = (typeof DELEGATED_FLOWS)[number];

export const BILLING_TYPES = ['client_bill', 'commercial_insurance', 'patient_bill_passthrough', 'patient_bill'] as const;
export type BillingType = (typeof BILLING_TYPES)[number];

export const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
] as const;
export type USState = (typeof US_STATES)[number];

export const ENVS = ['production', 'sandbox'] as const;
export type Env = (typeof ENVS)[number];

export const REGIONS = ['us', 'eu'] as const;
export type Region = (typeof REGIONS)[number];

export const MANAGEMENT_ROLES = ['org_admin', 'team_admin'] as const;
export type ManagementRole = (typeof MANAGEMENT_ROLES)[number];

export const COLLECTION_METHODS = ['testkit', 'walk_in_test', 'at_home_phlebotomy', 'on_site_collection'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];

export const SAMPLE_TYPES = ['dried_blood_spot', 'arm_collector', 'serum', 'saliva', 'urine', 'stool'] as const;
export type SampleType = (typeof SAMPLE_TYPES)[number];

export const LAB_TEST_STATUSES = ['active', 'pending_approval', 'inactive'] as const;
export type LabTestStatus = (typeof LAB_TEST_STATUSES)[number];

/** Which (env, region) pair an object lives in. */
export interface Cell {
  env: Env;
  region: Region;
}
