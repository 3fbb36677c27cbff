// The served /openapi.json as a contract: the PATCH of Update Lab Account Teams equals Junction's seed 002, every
// operation declares its error responses in the catalogue's shapes, and real error answers validate against them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;
interface Seed {
  path: string;
  method: string;
  operation: Json;
  schemas: Record<string, Json>;
}

const seed = JSON.parse(
  readFileSync(new URL('../fixtures/junction/seed-002-update-lab-account-teams.json', import.meta.url), 'utf8'),
) as Seed;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const REF = '#/components/schemas/';
/** Success descriptions Junction's document words itself (junction-api.json). */
const OWN_SUCCESS_DESCRIPTIONS: Record<string, string> = {
  get_lab_test_result_v3_order__order_id__result_pdf_get: 'PDF with results',
  get_order_requisition_url_v3_order__order_id__requisition_pdf_get: 'PDF with requisition form',
};

function refsOf(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) refsOf(n, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.add(value.slice(REF.length));
      else refsOf(value, found);
    }
  }
  return found;
}

describe('OpenAPI contract', () => {
  let t: TestApp;
  let doc: Json;
  let ajv: Ajv2020;
  const operations: { path: string; method: string; op: Json }[] = [];

  before(async () => {
    t = await createTestApp();
    doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const method of METHODS) if (item[method]) operations.push({ path, method, op: item[method] });
    }
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'served', components: { schemas: doc.components.schemas } });
  });
  after(async () => t.close());

  /** Asserts `res` has a status the operation declares, with a body valid against the declared schema. */
  function assertDeclared(path: string, method: string, res: { statusCode: number; body: string }): void {
    const op = doc.paths[path][method];
    const declared = op.responses[String(res.statusCode)];
    assert.ok(declared, `${method.toUpperCase()} ${path} answered ${res.statusCode}, which it does not declare: ${res.body.slice(0, 200)}`);
    const schema = JSON.parse(JSON.stringify(declared.content['application/json'].schema).replaceAll(`"${REF}`, `"served${REF}`));
    const validate = ajv.compile(schema);
    assert.ok(
      validate(JSON.parse(res.body)),
      `${method.toUpperCase()} ${path} ${res.statusCode}: ${JSON.stringify(validate.errors?.slice(0, 3))} ${res.body.slice(0, 300)}`,
    );
  }

  it("the PATCH of Update Lab Account Teams equals Junction's seed 002", () => {
    const served = doc.paths[seed.path]?.[seed.method];
    assert.ok(served, `${seed.method} ${seed.path} is not served`);
    assert.equal(served.operationId, seed.operation.operationId);
    assert.deepEqual(served.parameters, seed.operation.parameters);
    assert.deepEqual(served.requestBody, seed.operation.requestBody);
    assert.deepEqual(served.responses['200'], seed.operation.responses['200']);
    assert.deepEqual(served.responses['422'], seed.operation.responses['422']);
    // Every component those parts reach, as the seed writes it. The seed's page predates `mtl`; Junction's
    // current document and SPEC.md (“Labs has 15 values including mtl”) have it.
    const parts = [seed.operation.parameters, seed.operation.requestBody, seed.operation.responses];
    const reached = new Set<string>();
    for (let queue = [...refsOf(parts)]; queue.length > 0; ) {
      const name = queue.pop()!;
      if (reached.has(name) || !seed.schemas[name]) continue;
      reached.add(name);
      queue.push(...refsOf(seed.schemas[name]));
    }
    assert.ok(reached.size >= 9, [...reached].join());
    for (const name of reached) {
      const expected = name === 'Labs' ? { ...seed.schemas.Labs, enum: [...seed.schemas.Labs.enum, 'mtl'] } : (seed.schemas[name] as Json);
      assert.deepEqual(doc.components.schemas[name], expected, name);
    }
  });

  it('every operation declares its error responses: 401, 404 on path ids, 413 and 422 on input, 503', () => {
    assert.ok(operations.length >= 50, String(operations.length));
    for (const { path, method, op } of operations) {
      const name = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses);
      const hasInput = (op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined;
      assert.equal(statuses.includes('422'), hasInput, `${name}: 422 is declared exactly when input is validated`);
      assert.equal(statuses.includes('413'), op.requestBody !== undefined, `${name}: 413 is declared exactly when a body is read`);
      if (path.includes('{')) assert.ok(statuses.includes('404'), `${name}: a path id is looked up, so 404`);
      // Every documented operation is authenticated (the public routes are hidden).
      assert.ok(statuses.includes('401'), `${name}: 401`);
      assert.ok(statuses.includes('503'), `${name}: 503 (load shedding)`);
      // FastAPI's wording, or Junction's own where its document has one (the PDF answers).
      const success = OWN_SUCCESS_DESCRIPTIONS[op.operationId] ?? 'Successful Response';
      assert.ok(
        statuses.some((s) => /^2/.test(s) && op.responses[s].description === success),
        `${name}: "${success}"`,
      );
    }
  });

  it('every declared error is the catalogue shape, HTTPValidationError for 422 (or a Junction body of that status)', () => {
    assert.deepEqual(doc.components.schemas.LabrouteError.required, ['detail', 'code', 'request_id']);
    for (const field of ['detail', 'code', 'request_id']) {
      assert.equal(doc.components.schemas.LabrouteError.properties[field].type, 'string', field);
    }
    const junctionBodies: Record<string, string> = {
      'post /v1/org/{org_id}/team 409': 'IntegrationTeamIDConflictResponse',
      'patch /v1/org/{org_id}/team/{team_id} 409': 'IntegrationTeamIDConflictResponse',
      'post /v2/user 400': 'ClientUserIDConflictResponse',
    };
    for (const { path, method, op } of operations) {
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        if (Number(status) < 400) continue;
        const where = `${method} ${path} ${status}`;
        const schema = response.content?.['application/json']?.schema;
        if (status === '422') {
          assert.deepEqual(schema, { $ref: `${REF}HTTPValidationError` }, where);
          assert.equal(response.description, 'Validation Error', where);
          continue;
        }
        const junction = junctionBodies[where];
        const expected = junction
          ? { anyOf: [{ $ref: `${REF}${junction}` }, { $ref: `${REF}LabrouteError` }] }
          : { $ref: `${REF}LabrouteError` };
        assert.deepEqual(schema, expected, where);
        assert.ok(response.description && response.description !== 'Default Response', where);
      }
    }
  });

  /** `path` with its parameters filled in: an enum's first value, `values[name]` or a fresh uuid. */
  function urlOf(path: string, op: Json, values: Record<string, string> = {}): string {
    let url = path;
    for (const p of op.parameters ?? []) {
      if (p.in !== 'path') continue;
      const schema = p.schema.$ref ? doc.components.schemas[p.schema.$ref.slice(REF.length)] : p.schema;
      url = url.replace(`{${p.name}}`, values[p.name] ?? schema.enum?.[0] ?? crypto.randomUUID());
    }
    return url;
  }

  it('every operation answers 401 without a key, in its declared shape', async () => {
    for (const { path, method, op } of operations) {
      const url = urlOf(path, op);
      const res = await t.request({ method: method.toUpperCase() as 'GET', url });
      assert.equal(res.statusCode, 401, `${method} ${url}: ${res.body.slice(0, 200)}`);
      assert.equal(res.json().code, 'unauthorized');
      assertDeclared(path, method, res);
    }
  });

  it('an operation that refuses a team_admin key with 403 declares 403', async () => {
    const org = await seedOrg(t.database.db);
    const team = await seedTeam(t.database.db, org.id);
    const teamAdmin = { 'x-management-key': (await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id])).key };
    let refused = 0;
    for (const { path, method, op } of operations) {
      if (!op.security?.some((s: Json) => 'ManagementKey' in s)) continue;
      const url = urlOf(path, op, { org_id: org.id, team_id: team.id });
      const res = await t.request({ method: method.toUpperCase() as 'GET', url, headers: teamAdmin });
      if (res.statusCode !== 403) continue;
      refused += 1;
      assertDeclared(path, method, res);
    }
    assert.ok(refused >= 9, `only ${refused} operations refused a team_admin key`);
  });

  it('real 400, 403, 404, 409, 412, 413 and 422 answers validate against the declared schemas', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const other = await seedOrg(db);
    const team = await seedTeam(db, org.id, { region: 'us' });
    const foreignTeam = await seedTeam(db, other.id, { region: 'us' });
    const admin = { 'x-management-key': (await seedManagementKey(db, org.id, 'org_admin')).key };
    const teamAdmin = { 'x-management-key': (await seedManagementKey(db, org.id, 'team_admin', [team.id])).key };
    const teamKey = { 'x-vital-api-key': (await seedTeamKey(db, team, 'sandbox')).key };
    const created = await t.request({
      method: 'POST',
      url: '/operator/v1/lab_accounts',
      headers: { 'x-operator-key': t.operatorKey },
      payload: {
        org_id: org.id,
        env: 'sandbox',
        region: 'us',
        lab: 'quest',
        status: 'active',
        delegated_flow: 'not_delegated',
        provider_account_id: `Q-${crypto.randomUUID().slice(0, 8)}`,
        allowed_billing: { client_bill: ['CA'] },
        team_id_allowlist: [team.id],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const accountPath = '/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}';
    const accountUrl = `/v1/org/${org.id}/lab_account/sandbox/us/${created.json().id}`;
    const patch = (headers: Record<string, string>, payload: unknown) =>
      t.request({
        method: 'PATCH',
        url: accountUrl,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: payload as never,
      });

    const cases: { path: string; method: string; status: number; res: Awaited<ReturnType<TestApp['request']>> }[] = [
      { path: accountPath, method: 'patch', status: 403, res: await patch(teamAdmin, { team_id_allowlist: [] }) },
      { path: accountPath, method: 'patch', status: 400, res: await patch(admin, { team_id_allowlist: [foreignTeam.id] }) },
      { path: accountPath, method: 'patch', status: 412, res: await patch({ ...admin, 'if-match': '"stale"' }, { team_id_allowlist: [] }) },
      { path: accountPath, method: 'patch', status: 422, res: await patch(admin, { team_id_allowlist: ['not-a-uuid'], extra: 1 }) },
      { path: accountPath, method: 'patch', status: 422, res: await patch(admin, '{"team_id_allowlist": [') },
      {
        path: accountPath,
        method: 'patch',
        status: 413,
        res: await patch(admin, JSON.stringify({ team_id_allowlist: [], pad: 'x'.repeat(1024 * 1024) })),
      },
      {
        path: accountPath,
        method: 'patch',
        status: 404,
        res: await t.request({
          method: 'PATCH',
          url: `/v1/org/${other.id}/lab_account/sandbox/us/${crypto.randomUUID()}`,
          headers: admin,
          payload: { team_id_allowlist: [] },
        }),
      },
      {
        path: '/v3/order/{order_id}',
        method: 'get',
        status: 404,
        res: await t.request({ method: 'GET', url: `/v3/order/${crypto.randomUUID()}`, headers: teamKey }),
      },
      {
        path: '/v3/order/{order_id}',
        method: 'get',
        status: 422,
        res: await t.request({ method: 'GET', url: '/v3/order/nope', headers: teamKey }),
      },
      {
        path: '/v3/orders',
        method: 'get',
        status: 422,
        res: await t.request({ method: 'GET', url: '/v3/orders?page=0&size=x&status=nope', headers: teamKey }),
      },
      {
        path: '/v3/order',
        method: 'post',
        status: 422,
        res: await t.request({ method: 'POST', url: '/v3/order', headers: teamKey, payload: { user_id: 'x', patient_details: {} } }),
      },
      {
        path: '/v3/lab_test/lab_account',
        method: 'get',
        status: 422,
        res: await t.request({ method: 'GET', url: '/v3/lab_test/lab_account?status=unknown', headers: teamKey }),
      },
    ];
    const integration = `ext-${crypto.randomUUID()}`;
    const newTeam = (payload: Json) => t.request({ method: 'POST', url: `/v1/org/${org.id}/team`, headers: admin, payload });
    assert.equal((await newTeam({ name: 'First', region: 'us', integration_team_id: integration })).statusCode, 200);
    cases.push({
      path: '/v1/org/{org_id}/team',
      method: 'post',
      status: 409,
      res: await newTeam({ name: 'Second', region: 'us', integration_team_id: integration }),
    });
    const newUser = () => t.request({ method: 'POST', url: '/v2/user', headers: teamKey, payload: { client_user_id: 'same-user' } });
    assert.equal((await newUser()).statusCode, 200);
    cases.push({ path: '/v2/user', method: 'post', status: 400, res: await newUser() });

    for (const { path, method, status, res } of cases) {
      assert.equal(res.statusCode, status, `${method} ${path}: ${res.body.slice(0, 300)}`);
      assertDeclared(path, method, res);
    }
    // The 422 bodies are FastAPI's, field for field: every item has loc/msg/type and nothing outside ValidationError.
    for (const { status, res } of cases.filter((c) => c.status === 422)) {
      assert.equal(status, 422);
      for (const item of res.json().detail) {
        assert.deepEqual(
          Object.keys(item).filter((k) => !['loc', 'msg', 'type', 'input', 'ctx'].includes(k)),
          [],
          JSON.stringify(item),
        );
      }
    }
  });
});
