// Assembles Junction's LabResultsRaw for an order from every delivery attached to it: later values of the
// same marker replace earlier ones (a final report supersedes partials, a correction supersedes the final).

import { worstInterpretation } from './normalize-results.js';
import type { BiomarkerResult, LabResultsMetadata } from './results.schemas.js';

export interface OrderForResults {
  id: string;
  sample_id: string;
  user_id: string;
  patient_details: Record<string, unknown>;
  physician: Record<string, unknown> | null;
  delegated_flow: string;
  provider_account_id: string;
}

export interface AttachedDelivery {
  status: 'final' | 'partial';
  interpretation: string | null;
  results: Record<string, unknown>[];
  created_at: Date | string;
}

function isoDate(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString().slice(0, 10);
}

/** Whole years between a date of birth and a day, as Junction's string `age`. */
export function ageOn(dob: string, day: string): string {
  const birth = new Date(`${dob.slice(0, 10)}T00:00:00Z`);
  const on = new Date(`${day}T00:00:00Z`);
  let years = on.getUTCFullYear() - birth.getUTCFullYear();
  const before =
    on.getUTCMonth() < birth.getUTCMonth() || (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (before) years -= 1;
  return String(Math.max(0, years));
}

export function buildLabResults(options: {
  order: OrderForResults;
  deliveries: AttachedDelivery[];
  labName: string;
  platformPhysician: { first_name: string; last_name: string };
}): { metadata: LabResultsMetadata; results: BiomarkerResult[] } {
  const { order, deliveries } = options;
  const byMarker = new Map<string, BiomarkerResult>();
  for (const delivery of deliveries) {
    for (const result of delivery.results as unknown as BiomarkerResult[]) byMarker.set(result.slug || result.name, result);
  }
  const results = [...byMarker.values()];
  const latest = deliveries[deliveries.length - 1];
  const status = deliveries.some((d) => d.status === 'final') ? 'final' : 'partial';
  const reported = isoDate(latest.created_at);
  const details = order.patient_details;
  const dob = String(details.dob ?? '').slice(0, 10);
  const delegated = order.delegated_flow === 'order_delegated' || order.delegated_flow === 'fully_delegated';
  const physician = delegated && order.physician ? order.physician : options.platformPhysician;
  const interpretations = deliveries.map((d) => ({ interpretation: d.interpretation ?? 'normal' })).concat(results);
  return {
    metadata: {
      age: ageOn(dob, reported),
      dob,
      'clia_#': null,
      patient: `${String(details.first_name ?? '')} ${String(details.last_name ?? '')}`.trim(),
      provider: `${String(physician.first_name ?? '')} ${String(physician.last_name ?? '')}`.trim(),
      laboratory: options.labName,
      date_reported: reported,
      date_collected: null,
      specimen_number: order.sample_id,
      date_received: null,
      status,
      interpretation: worstInterpretation(interpretations),
      patient_id: order.user_id,
      account_id: order.provider_account_id,
    },
    results,
  };
}
