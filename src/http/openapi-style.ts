// Writes the generated document the way FastAPI (and so Junction's documents) writes schemas, so operations
// Labroute shares with Junction read the same: titles from names, `anyOf [X, null]` for nullables, no zod-only
// artefacts (uuid patterns, safe-integer bounds, `default: null`, trivial `propertyNames`/`additionalProperties`,
// the `additionalProperties: false` zod's output mode puts on every response object), "Successful Response" for
// 2xx. Shapes do not change meaning; parameters marked `undocumented` are left out.
import type { z } from 'zod';
import { closure, refsIn } from './openapi-names.js';

type Json = Record<string, unknown>;

/** Marks a request part (a header, say) that is validated but not documented (a Labroute extension on an operation
 * whose parameters must equal Junction's). */
const UNDOCUMENTED = 'x-labroute-undocumented';

export function undocumented<T extends z.ZodType>(schema: T): T {
  return schema.meta({ [UNDOCUMENTED]: true }) as T;
}

/** Keywords that describe a schema rather than constrain its value: they stay outside an `anyOf`. */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly']);

/** Python's `str.title()` on a field name, then `_` → space: pydantic's default title (`org_id` → `Org Id`). */
export function titleOf(name: string): string {
  let out = '';
  let afterLetter = false;
  for (const ch of name) {
    const letter = ch.toLowerCase() !== ch.toUpperCase();
    out += letter ? (afterLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    afterLetter = letter;
  }
  return out.replaceAll('_', ' ');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** pydantic gives no title to a field that is a model (a `$ref`) or an optional model. */
function isModelField(schema: Json): boolean {
  if (typeof schema.$ref === 'string') return true;
  const anyOf = schema.anyOf;
  return (
    Array.isArray(anyOf) &&
    anyOf.some((s) => isObject(s) && typeof s.$ref === 'string') &&
    anyOf.every((s) => isObject(s) && (typeof s.$ref === 'string' || s.type === 'null'))
  );
}

/**
 * One schema node, rewritten in place (children first). `response`: the node is only ever sent, never received,
 * so zod's `additionalProperties: false` (output mode) says nothing a client needs; request bodies keep theirs
 * (a strict body refuses extra keys with 422).
 */
function styleSchema(schema: unknown, response: boolean): void {
  if (!isObject(schema)) return;
  for (const key of ['items', 'additionalProperties', 'not', 'propertyNames', 'contains']) styleSchema(schema[key], response);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    if (Array.isArray(schema[key])) for (const s of schema[key]) styleSchema(s, response);
  }
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  if (properties) for (const property of Object.values(properties)) styleSchema(property, response);
  if (response && schema.additionalProperties === false) delete schema.additionalProperties;

  // `type: [T, 'null']` → `anyOf: [{type: T, …}, {type: 'null'}]`, annotations outside.
  if (Array.isArray(schema.type) && schema.type.length === 2 && schema.type.includes('null')) {
    const branch: Json = { type: schema.type.find((t) => t !== 'null') };
    for (const key of Object.keys(schema)) {
      if (key === 'type' || ANNOTATIONS.has(key)) continue;
      branch[key] = schema[key];
      delete schema[key];
    }
    delete schema.type;
    schema.anyOf = [branch, { type: 'null' }];
  }
  // zod writes its uuid regex next to `format: uuid`, and the safe-integer range on every z.int().
  if (schema.format === 'uuid') delete schema.pattern;
  if (schema.type === 'integer') {
    if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
    if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  }
  if (isObject(schema.propertyNames) && Object.keys(schema.propertyNames).length === 1 && schema.propertyNames.type === 'string') {
    delete schema.propertyNames;
  }
  if (isObject(schema.additionalProperties) && Object.keys(schema.additionalProperties).length === 0) delete schema.additionalProperties;

  if (properties) {
    // A field with a default is not required (pydantic); Junction's documents never show `default: null`.
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : undefined;
    for (const [name, property] of Object.entries(properties)) {
      if (!isObject(property)) continue;
      if ('default' in property && required?.includes(name)) required.splice(required.indexOf(name), 1);
      if (property.default === null) delete property.default;
      if (property.title === undefined && !isModelField(property)) property.title = titleOf(name);
    }
    if (required && required.length === 0) delete schema.required;
  }
}

interface Parameter {
  name: string;
  schema?: Json;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

function styleOperation(op: Operation): void {
  if (op.parameters) {
    op.parameters = op.parameters.filter((p) => p.schema?.[UNDOCUMENTED] !== true);
    for (const p of op.parameters) {
      if (!p.schema) continue;
      styleSchema(p.schema, false);
      if (p.schema.title === undefined && !isModelField(p.schema)) p.schema.title = titleOf(p.name);
    }
    if (op.parameters.length === 0) delete op.parameters;
  }
  for (const media of Object.values(op.requestBody?.content ?? {})) styleSchema(media.schema, false);
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (/^2/.test(status) && response.description === 'Default Response') response.description = 'Successful Response';
    for (const media of Object.values(response.content ?? {})) styleSchema(media.schema, true);
  }
}

/** Rewrites `document` in FastAPI's style (see the header). Components get their name as title. */
export function useFastApiStyle<T extends { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } }>(
  document: T,
): T {
  const doc = structuredClone(document);
  const schemas = doc.components?.schemas ?? {};
  const requestRoots = new Set<string>();
  const responseRoots = new Set<string>();
  for (const methods of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(isObject(methods) ? methods : {})) {
      if (!isObject(op)) continue;
      refsIn(op.requestBody, requestRoots);
      refsIn(op.parameters, requestRoots);
      refsIn(op.responses, responseRoots);
    }
  }
  const received = closure(requestRoots, schemas);
  const sent = closure(responseRoots, schemas);
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema)) continue;
    styleSchema(schema, sent.has(name) && !received.has(name));
    if (schema.title === undefined) schema.title = name;
  }
  for (const methods of Object.values(doc.paths ?? {})) {
    if (!isObject(methods)) continue;
    for (const op of Object.values(methods)) if (isObject(op)) styleOperation(op as Operation);
  }
  return doc;
}
