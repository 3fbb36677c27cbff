// The compiled response serializers (fast-json-stringify from the zod schemas) write what JSON.stringify writes:
// for the hot routes' real schemas and every named schema, on representative and generated values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import '../../src/app.js'; // registers every named schema of every module
import { compileResponseSerializer, serializerSchemaOf } from '../../src/http/response-serializer.js';
import { ClientFacingManagementKey } from '../../src/modules/keys/keys.schemas.js';
import {
  GetTeamLabAccountsResponse,
  LabAccountResponse,
  LabAccountsResponse,
} from '../../src/modules/lab-accounts/lab-accounts.schemas.js';
import { ClientFacingOrder, GetOrdersResponse, PostOrderResponse } from '../../src/modules/orders/orders.schemas.js';

type Json = Record<string, any>;

function assertSameJson(schema: z.ZodType, value: unknown, name = ''): void {
  const compiled = compileResponseSerializer(schema)(value);
  assert.deepStrictEqual(JSON.parse(compiled), JSON.parse(JSON.stringify(value)), `${name}: ${compiled.slice(0, 400)}`);
}

const labTest = {
  id: '4a3e6c8e-5c1f-4c3e-9d35-1a7b2c3d4e5f',
  slug: 'cbc',
  name: 'Complete "blood" count\n',
  sample_type: 'serum',
  method: 'walk_in_test',
  price: 12.5,
  is_active: true,
  status: 'active',
  fasting: false,
  lab: {
    id: 7,
    slug: 'quest',
    name: 'Quest',
    first_line_address: '1 Main St',
    city: 'Secaucus',
    zipcode: '07094',
    collection_methods: ['walk_in_test'],
    sample_types: ['serum'],
    logo_url: null,
  },
  markers: [
    {
      id: 1,
      name: 'Hemoglobin',
      slug: 'hgb',
      description: null,
      lab_id: 7,
      provider_id: '718',
      type: 'biomarker',
      unit: 'g/dL',
      price: null,
      aoe: null,
      a_la_carte_enabled: false,
      common_tat_days: null,
      worst_case_tat_days: 3,
      is_orderable: null,
    },
  ],
  is_delegated: false,
  auto_generated: false,
  has_collection_instructions: null,
  common_tat_days: 2,
  worst_case_tat_days: null,
};

const event = { id: 1, created_at: '2026-01-02T03:04:05.678Z', status: 'received.walk_in_test.ordered', status_detail: null };

/** A GET /v3/order/{id} view with every kind of value: nulls, nested nullable objects, records, arrays, unicode. */
const order: ClientFacingOrder = {
  user_id: '0b7d3c1e-2f4a-4b5c-8d9e-0f1a2b3c4d5e',
  id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  team_id: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
  patient_details: {
    first_name: 'Zoë',
    last_name: "O'Neil",
    dob: '1980-01-02T00:00:00+00:00',
    gender: 'female',
    phone_number: null,
    email: 'zoe@example.com',
    medical_proxy: {
      first_name: 'Al',
      last_name: 'Proxy',
      address: { first_line: '1 Main', second_line: null, country: 'US', zip: '90001', city: 'LA', state: 'CA', access_notes: null },
      phone_number: '+15555550100',
      household_income: null,
      household_size: 3,
      email: null,
    },
    race: null,
    ethnicity: 'other',
    sexual_orientation: null,
    gender_identity: null,
  },
  patient_address: {
    receiver_name: '',
    first_line: '1 Main St \u2028 "quoted" \\ back',
    second_line: null,
    city: 'Los Angeles',
    state: 'CA',
    zip: '90001',
    country: 'US',
    access_notes: '😀',
    phone_number: null,
  },
  lab_test: labTest as never,
  details: {
    type: 'walk_in_test',
    data: { id: 'd1', created_at: '2026-01-02T03:04:05.678Z', appointment_id: null, nested: { a: [1, null] } },
  },
  sample_id: null,
  notes: null,
  clinical_notes: 'fasting\tsince 8pm',
  created_at: '2026-01-02T03:04:05.678Z',
  updated_at: '2026-01-02T03:04:05.678Z',
  events: [event, { ...event, id: 2, status_detail: 'sample_hemolyzed' }],
  status: null,
  last_event: event,
  physician: null,
  health_insurance_id: null,
  requisition_form_url: '/v3/order/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f/requisition/pdf',
  priority: false,
  shipping_details: null,
  activate_by: null,
  passthrough: '{"json": "in a string"}',
  billing_type: 'client_bill',
  icd_codes: ['E11.9'],
  has_abn: false,
  interpretation: null,
  has_missing_results: null,
  expected_result_by_date: null,
  worst_case_result_by_date: null,
  origin: 'initial',
  order_transaction: {
    id: 't1',
    status: 'active',
    orders: [
      {
        id: 'o1',
        low_level_status: null,
        low_level_status_created_at: null,
        origin: null,
        parent_id: null,
        created_at: '2026-01-02T03:04:05.678Z',
        updated_at: '2026-01-02T03:04:05.678Z',
      },
    ],
  },
  lab_account_id: '3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b',
  lab_account_resolution: 'only_active',
  lab_tests: [labTest as never],
};

