// Shared zod building blocks for the wire: Junction's enums (named as in its OpenAPI documents, so they
// become the same components in ours) and query-string coercions that mirror FastAPI's.
import { z } from 'zod';
import {
  BILLING_TYPES,
  COLLECTION_METHODS,
  DELEGATED_FLOWS,
  ENVS,
  LAB_ACCOUNT_STATUSES,
  LAB_TEST_STATUSES,
  LABS,
  MANAGEMENT_ROLES,
  REGIONS,
  SAMPLE_TYPES,
  US_STATES,
} from '../domain/enums.js';

// Lower-cased as FastAPI's UUID type does: an id in any case names the same object (scope checks compare ids).
export const Uuid = z.guid().overwrite((id) => id.toLowerCase());
export const Labs = z.enum(LABS).meta({ id: 'Labs' });
export const LabAccountStatus = z.enum(LAB_ACCOUNT_STATUSES).meta({ id: 'LabAccountStatus' });
export const LabAccountDelegatedFlow = z.enum(DELEGATED_FLOWS).meta({ id: 'LabAccountDelegatedFlow' });
export const Billing = z.enum(BILLING_TYPES).meta({ id: 'Billing' });
export const USState = z.enum(US_STATES).meta({ id: 'USState' });
export const Env = z.enum(ENVS).meta({ id: 'Env' });
export const Region = z.enum(REGIONS);
export const ManagementRole = z.enum(MANAGEMENT_ROLES).meta({ id: 'Role' });
export const LabTestCollectionMethod = z.enum(COLLECTION_METHODS).meta({ id: 'LabTestCollectionMethod' });
export const LabTestSampleType = z.enum(SAMPLE_TYPES).meta({ id: 'LabTestSampleType' });
export const LabTestStatus = z.enum(LAB_TEST_STATUSES).meta({ id: 'LabTestStatus' });

/** A query value that may be absent; FastAPI treats an empty string as absent for optional params too. */
function blankToUndefined(value: unknown): unknown {
  return value === '' ? undefined : value;
}

/** Repeated query keys (`?status=a&status=b`) as an array; a single key as a one-item array. */
export function queryArray<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).optional());
}

/** An optional scalar query parameter (the last value wins when repeated, as in FastAPI). */
export function queryOne<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => blankToUndefined(Array.isArray(v) ? v[v.length - 1] : v), schema.optional());
}

/**
 * Marks integer schemas: zod reports a string given to z.int() as "expected number", so the message carries
 * the distinction that pydantic makes (int_parsing vs float_parsing).
 */
export const INT_MESSAGE = 'expected an integer';

/** An integer (body field) reported like pydantic's int errors. */
export const Int = () => z.int({ error: INT_MESSAGE });

/** An integer query parameter with pydantic's int_parsing behaviour. */
export function queryInt(options: { min?: number; max?: number; default?: number } = {}) {
  let schema = Int();
  if (options.min !== undefined) schema = schema.min(options.min);
  if (options.max !== undefined) schema = schema.max(options.max);
  const toNumber = (v: unknown): unknown => {
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (value === undefined || value === '') return undefined;
    return typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : value;
  };
  return options.default !== undefined
    ? z.preprocess(toNumber, schema.default(options.default))
    : z.preprocess(toNumber, schema.optional());
}

const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/** A boolean query parameter with pydantic's accepted spellings. */
export function queryBool(defaultValue?: boolean) {
  const toBool = (v: unknown): unknown => {
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
    }
    return value;
  };
  return defaultValue !== undefined
    ? z.preprocess(toBool, z.boolean().default(defaultValue))
    : z.preprocess(toBool, z.boolean().optional());
}

/** The `{org_id, env, region}` path of the Management API's cell-scoped routes. */
export const OrgCellParams = z.object({ org_id: Uuid, env: Env, region: Region });
export const OrgParams = z.object({ org_id: Uuid });

/** FastAPI's validation error shapes, for the OpenAPI document. */
export const ValidationError = z
  .object({
    loc: z.array(z.union([z.string(), z.int()])),
    msg: z.string(),
    type: z.string(),
    input: z.unknown().optional(),
    ctx: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ValidationError' });
export const HTTPValidationError = z.object({ detail: z.array(ValidationError) }).meta({ id: 'HTTPValidationError' });

/** Labroute's error body for every non-422 error. */
export const ErrorResponse = z
  .object({ detail: z.string(), code: z.string(), request_id: z.string() })
  .catchall(z.unknown())
  .meta({ id: 'LabrouteError' });
