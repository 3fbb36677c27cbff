// Reference ranges and flags for lab values, following Junction's documented parsing rules (reference
// §7.1): `<`/`>` exclusive, `<=`/`>=` and "< OR =" inclusive, `a-b` inclusive on both ends.

/** Bounds parsed from a reference range; null bounds are open. */
export interface ParsedRange {
  min: number | null;
  max: number | null;
  minInclusive: boolean;
  maxInclusive: boolean;
}

/** Parses "<5.7", "<=10.5", "< OR = 9.9", "> OR = 40", "1-10", "3.5 - 5.0"; null when it is not a range. */
export function parseReferenceRange(text: string | null | undefined): ParsedRange | null {
  if (!text) return null;
  const s = text
    .trim()
    .replace(/\s+OR\s+=\s*/i, '=')
    .replace(/\s+/g, '');
  let m = /^(<=?|>=?)(-?\d*\.?\d+)$/.exec(s.replace('<=', '<=').replace('>=', '>='));
  if (m) {
    const value = Number(m[2]);
    const inclusive = m[1].length === 2;
    return m[1][0] === '<'
      ? { min: null, max: value, minInclusive: false, maxInclusive: inclusive }
      : { min: value, max: null, minInclusive: inclusive, maxInclusive: false };
  }
  m = /^(-?\d*\.?\d+)-(-?\d*\.?\d+)$/.exec(s);
  if (m) return { min: Number(m[1]), max: Number(m[2]), minInclusive: true, maxInclusive: true };
  return null;
}

/** Where a numeric value falls against a range. */
export interface RangeFlags {
  is_above_max_range: boolean | null;
  is_below_min_range: boolean | null;
  min_range_value: number | null;
  max_range_value: number | null;
}

export function flagsFor(value: number | null, range: ParsedRange | null): RangeFlags {
  if (!range) return { is_above_max_range: null, is_below_min_range: null, min_range_value: null, max_range_value: null };
  const above =
    value === null || range.max === null ? (value === null ? null : false) : range.maxInclusive ? value > range.max : value >= range.max;
  const below =
    value === null || range.min === null ? (value === null ? null : false) : range.minInclusive ? value < range.min : value <= range.min;
  return { is_above_max_range: above, is_below_min_range: below, min_range_value: range.min, max_range_value: range.max };
}