const account = {
  id: '4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c',
  lab: 'quest',
  org_id: null,
  status: 'active',
  delegated_flow: 'not_delegated',
  provider_account_id: 'Q-1',
  account_name: null,
  default_clinical_notes: 'Notes',
  business_units: null,
  allowed_billing: { client_bill: ['CA', 'NY'], patient_bill: [] },
  team_id_allowlist: [],
};

/** Values of a (zod-generated, draft-07) JSON Schema, in every shape it allows; optional fields absent or undefined. */
function valuesOf(schema: Json, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 12) return fc.constant(null);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return fc.oneof(...union.map((s: Json) => valuesOf(s, depth + 1)));
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type: string) => valuesOf({ ...schema, type }, depth + 1)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -(2 ** 40), max: schema.maximum ?? 2 ** 40 });
    case 'number':
      return fc.double({ noNaN: true });
    case 'string':
      return fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '"\\/\n\u2028\u0000', '😀é', '\ud800'));
    case 'array':
      return fc.array(valuesOf(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      const properties = Object.entries<Json>(schema.properties ?? {});
      const required = new Set<string>(schema.required ?? []);
      const known = fc.record(
        Object.fromEntries(
          properties.map(([name, s]) => [
            name,
            required.has(name) ? valuesOf(s, depth + 1) : fc.option(valuesOf(s, depth + 1), { nil: undefined }),
          ]),
        ),
        { requiredKeys: properties.filter(([name]) => required.has(name)).map(([name]) => name) },
      );
      if (schema.additionalProperties === false || (schema.additionalProperties === undefined && properties.length > 0)) return known;
      const keys = Array.isArray(schema.propertyNames?.enum)
        ? fc.constantFrom(...schema.propertyNames.enum)
        : fc.string().map((k) => `x_${k}`);
      const others = fc.dictionary(keys as fc.Arbitrary<string>, valuesOf(schema.additionalProperties ?? {}, depth + 1), { maxKeys: 3 });
      return fc.tuple(others, known).map(([o, k]) => ({ ...o, ...k }));
    }
    default:
      return fc.oneof(fc.jsonValue(), fc.constant(undefined));
  }
}

function documentSchemaOf(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, {
    io: 'output',
    target: 'draft-07',
    unrepresentable: 'any',
    reused: 'inline',
    metadata: z.registry(),
  }) as Json;
}

describe('compiled response serialization', () => {
  it('writes the hot routes’ views as JSON.stringify does (nulls, optional fields, records, unions, unicode)', () => {
    assertSameJson(ClientFacingOrder, order, 'GET /v3/order/{id}');
    assertSameJson(GetOrdersResponse, { orders: Array.from({ length: 50 }, () => order), total: 50, page: 1, size: 50 }, 'GET /v3/orders');
    assertSameJson(PostOrderResponse, { order, status: 'success', message: 'Order created successfully' }, 'POST /v3/order');
    assertSameJson(LabAccountsResponse, { data: [account, { ...account, org_id: account.id, team_id_allowlist: [account.id] }] });
    assertSameJson(GetTeamLabAccountsResponse, { data: [] });
    assertSameJson(LabAccountResponse, { lab_account: null });
    assertSameJson(LabAccountResponse, { lab_account: account });
    // A union of objects (written by JSON.stringify) inside a compiled object.
    const key = {
      id: account.id,
      label: 'ops',
      created_at: '2026-01-02T03:04:05Z',
      creator: { type: 'management_key' },
      role: 'org_admin',
      team_role_bindings: null,
    };
    assertSameJson(ClientFacingManagementKey, key, 'ClientFacingManagementKey');
  });

  it('writes a Date in a string field as its ISO string, and leaves out undefined fields, as JSON.stringify does', () => {
    const schema = z.object({ at: z.string(), note: z.string().optional(), extra: z.record(z.string(), z.unknown()) });
    assertSameJson(schema, { at: new Date('2026-01-02T03:04:05.678Z'), note: undefined, extra: { a: undefined, b: new Date(0) } });
  });

  it('leaves to JSON.stringify what it cannot compile faithfully (unions of objects, transforms, any, recursion)', () => {
    assert.deepEqual(serializerSchemaOf(z.union([z.object({ a: z.string() }), z.object({ b: z.int() })])), {});
    assert.deepEqual(serializerSchemaOf(z.string().transform((s) => s.length)), {});
    assert.deepEqual(serializerSchemaOf(z.any()), {});
    const Node: z.ZodType = z.object({
      name: z.string(),
      get children() {
        return z.array(Node);
      },
    });
    assertSameJson(Node, { name: 'a', children: [{ name: 'b', children: [] }] });
    // A compiled object keeps its own fields compiled around such a part.
    assert.equal(serializerSchemaOf(z.object({ n: z.int(), u: z.unknown() })).type, 'object');
  });

  it('agrees with JSON.stringify on generated values of every named schema', () => {
    const named = [...(z.globalRegistry as unknown as { _idmap: Map<string, z.ZodType> })._idmap.entries()];
    assert.ok(named.length >= 60, String(named.length));
    for (const [name, schema] of named) {
      fc.assert(
        fc.property(valuesOf(documentSchemaOf(schema)), (value) => assertSameJson(schema, value, name)),
        { numRuns: name === 'ClientFacingOrder' || name.endsWith('Response') ? 60 : 25 },
      );
    }
  });
});
