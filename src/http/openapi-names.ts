// fastify-type-provider-zod emits every registered schema twice — `X` (output) and `XInput` (input) — and
// points request bodies at `XInput`. Junction's documents use the plain names for request bodies
// (LabAccountTeamIdAllowlistUpdateBody, CreateOrderRequestCompatible, …), so the generated document is
// rewritten: `XInput` becomes `X` unless `X` is also used by a response with a different shape, and components
// nothing refers to are dropped.
import { isDeepStrictEqual } from 'node:util';

type Json = unknown;
type Schemas = Record<string, Json>;

function rewriteRefs(node: Json, renames: Map<string, string>): Json {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, renames));
  if (node && typeof node === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/components/schemas/', '');
        out[key] = renames.has(name) ? `#/components/schemas/${renames.get(name)}` : value;
      } else out[key] = rewriteRefs(value, renames);
    }
    return out;
  }
  return node;
}

/** The component names `node` refers to, added to `found`. */
export function refsIn(node: Json, found: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) refsIn(n, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.add(value.replace('#/components/schemas/', ''));
      else refsIn(value, found);
    }
  }
  return found;
}

/** Every component reachable from `roots` through $refs. */
export function closure(roots: Set<string>, schemas: Schemas): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name) || !(name in schemas)) continue;
    seen.add(name);
    for (const ref of refsIn(schemas[name], new Set())) queue.push(ref);
  }
  return seen;
}

/** Output and input JSON schemas differ only in `additionalProperties: false`; compare without it. */
function loosen(node: Json): Json {
  if (Array.isArray(node)) return node.map(loosen);
  if (node && typeof node === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'additionalProperties' && value === false) continue;
      out[key] = loosen(value);
    }
    return out;
  }
  return node;
}

export function useJunctionComponentNames<T extends { paths?: Record<string, Json>; components?: { schemas?: Schemas } }>(document: T): T {
  const schemas = document.components?.schemas;
  if (!schemas || !document.paths) return document;
  const responseRoots = new Set<string>();
  const requestRoots = new Set<string>();
  for (const methods of Object.values(document.paths) as Record<string, Record<string, Json>>[]) {
    for (const op of Object.values(methods)) {
      if (!op || typeof op !== 'object') continue;
      refsIn(op.responses, responseRoots);
      refsIn(op.requestBody, requestRoots);
      refsIn(op.parameters, requestRoots);
    }
  }
  const outputUsed = closure(responseRoots, schemas);
  const renames = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    if (!name.endsWith('Input')) continue;
    const base = name.slice(0, -'Input'.length);
    if (!outputUsed.has(base)) renames.set(name, base);
  }
  // Shapes used on both sides collapse when they are the same once refs agree.
  for (let changed = true; changed; ) {
    changed = false;
    const current = rewriteRefs(schemas, renames) as Schemas;
    for (const name of Object.keys(schemas)) {
      if (!name.endsWith('Input') || renames.has(name)) continue;
      const base = name.slice(0, -'Input'.length);
      if (base in current && isDeepStrictEqual(loosen(current[name]), loosen(current[base]))) {
        renames.set(name, base);
        changed = true;
      }
    }
  }
  const rewritten = rewriteRefs(document, renames) as T;
  const renamedSchemas = rewritten.components!.schemas!;
  const used = new Set<string>();
  for (const methods of Object.values(rewritten.paths!)) refsIn(methods, used);
  const keep = closure(used, Object.fromEntries(Object.entries(renamedSchemas).map(([k, v]) => [k, v])));
  const out: Schemas = {};
  for (const [name, schema] of Object.entries(renamedSchemas)) {
    const target = renames.get(name) ?? name;
    if (!keep.has(target)) continue;
    // A renamed input replaces the unused output shape of the same name; a collapsed one keeps the output's.
    if (renames.has(name) && !outputUsed.has(target)) out[target] = schema;
    else if (!(target in out)) out[target] = schema;
  }
  rewritten.components!.schemas = out;
  return rewritten;
}
