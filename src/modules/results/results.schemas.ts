// Wire shapes of results: a lab's delivery (operator API), Junction's LabResultsRaw / LabResultsMetadata /
// BiomarkerResult, and the UnmatchedResult review item.
import { z } from 'zod';
import { Env, Labs, Region, Uuid } from '../../http/wire.js';

export const ResultType = z.enum(['numeric', 'range', 'comment', 'coded_value']).meta({ id: 'ResultType' });
export const Interpretation = z.enum(['normal', 'abnormal', 'critical', 'unknown']).meta({ id: 'Interpretation' });

/** One marker value as a lab delivers it; flags and ranges are derived when the lab leaves them out. */
export const BiomarkerResultInput = z.object({
  name: z.string().min(1).max(200),
  result: z.string().max(2000),
  type: ResultType,
  slug: z.string().max(200).optional(),
  unit: z.string().max(50).nullish(),
  timestamp: z.iso.datetime({ offset: true }).nullish(),
  notes: z.string().max(4000).nullish(),
  reference_range: z.string().max(200).nullish(),
  interpretation: z.enum(['normal', 'abnormal', 'critical']).optional(),
  loinc: z.string().max(50).nullish(),
  loinc_slug: z.string().max(200).nullish(),
  provider_id: z.string().max(100).nullish(),
});
export type BiomarkerResultInput = z.infer<typeof BiomarkerResultInput>;

export const ResultDeliveryBody = z
  .object({
    env: Env,
    region: Region,
    lab: Labs,
    provider_account_id: z.string().min(1).max(100),
    report_id: z.string().min(1).max(200).nullish(),
    order_id: Uuid.nullish(),
    sample_id: z.string().min(1).max(64).nullish(),
    status: z.enum(['final', 'partial']),
    interpretation: z.enum(['normal', 'abnormal', 'critical']).nullish(),
    results: z.array(BiomarkerResultInput).max(1000),
  })
  .meta({ id: 'LabrouteResultDelivery' });
export type ResultDeliveryBody = z.infer<typeof ResultDeliveryBody>;

export const ResultDeliveryResponse = z
  .object({
    matched_order_id: z.string().nullable(),
    unmatched_result_id: z.string().nullable(),
  })
  .meta({ id: 'LabrouteResultDeliveryResponse' });

export const BiomarkerResult = z
  .object({
    name: z.string(),
    slug: z.string(),
    value: z.number().nullable(),
    result: z.string(),
    type: ResultType,
    unit: z.string().nullable(),
    timestamp: z.string().nullable(),
    notes: z.string().nullable(),
    reference_range: z.string().nullable(),
    min_range_value: z.number().nullable(),
    max_range_value: z.number().nullable(),
    is_above_max_range: z.boolean().nullable(),
    is_below_min_range: z.boolean().nullable(),
    interpretation: z.string(),
    source_interpretation: z.string(),
    loinc: z.string().nullable(),
    loinc_slug: z.string().nullable(),
    provider_id: z.string().nullable(),
    source_markers: z.null(),
    performing_laboratory: z.string().nullable(),
    source_sample_id: z.string().nullable(),
  })
  .meta({ id: 'BiomarkerResult' });
export type BiomarkerResult = z.infer<typeof BiomarkerResult>;

export const LabResultsMetadata = z
  .object({
    age: z.string(),
    dob: z.string(),
    'clia_#': z.string().nullable(),
    patient: z.string(),
    provider: z.string().nullable(),
    laboratory: z.string().nullable(),
    date_reported: z.string(),
    date_collected: z.string().nullable(),
    specimen_number: z.string(),
    date_received: z.string().nullable(),
    status: z.string(),
    interpretation: z.string().nullable(),
    patient_id: z.string().nullable(),
    account_id: z.string().nullable(),
  })
  .meta({ id: 'LabResultsMetadata' });
export type LabResultsMetadata = z.infer<typeof LabResultsMetadata>;

export const LabResultsRaw = z
  .object({
    metadata: LabResultsMetadata,
    results: z.array(BiomarkerResult),
    missing_results: z
      .array(z.object({ name: z.string(), slug: z.string(), inferred_failure_type: z.string(), note: z.string().nullable() }))
      .nullable(),
    sample_information: z.null(),
    order_transaction: z.null(),
  })
  .meta({ id: 'LabResultsRaw' });

export const MatchReviewStatus = z
  .enum(['matched', 'pending_customer_review', 'pending_ops_review', 'resolved'])
  .meta({ id: 'MatchReviewStatus' });
export const MatchDecisionCode = z
  .enum([
    'match_sample_id',
    'match_completed',
    'match_cancelled',
    'wrong_collection',
    'wrong_lab',
    'multiple_demo_match',
    'match_sample_id_mismatch_demo',
    'match_demo',
    'no_match',
  ])
  .meta({ id: 'MatchDecisionCode' });
export const MatchReviewResolutionAction = z.enum(['accept', 'reject', 'unsure']).meta({ id: 'MatchReviewResolutionAction' });

export const UnmatchedResult = z
  .object({
    id: z.string(),
    status: MatchReviewStatus,
    decision_code: MatchDecisionCode,
    sub_reason_codes: z.array(z.literal('lab_account_mismatch')),
    reason: z.string(),
    patient: z.null(),
    lab: z.object({ id: z.int(), name: z.string(), slug: z.string() }),
    markers: z.array(z.object({ provider_id: z.string().nullable(), name: z.string().nullable() })),
    interpretation: Interpretation.nullable(),
    result_status: z.enum(['final', 'partial']).nullable(),
    note: z.string().nullable(),
    resolution_action: MatchReviewResolutionAction.nullable(),
    resolved_user_id: z.string().nullable(),
    resolved_order_id: z.string().nullable(),
    allowed_actions: z.array(MatchReviewResolutionAction),
    candidate_groups: z.array(z.never()),
    created_at: z.string(),
    updated_at: z.string(),
    reviewed_at: z.string().nullable(),
    // Labroute extensions: which order the delivery quoted and the lab account number it came under.
    quoted_order_id: z.string().nullable(),
    provider_account_id: z.string(),
  })
  .meta({ id: 'UnmatchedResult' });
export type UnmatchedResult = z.infer<typeof UnmatchedResult>;
