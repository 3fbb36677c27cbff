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
export const LabAccountDelegatedFlow = z.enum(DELEGATED_FLOWS).meta({
  id: 'LabAccountDelegatedFlow',
  // Junction's description, word for word (org-management-api.json, seed 002).
  description:
    'Describes which parts of the lab testing flow are delegated to the customer.\n\n' +
    "- ORDER_DELEGATED: Ordering using client's physicians, critical result follow up via Junction\n" +
    "- RESULT_DELEGATED: Ordering using Junction's Physician Network, critical results handled by client\n" +
    '- FULLY_DELEGATED: Order and critical results handled by client\n' +
    '- NOT_DELEGATED: Junction handles both ordering and results',
});
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

/** A uuid in a response (`format: uuid` in the document; the ids Labroute sends are lower case already). */
export const UuidOut = z.guid();

/**
 * FastAPI's validation error shapes, as Junction's documents declare them (titles included). The 422 bodies
 * Labroute sends (validation-errors.ts) are these: `loc`, `msg`, `type`, and `input`/`ctx` when pydantic has
 * them, plus the top-level `request_id` every error body carries (HTTPValidationError allows extra keys).
 */
export const ValidationError = z
  .object({
    loc: z.array(z.union([z.string(), z.int()])).meta({ title: 'Location' }),
    msg: z.string().meta({ title: 'Message' }),
    type: z.string().meta({ title: 'Error Type' }),
    input: z.unknown().optional().meta({ title: 'Input' }),
    ctx: z.record(z.string(), z.unknown()).optional().meta({ title: 'Context' }),
  })
  .meta({ id: 'ValidationError' });
export const HTTPValidationError = z.object({ detail: z.array(ValidationError).optional() }).meta({ id: 'HTTPValidationError' });

/** Labroute's error body for every non-422 error: the catalogue code (src/domain/errors.ts), its extras, request_id. */
export const ErrorResponse = z.object({ detail: z.string(), code: z.string(), request_id: z.string() }).catchall(z.unknown()).meta({
  id: 'LabrouteError',
  description: '`code` is a stable code of the error catalogue; some codes add fields (e.g. `team_ids`, `status`).',
});
