// Validates our responses against Junction's own published component schemas (vendored, prose stripped,
// in test/fixtures/junction/ by scripts/vendor-junction-schemas.mjs), so wire compatibility is checked
// against Junction's documents rather than against our own idea of them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type DocumentName = 'org-management' | 'junction';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const validators = new Map<string, ValidateFunction>();
const ajvByDocument = new Map<DocumentName, Ajv2020>();

function ajvFor(document: DocumentName): Ajv2020 {
  let ajv = ajvByDocument.get(document);
  if (ajv) return ajv;
  const file = new URL(`../fixtures/junction/${document}.json`, import.meta.url);
  const { schemas } = JSON.parse(readFileSync(file, 'utf8')) as { schemas: Record<string, unknown> };
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Junction marks enums non-exhaustive in prose only; the schemas are what we check.
  ajv.addSchema({ $id: 'junction', components: { schemas } });
  ajvByDocument.set(document, ajv);
  return ajv;
}

/** Asserts that `value` is valid against Junction's component `schemaName` in `document`. */
export function assertJunctionSchema(document: DocumentName, schemaName: string, value: unknown): void {
  const key = `${document}:${schemaName}`;
  let validate = validators.get(key);
  if (!validate) {
    const ajv = ajvFor(document);
    validate = ajv.compile({ $ref: `junction#/components/schemas/${schemaName}` });
    validators.set(key, validate);
  }
  const ok = validate(value);
  assert.ok(
    ok,
    `${schemaName} (${document}) mismatch: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}\nvalue: ${JSON.stringify(value).slice(0, 800)}`,
  );
}
