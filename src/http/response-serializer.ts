// Response serialization. Production writes each success body with fast-json-stringify, compiled once per
// response schema from the JSON Schema zod generates for it (output side): the view objects the use cases build
// are written field by field instead of walked by JSON.stringify. Tests run in strict mode: every response is
// also encoded with its zod schema, and the zod encoding, the plain JSON.stringify and the compiled output must
// all say the same, so an off-contract field — missing, extra or mistyped — or a compiler slip fails loudly.
import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { createSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Json = Record<string, unknown>;
type Serialize = (data: unknown) => string;

const plain: Serialize = (data) => JSON.stringify(data);
const zodSerializer = createSerializerCompiler({});

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNullSchema = (s: unknown): boolean => isObject(s) && s.type === 'null' && Object.keys(s).length === 1;

/**
 * One node of zod's JSON Schema, kept to what decides how a value is written: `type`, `properties`, `items`,
 * `additionalProperties`, `nullable` (fast-json-stringify's own). Validation keywords go (`required`, `enum`,
 * `const`, `format`, `default`…: fast-json-stringify would act on them — insist on required fields, write the
 * const or the default instead of the value, reformat dates — where JSON.stringify writes what is there).
 * `{}` means "this value is written by JSON.stringify": unions other than `X | null` (fast-json-stringify picks a
 * branch by validating at run time), intersections, tuples, `never`, refs (recursive schemas), and whatever zod
 * cannot represent (transforms, z.any, z.custom, dates) — so those parts are as faithful as JSON.stringify.
 */
function forSerializer(node: unknown): Json {
  if (!isObject(node)) return {};
  const union = node.anyOf ?? node.oneOf;
  if (Array.isArray(union)) {
    const others = union.filter((s) => !isNullSchema(s));
    if (others.length !== 1 || others.length === union.length) return {};
    const inner = forSerializer(others[0]);
    return Object.keys(inner).length === 0 ? {} : { ...inner, nullable: true };
  }
  if (node.allOf || node.not || node.if || node.$ref || node.prefixItems || Array.isArray(node.items)) return {};
  let type = node.type;
  let nullable = false;
  if (Array.isArray(type)) {
    const others = type.filter((t) => t !== 'null');
    if (others.length !== 1) return {};
    nullable = others.length < type.length;
    type = others[0];
  }
  let out: Json;
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      out = { type };
      break;
    case 'array': {
      const items = forSerializer(node.items);
      // fast-json-stringify writes an `undefined` item as `undefined`; JSON.stringify as null.
      if (Object.keys(items).length === 0) return {};
      out = { type, items };
      break;
    }
    case 'object': {
      const properties = isObject(node.properties) ? node.properties : {};
      out = {
        type,
        properties: Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, forSerializer(schema)])),
        // zod's output objects say `false` (the contract's fields only; strict mode proves views carry no others);
        // records and loose objects give the schema of their other keys; unspecified means any.
        additionalProperties: node.additionalProperties === false ? false : forSerializer(node.additionalProperties),
      };
      break;
    }
    default:
      return {};
  }
  if (nullable) out.nullable = true;
  return out;
}

/** The fast-json-stringify schema for a zod response schema (`{}`: written by JSON.stringify). */
export function serializerSchemaOf(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, {
    io: 'output',
    target: 'draft-07',
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    // No registry: named components are inlined (refs would only cost a lookup).
    metadata: z.registry(),
  });
  return forSerializer(json);
}

const compiled = new WeakMap<z.ZodType, Serialize>();

/** The compiled serializer of a zod response schema (one per schema, shared by every route that sends it). */
export function compileResponseSerializer(schema: z.ZodType): Serialize {
  let serialize = compiled.get(schema);
  if (!serialize) {
    const json = serializerSchemaOf(schema);
    serialize = Object.keys(json).length === 0 ? plain : (fastJson(json as never) as Serialize);
    compiled.set(schema, serialize);
  }
  return serialize;
}

interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpStatus?: string;
  contentType?: string;
}

/** Error bodies are rendered and serialized by error-handler.ts; other media types (PDF buffers) are sent as they are. */
function isSuccessJson(route: RouteSchema): boolean {
  return !/^[45]/.test(route.httpStatus ?? '') && (route.contentType === undefined || route.contentType.includes('json'));
}

/** The production serializer of a route's response: compiled on first use, so start-up does not pay for routes never called. */
function serializerFor(route: RouteSchema): Serialize {
  const schema = route.schema;
  if (!isSuccessJson(route) || !(schema instanceof z.ZodType)) return plain;
  let serialize: Serialize | undefined;
  return (data) => {
    serialize ??= compileResponseSerializer(schema);
    return serialize(data);
  };
}

export function responseSerializerCompiler(strict: boolean): FastifySerializerCompiler<unknown> {
  if (!strict) return (route) => serializerFor(route as RouteSchema);
  return (route) => {
    const { method, url } = route;
    const encode = zodSerializer(route as never);
    const fast = serializerFor(route as RouteSchema);
    return (data) => {
      const encoded = encode(data);
      const text = JSON.stringify(data);
      const expected = JSON.parse(text);
      if (!isDeepStrictEqual(JSON.parse(encoded), expected)) {
        throw new Error(`${method} ${url}: response has fields outside its schema: ${text.slice(0, 300)}`);
      }
      const written = fast(data);
      if (!isDeepStrictEqual(JSON.parse(written), expected)) {
        throw new Error(`${method} ${url}: the compiled serializer wrote ${written.slice(0, 300)} for ${text.slice(0, 300)}`);
      }
      return written;
    };
  };
}
