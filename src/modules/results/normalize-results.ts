// Turns a lab's marker values into Junction's BiomarkerResult shape: slug, deprecated numeric `value` (-1
// for non-numeric types, as Junction does), range bounds and above/below flags derived from the reference
// range, and an interpretation that defaults from those flags.
import { flagsFor, parseReferenceRange } from '../../domain/reference-range.js';
import type { BiomarkerResult, BiomarkerResultInput } from './results.schemas.js';

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function normalizeResult(input: BiomarkerResultInput): BiomarkerResult {
  const numeric = input.type === 'numeric' && /^[-+]?\d*\.?\d+$/.test(input.result.trim()) ? Number(input.result) : null;
  const flags = flagsFor(numeric, parseReferenceRange(input.reference_range));
  const derived = flags.is_above_max_range || flags.is_below_min_range ? 'abnormal' : 'normal';
  const interpretation = input.interpretation ?? derived;
  const copyToNotes = input.type === 'range' || input.type === 'comment';
  return {
    name: input.name,
    slug: input.slug ?? slugify(input.name),
    value: input.type === 'numeric' ? numeric : -1,
    result: input.result,
    type: input.type,
    unit: input.unit ?? null,
    timestamp: input.timestamp ?? null,
    notes: input.notes ?? (copyToNotes ? input.result : null),
    reference_range: input.reference_range ?? null,
    ...flags,
    interpretation,
    source_interpretation: input.interpretation ?? '',
    loinc: input.loinc ?? null,
    loinc_slug: input.loinc_slug ?? null,
    provider_id: input.provider_id ?? null,
    source_markers: null,
    performing_laboratory: null,
    source_sample_id: null,
  };
}

export function normalizeResults(inputs: BiomarkerResultInput[]): BiomarkerResult[] {
  return inputs.map(normalizeResult);
}

const RANK: Record<string, number> = { normal: 0, unknown: 0, abnormal: 1, critical: 2 };

/** The most severe interpretation among results, or null when there are none. */
export function worstInterpretation(results: { interpretation: string }[]): 'normal' | 'abnormal' | 'critical' | null {
  if (results.length === 0) return null;
  const worst = results.reduce((max, r) => Math.max(max, RANK[r.interpretation] ?? 0), 0);
  return worst === 2 ? 'critical' : worst === 1 ? 'abnormal' : 'normal';
}
