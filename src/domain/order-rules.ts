// Pure order rules besides lab-account resolution: which lab and collection method a test selection
// implies, minors, insurance codes, sample ids and the composite test of a multi-test order.
import { randomInt } from 'node:crypto';
import type { ErrorCode } from './errors.js';

export interface SelectedTest {
  id: string;
  lab: string;
  method: string;
  name: string;
  slug: string;
}

export type Selection = { ok: true; lab: string; method: string } | { ok: false; code: ErrorCode; message: string };

/** One lab and one collection method across the tests (and add-on markers' tests); `requested` must agree. */
export function selectLabAndMethod(tests: SelectedTest[], addOnLabs: string[], requested: string | null | undefined): Selection {
  const labs = new Set([...tests.map((t) => t.lab), ...addOnLabs]);
  if (labs.size > 1) return { ok: false, code: 'multiple_labs', message: 'cannot order lab_tests from multiple labs' };
  const methods = new Set(tests.map((t) => t.method));
  if (methods.size > 1)
    return { ok: false, code: 'multiple_collection_methods', message: 'cannot order lab tests with multiple collection methods' };
  const [method] = [...methods];
  if (requested && method && requested !== method) {
    return {
      ok: false,
      code: 'collection_method_mismatch',
      message: `collection_method ${requested} does not match the tests' collection method ${method}`,
    };
  }
  const chosen = method ?? requested;
  const [lab] = [...labs];
  if (!lab || !chosen)
    return { ok: false, code: 'bad_request', message: 'order_set.lab_test_ids (or lab_test_id, or order_set.add_on) is required' };
  return { ok: true, lab, method: chosen };
}

/** Whole years of age on `today` (YYYY-MM-DD strings). */
export function ageInYears(dob: string, today: string): number {
  const [by, bm, bd] = dob.slice(0, 10).split('-').map(Number);
  const [ty, tm, td] = today.slice(0, 10).split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export function minorRule(options: {
  dob: string;
  today: string;
  minorOrderingEnabled: boolean;
  hasMedicalProxy: boolean;
}): { code: ErrorCode; message: string } | null {
  if (ageInYears(options.dob, options.today) >= 18) return null;
  if (!options.minorOrderingEnabled)
    return { code: 'minor_not_allowed', message: 'The patient is a minor and this team does not allow ordering for minors' };
  if (!options.hasMedicalProxy)
    return { code: 'medical_proxy_required', message: 'The patient is a minor: patient_details.medical_proxy is required' };
  return null;
}

export function insuranceRule(billingType: string, icdCodes: string[] | null | undefined): { code: ErrorCode; message: string } | null {
  if (billingType === 'commercial_insurance' && (!icdCodes || icdCodes.length === 0)) {
    return { code: 'icd_codes_required', message: 'commercial_insurance orders need at least one icd_codes entry' };
  }
  return null;
}

const SAMPLE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 12 uppercase letters and digits (SPEC.md §1), unbiased. */
export function newSampleId(): string {
  let out = '';
  for (let i = 0; i < 12; i++) out += SAMPLE_ALPHABET[randomInt(SAMPLE_ALPHABET.length)];
  return out;
}
