// Turns zod issues into FastAPI/pydantic-v2 `ValidationError` items, so clients written against Junction
// (which is FastAPI) see the same `{detail: [{loc, msg, type, input?, ctx?}]}` shape and type names.
import type { core } from 'zod';
import { INT_MESSAGE } from './wire.js';

/** One item of FastAPI's HTTPValidationError.detail. */
export interface PydanticError {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

/** Where a value came from; becomes loc[0]. */
export type RequestPart = 'path' | 'query' | 'header' | 'body';

/** Body fields whose values are patient data: their input is never echoed back. */
const PHI_FIELDS = new Set([
  'patient_details',
  'patient_address',
  'medical_proxy',
  'physician',
  'health_insurance',
  'shipping_details',
  'first_name',
  'last_name',
  'dob',
  'email',
  'phone_number',
  'first_line',
  'second_line',
  'zip',
  'city',
  'receiver_name',
  'client_user_id',
  'results',
  'notes',
  'clinical_notes',
  'access_notes',
]);

const MAX_ECHO = 256;

function isPhi(loc: (string | number)[]): boolean {
  return loc.some((segment) => typeof segment === 'string' && PHI_FIELDS.has(segment));
}

function echo(input: unknown): unknown {
  if (typeof input === 'string') return input.length > MAX_ECHO ? input.slice(0, MAX_ECHO) : input;
  if (input === undefined) return undefined;
  try {
    const text = JSON.stringify(input);
    if (text !== undefined && text.length > MAX_ECHO) return text.slice(0, MAX_ECHO);
  } catch {
    return undefined;
  }
  return input;
}

function quoteList(values: readonly unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeType(issue: core.$ZodIssueInvalidType): Pick<PydanticError, 'type' | 'msg'> {
  const input = issue.input;
  if (input === undefined) return { type: 'missing', msg: 'Field required' };
  const expected = issue.message === INT_MESSAGE ? 'int' : issue.expected;
  switch (expected) {
    case 'string':
      return { type: 'string_type', msg: 'Input should be a valid string' };
    case 'int':
      return typeof input === 'string'
        ? { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' }
        : typeof input === 'number'
          ? { type: 'int_from_float', msg: 'Input should be a valid integer, got a number with a fractional part' }
          : { type: 'int_type', msg: 'Input should be a valid integer' };
    case 'number':
      return typeof input === 'string'
        ? { type: 'float_parsing', msg: 'Input should be a valid number, unable to parse string as a number' }
        : { type: 'float_type', msg: 'Input should be a valid number' };
    case 'boolean':
      return typeof input === 'string'
        ? { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' }
        : { type: 'bool_type', msg: 'Input should be a valid boolean' };
    case 'array':
      return { type: 'list_type', msg: 'Input should be a valid list' };
    case 'record':
    case 'map':
      return { type: 'dict_type', msg: 'Input should be a valid dictionary' };
    case 'object':
      return { type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' };
    case 'null':
      return { type: 'none_required', msg: 'Input should be None' };
    default:
      return { type: `${issue.expected}_type`, msg: `Input should be a valid ${issue.expected}` };
  }
}

function describeFormat(issue: core.$ZodIssueInvalidStringFormat): Pick<PydanticError, 'type' | 'msg' | 'ctx'> {
  const input = typeof issue.input === 'string' ? issue.input : '';
  switch (issue.format) {
    case 'guid':
    case 'uuid': {
      const bad = [...input].findIndex((c) => !/[0-9a-fA-F-]/.test(c));
      const error =
        bad >= 0
          ? `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${input[bad]}\` at ${bad + 1}`
          : `invalid group length in group ${Math.max(0, input.split('-').length - 1)}: expected 8-4-4-4-12 groups`;
      return { type: 'uuid_parsing', msg: `Input should be a valid UUID, ${error}`, ctx: { error } };
    }
    case 'email': {
      const reason = input.includes('@') ? 'The part after the @-sign is not valid.' : 'An email address must have an @-sign.';
      return { type: 'value_error', msg: `value is not a valid email address: ${reason}`, ctx: { reason } };
    }
    case 'date': {
      const error = input.length < 10 ? 'input is too short' : 'invalid date separator or value';
      return { type: 'date_from_datetime_parsing', msg: `Input should be a valid date or datetime, ${error}`, ctx: { error } };
    }
    case 'datetime': {
      const error = input.length < 10 ? 'input is too short' : 'invalid datetime format';
      return { type: 'datetime_from_date_parsing', msg: `Input should be a valid datetime or date, ${error}`, ctx: { error } };
    }
    case 'url':
      return { type: 'url_parsing', msg: 'Input should be a valid URL', ctx: { error: 'relative URL without a base' } };
    default: {
      const pattern = 'pattern' in issue && issue.pattern ? String(issue.pattern).replace(/^\/(.*)\/[a-z]*$/s, '$1') : '';
      return { type: 'string_pattern_mismatch', msg: `String should match pattern '${pattern}'`, ctx: { pattern } };
    }
  }
}

function describeSize(issue: core.$ZodIssueTooBig | core.$ZodIssueTooSmall): Pick<PydanticError, 'type' | 'msg' | 'ctx'> {
  const big = issue.code === 'too_big';
  const limit = Number(big ? (issue as core.$ZodIssueTooBig).maximum : (issue as core.$ZodIssueTooSmall).minimum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      return big
        ? { type: 'string_too_long', msg: `String should have at most ${plural(limit, 'character')}`, ctx: { max_length: limit } }
        : { type: 'string_too_short', msg: `String should have at least ${plural(limit, 'character')}`, ctx: { min_length: limit } };
    case 'array':
    case 'set': {
      const actual = Array.isArray(issue.input) ? issue.input.length : 0;
      return big
        ? {
            type: 'too_long',
            msg: `List should have at most ${plural(limit, 'item')} after validation, not ${actual}`,
            ctx: { field_type: 'List', max_length: limit, actual_length: actual },
          }
        : {
            type: 'too_short',
            msg: `List should have at least ${plural(limit, 'item')} after validation, not ${actual}`,
            ctx: { field_type: 'List', min_length: limit, actual_length: actual },
          };
    }
    default:
      if (big) {
        return inclusive
          ? { type: 'less_than_equal', msg: `Input should be less than or equal to ${limit}`, ctx: { le: limit } }
          : { type: 'less_than', msg: `Input should be less than ${limit}`, ctx: { lt: limit } };
      }
      return inclusive
        ? { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${limit}`, ctx: { ge: limit } }
        : { type: 'greater_than', msg: `Input should be greater than ${limit}`, ctx: { gt: limit } };
  }
}

/** Custom issues may carry their pydantic rendering in `params.pydantic`. */
interface PydanticParams {
  pydantic?: { type: string; msg: string; ctx?: Record<string, unknown> };
}

function flatten(issue: core.$ZodIssue): core.$ZodIssue[] {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the branch that got furthest (the one with the fewest issues), as pydantic's smart mode does.
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0];
    return best.flatMap((inner) => flatten({ ...inner, path: [...issue.path, ...inner.path] } as core.$ZodIssue));
  }
  return [issue];
}

/** Converts zod issues for one request part into pydantic-style errors. */
export function toPydanticErrors(part: RequestPart, issues: readonly core.$ZodIssue[]): PydanticError[] {
  const out: PydanticError[] = [];
  for (const raw of issues.flatMap(flatten)) {
    const loc: (string | number)[] = [part, ...raw.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (raw.code === 'unrecognized_keys') {
      const container = (raw.input ?? {}) as Record<string, unknown>;
      for (const key of raw.keys) {
        const itemLoc = [...loc, key];
        out.push(withInput({ loc: itemLoc, msg: 'Extra inputs are not permitted', type: 'extra_forbidden' }, container[key]));
      }
      continue;
    }
    let described: Pick<PydanticError, 'type' | 'msg' | 'ctx'>;
    switch (raw.code) {
      case 'invalid_type':
        described = describeType(raw);
        break;
      case 'invalid_format':
        described = describeFormat(raw as core.$ZodIssueInvalidStringFormat);
        break;
      case 'too_big':
      case 'too_small':
        described = describeSize(raw);
        break;
      case 'invalid_value': {
        // zod reports an absent enum/literal field as invalid_value; pydantic calls it `missing`.
        if (raw.input === undefined) {
          described = { type: 'missing', msg: 'Field required' };
          break;
        }
        const expected = quoteList(raw.values);
        described =
          raw.values.length === 1
            ? { type: 'literal_error', msg: `Input should be ${expected}`, ctx: { expected } }
            : { type: 'enum', msg: `Input should be ${expected}`, ctx: { expected } };
        break;
      }
      case 'invalid_key':
        described = { type: 'enum', msg: 'Input should be a valid key' };
        loc.push('[key]');
        break;
      case 'custom': {
        const params = (raw.params ?? {}) as PydanticParams;
        described = params.pydantic ?? { type: 'value_error', msg: `Value error, ${raw.message}`, ctx: { error: raw.message } };
        break;
      }
      default:
        described = { type: 'value_error', msg: `Value error, ${raw.message}`, ctx: { error: raw.message } };
    }
    const item: PydanticError = { loc, msg: described.msg, type: described.type };
    if (described.ctx) item.ctx = described.ctx;
    out.push(described.type === 'missing' ? { ...item, input: null } : withInput(item, raw.input));
  }
  return out;
}

function withInput(item: PydanticError, input: unknown): PydanticError {
  if (input === undefined || isPhi(item.loc)) return item;
  return { ...item, input: echo(input) };
}
