// Wire shapes of orders: Junction's CreateOrderRequestCompatible (with its validation), ClientFacingOrder,
// PostOrderResponse and GetOrdersResponse, plus Labroute's attribution fields and dry-run response.
import { z } from 'zod';
import { ORDER_LOW_LEVEL_STATUSES, ORDER_STATUSES, ORDER_TOP_LEVEL_STATUSES } from '../../domain/order-status.js';
import { Billing, Int, LabTestCollectionMethod, Uuid } from '../../http/wire.js';
import { ClientFacingLabAccount } from '../lab-accounts/lab-accounts.schemas.js';
import { ClientFacingLabTest } from '../lab-tests/lab-tests.schemas.js';

/** Junction's patient-name rule (reference §8.6): no accents, no leading/trailing or double spaces. */
export const NAME_PATTERN = /^([a-zA-Z0-9]{1})([a-zA-Z0-9-.,']*(\s[a-zA-Z0-9-.,']+)*[a-zA-Z0-9-.,']?)$/;
export const US_ZIP_PATTERN = /^\d{5}(-\d{4})?$/;

const Name = z.string().min(1).max(50).regex(NAME_PATTERN);
const Gender = z.enum(['female', 'male', 'other', 'unknown']).meta({ id: 'Gender' });
const Race = z
  .enum([
    'african_american_or_black',
    'asian',
    'indigenous_native_american_alaska_native',
    'other',
    'pacific_islander_or_hawaiian',
    'white_caucasian',
  ])
  .meta({ id: 'Race' });
const Ethnicity = z.enum(['hispanic', 'non_hispanic', 'ashkenazi_jewish', 'other']).meta({ id: 'Ethnicity' });
const SexualOrientation = z
  .enum(['lesbian_gay_or_homosexual', 'heterosexual_or_straight', 'bisexual', 'dont_know', 'other'])
  .meta({ id: 'SexualOrientation' });
const GenderIdentity = z
  .enum([
    'male',
    'female',
    'female_to_male_ftm_transgender_male_trans_man',
    'male_to_female_mtf_transgender_female_trans_woman',
    'genderqueer',
    'other',
  ])
  .meta({ id: 'GenderIdentity' });
export const OrderStatus = z.enum(ORDER_STATUSES as [string, ...string[]]).meta({ id: 'OrderStatus' });
export const OrderLowLevelStatus = z.enum(ORDER_LOW_LEVEL_STATUSES).meta({ id: 'OrderLowLevelStatus' });
export const OrderTopLevelStatus = z.enum(ORDER_TOP_LEVEL_STATUSES).meta({ id: 'OrderTopLevelStatus' });
export const OrderStatusDetail = z
  .enum([
    'fulfillment_error',
    'date_of_collection_unspecified',
    'demographic_information_unspecified',
    'demographic_information_mismatch',
    'sample_quantity_not_sufficient',
    'sample_contaminated',
    'sample_stability_exceeded',
    'sample_hemolyzed',
    'sample_improper_collection',
  ])
  .meta({ id: 'OrderStatusDetail' });

export const AddressInput = z.object({
  first_line: z.string().min(1).max(200),
  second_line: z.string().max(200).nullish(),
  country: z.string().min(1).max(100),
  zip: z.string().min(1).max(20),
  city: z.string().min(1).max(100),
  state: z.string().min(1).max(50),
  access_notes: z.string().max(1000).nullish(),
});

const GuarantorDetails = z.object({
  first_name: z.string().min(1).max(50),
  last_name: z.string().min(1).max(50),
  address: AddressInput,
  phone_number: z.string().min(1).max(40),
  household_income: Int().nullish(),
  household_size: Int().nullish(),
  email: z.string().max(200).nullish(),
});

export const PatientDetailsWithValidation = z
  .object({
    first_name: Name,
    last_name: Name,
    dob: z.iso.date(),
    gender: Gender,
    phone_number: z.string().min(1).max(40),
    email: z.email().max(254),
    medical_proxy: GuarantorDetails.nullish(),
    race: Race.nullish(),
    ethnicity: Ethnicity.nullish(),
    sexual_orientation: SexualOrientation.nullish(),
    gender_identity: GenderIdentity.nullish(),
    household_income: Int().nullish(),
    household_size: Int().nullish(),
  })
  .meta({ id: 'PatientDetailsWithValidation' });

export const PatientAddressWithValidation = z
  .object({
    receiver_name: z.string().max(200).optional(),
    first_line: z.string().min(1).max(200),
    second_line: z.string().max(200).nullish(),
    city: z.string().min(1).max(100),
    state: z.string().regex(/^[A-Za-z]{2}$/),
    zip: z.string().min(1).max(20),
    country: z.string().min(1).max(100),
    access_notes: z.string().max(1000).nullish(),
    phone_number: z.string().max(40).nullish(),
  })
  .meta({ id: 'PatientAddressWithValidation' });

const PhysicianCreateRequest = z
  .object({
    first_name: z.string().min(1).max(100),
    last_name: z.string().min(1).max(100),
    email: z.string().max(254).nullish(),
    npi: z.string().regex(/^\d{10}$/),
    licensed_states: z.array(z.string().max(2)).optional(),
    signature_image: z.unknown().nullish(),
  })
  .meta({ id: 'PhysicianCreateRequest' });

const OrderSetRequest = z
  .object({
    lab_test_ids: z.array(Uuid).max(50).nullish(),
    add_on: z
      .object({ marker_ids: z.array(Int()).max(200).nullish(), provider_ids: z.array(z.string().max(100)).max(200).nullish() })
      .nullish(),
    lab_account_id: Uuid.nullish(),
  })
  .meta({ id: 'OrderSetRequest' });

const Consent = z.object({
  consentType: z.enum([
    'terms-of-use',
    'telehealth-informed-consent',
    'mobile-terms-and-conditions',
    'notice-of-privacy-practices',
    'privacy-policy',
    'hipaa-authorization',
  ]),
  version: z.string().max(50).optional(),
  timeOfConsent: z.iso.datetime({ offset: true }).optional(),
});

export const CreateOrderRequestCompatible = z
  .object({
    user_id: Uuid,
    lab_test_id: Uuid.nullish(),
    order_set: OrderSetRequest.nullish(),
    collection_method: LabTestCollectionMethod.nullish(),
    physician: PhysicianCreateRequest.nullish(),
    health_insurance: z.record(z.string(), z.unknown()).nullish(),
    priority: z.boolean().optional(),
    billing_type: Billing.optional(),
    icd_codes: z.array(z.string().min(1).max(10)).max(20).nullish(),
    consents: z.array(Consent).max(20).optional(),
    activate_by: z.iso.date().nullish(),
    aoe_answers: z
      .array(z.object({ marker_id: Int(), question_id: Int(), answer: z.string().max(1000) }))
      .max(200)
      .nullish(),
    passthrough: z.string().max(4000).nullish(),
    clinical_notes: z.string().max(1000).nullish(),
    lab_account_id: Uuid.nullish(),
    creator_member_id: Uuid.nullish(),
    patient_details: PatientDetailsWithValidation,
    patient_address: PatientAddressWithValidation,
  })
  .meta({ id: 'CreateOrderRequestCompatible' });
export type CreateOrderRequest = z.infer<typeof CreateOrderRequestCompatible>;

// --- Output ---------------------------------------------------------------------------------------------
const AddressOut = z.object({
  first_line: z.string(),
  second_line: z.string().nullable(),
  country: z.string(),
  zip: z.string(),
  city: z.string(),
  state: z.string(),
  access_notes: z.string().nullable(),
});

export const ClientFacingOrderEvent = z
  .object({
    id: z.int(),
    created_at: z.string(),
    status: z.string(),
    status_detail: OrderStatusDetail.nullable(),
  })
  .meta({ id: 'ClientFacingOrderEvent' });

const InTransaction = z.object({
  id: z.string(),
  low_level_status: z.string().nullable(),
  low_level_status_created_at: z.string().nullable(),
  origin: z.string().nullable(),
  parent_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ClientFacingOrder = z
  .object({
    user_id: z.string(),
    id: z.string(),
    team_id: z.string(),
    patient_details: z
      .object({
        first_name: z.string().nullable(),
        last_name: z.string().nullable(),
        dob: z.string(),
        gender: z.string(),
        phone_number: z.string().nullable(),
        email: z.string().nullable(),
        medical_proxy: GuarantorDetails.omit({ address: true }).extend({ address: AddressOut }).nullable(),
        race: z.string().nullable(),
        ethnicity: z.string().nullable(),
        sexual_orientation: z.string().nullable(),
        gender_identity: z.string().nullable(),
      })
      .nullable(),
    patient_address: z
      .object({
        receiver_name: z.string(),
        first_line: z.string(),
        second_line: z.string().nullable(),
        city: z.string(),
        state: z.string(),
        zip: z.string(),
        country: z.string(),
        access_notes: z.string().nullable(),
        phone_number: z.string().nullable(),
      })
      .nullable(),
    lab_test: ClientFacingLabTest,
    details: z.object({ type: LabTestCollectionMethod, data: z.record(z.string(), z.unknown()).nullable() }),
    sample_id: z.string().nullable(),
    notes: z.string().nullable(),
    clinical_notes: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    events: z.array(ClientFacingOrderEvent),
    status: OrderTopLevelStatus.nullable(),
    last_event: ClientFacingOrderEvent,
    physician: z.object({ first_name: z.string(), last_name: z.string(), npi: z.string() }).nullable(),
    health_insurance_id: z.string().nullable(),
    requisition_form_url: z.string().nullable(),
    priority: z.boolean(),
    shipping_details: z.null(),
    activate_by: z.string().nullable(),
    passthrough: z.string().nullable(),
    billing_type: Billing,
    icd_codes: z.array(z.string()).nullable(),
    has_abn: z.boolean(),
    interpretation: z.enum(['normal', 'abnormal', 'critical', 'unknown']).nullable(),
    has_missing_results: z.boolean().nullable(),
    expected_result_by_date: z.string().nullable(),
    worst_case_result_by_date: z.string().nullable(),
    origin: z.enum(['initial', 'redraw', 'recreation']).nullable(),
    order_transaction: z
      .object({ id: z.string(), status: z.enum(['active', 'completed', 'cancelled']), orders: z.array(InTransaction) })
      .nullable(),
    // Labroute extensions: which lab account the order went through and why, and each ordered test.
    lab_account_id: z.string(),
    lab_account_resolution: z.enum(['explicit', 'only_active', 'only_eligible', 'platform_default']),
    lab_tests: z.array(ClientFacingLabTest),
  })
  .meta({ id: 'ClientFacingOrder' });
export type ClientFacingOrder = z.infer<typeof ClientFacingOrder>;

export const PostOrderResponse = z
  .object({ order: ClientFacingOrder, status: z.string(), message: z.string() })
  .meta({ id: 'PostOrderResponse' });
export const GetOrdersResponse = z
  .object({ orders: z.array(ClientFacingOrder), total: z.int(), page: z.int(), size: z.int() })
  .meta({ id: 'GetOrdersResponse' });

export const LabAccountCandidate = z
  .object({
    lab_account_id: z.string(),
    account_name: z.string().nullable(),
    eligible: z.boolean(),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'LabAccountCandidate' });
export const ResolveLabAccountResponse = z
  .object({
    lab_account_id: z.string(),
    lab_account_resolution: z.enum(['explicit', 'only_active', 'only_eligible', 'platform_default']),
    lab_account: ClientFacingLabAccount,
    candidates: z.array(LabAccountCandidate),
  })
  .meta({ id: 'ResolveLabAccountResponse' });
