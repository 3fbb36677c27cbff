// Operator API for orgs and their first management keys, and the Management API's own-org routes
// (`GET/PATCH /v1/org/{org_id}`): allowed and denied paths, validated against Junction's schemas.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('operator: orgs and management keys', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const op = () => ({ 'x-operator-key': t.operatorKey });

  async function auditRows(subjectId: string) {
    return t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', subjectId).orderBy('seq').execute();
  }

  it('POST /operator/v1/orgs creates an org (201 {id, name}) and audits it', async () => {
    const res = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(), payload: { name: 'Acme Health' } });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['id', 'name']);
    assert.equal(body.name, 'Acme Health');
    assert.match(body.id, /^[0-9a-f-]{36}$/);
    const stored = await t.database.db.selectFrom('orgs').selectAll().where('id', '=', body.id).executeTakeFirst();
    assert.equal(stored?.name, 'Acme Health');
    const audit = await auditRows(body.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].action, 'org.created');
    assert.equal(audit[0].actor_kind, 'operator');
    assert.deepEqual(audit[0].after, { id: body.id, name: 'Acme Health' });
  });

  it('POST /operator/v1/orgs refuses missing, unknown and wrong-kind keys with 401', async () => {
    const org = await seedOrg(t.database.db);
    const team = await seedTeam(t.database.db, org.id);
    const mg = await seedManagementKey(t.database.db, org.id);
    const tk = await seedTeamKey(t.database.db, team);
    for (const headers of [{}, { 'x-operator-key': 'op_wrong' }, { 'x-management-key': mg.key }, { 'x-vital-api-key': tk.key }]) {
      const res = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers, payload: { name: 'X' } });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.json().code, 'unauthorized');
    }
    // 401 comes before 422: a bad body with no key is still 401.
    const res = await t.request({ method: 'POST', url: '/operator/v1/orgs', payload: { nope: 1 } });
    assert.equal(res.statusCode, 401);
  });

  it('POST /operator/v1/orgs validates the body (422 with precise loc)', async () => {
    const missing = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(), payload: {} });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail, [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: null }]);

    const pattern = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(), payload: { name: 'bad<name>' } });
    assert.equal(pattern.statusCode, 422);
    assert.equal(pattern.json().detail[0].type, 'string_pattern_mismatch');
    assert.deepEqual(pattern.json().detail[0].loc, ['body', 'name']);

    const empty = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(), payload: { name: '' } });
    assert.equal(empty.statusCode, 422);
    assert.equal(empty.json().detail[0].type, 'string_too_short');

    const notString = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op(), payload: { name: 5 } });
    assert.equal(notString.json().detail[0].type, 'string_type');

    const noBody = await t.request({ method: 'POST', url: '/operator/v1/orgs', headers: op() });
    assert.equal(noBody.statusCode, 422);
    assert.deepEqual(noBody.json().detail[0].loc, ['body']);

    const badJson = await t.request({
      method: 'POST',
      url: '/operator/v1/orgs',
      headers: { ...op(), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.equal(badJson.statusCode, 422);
    assert.equal(badJson.json().detail[0].type, 'json_invalid');
  });

  it('POST /operator/v1/orgs/{org_id}/management_keys mints an org_admin key shown once (201)', async () => {
    const org = await seedOrg(t.database.db);
    const res = await t.request({
      method: 'POST',
      url: `/operator/v1/orgs/${org.id}/management_keys`,
      headers: op(),
      payload: { label: 'first admin', role: 'org_admin' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assertJunctionSchema('org-management', 'ClientFacingManagementKeyUnhashed', body);
    assert.match(body.key, /^mg_[0-9A-Za-z]{55}$/);
    assert.equal(body.role, 'org_admin');
    assert.equal(body.label, 'first admin');
    assert.equal(body.team_role_bindings, null);
    assert.deepEqual(body.creator, { type: 'vital_staff' });

    // The secret is stored only hashed.
    const row = await t.database.db.selectFrom('management_keys').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(body.key.slice(15)));

    // The key works on the Management API right away.
    const whoami = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-management-key': body.key } });
    assert.equal(whoami.json().kind, 'management');
    assert.equal(whoami.json().org_id, org.id);
    assert.equal(whoami.json().role, 'org_admin');

    const audit = await auditRows(body.id);
    assert.equal(audit[0].action, 'management_key.created');
    assert.equal(audit[0].actor_kind, 'operator');
    assert.ok(!JSON.stringify(audit[0].after).includes(body.key), 'the secret is not audited');
  });

  it('POST …/management_keys creates team_admin keys bound to teams of that org', async () => {
    const org = await seedOrg(t.database.db);
    const a = await seedTeam(t.database.db, org.id);
    const b = await seedTeam(t.database.db, org.id, { region: 'eu' });
    const res = await t.request({
      method: 'POST',
      url: `/operator/v1/orgs/${org.id}/management_keys`,
      headers: op(),
      payload: { label: 'team admin', role: 'team_admin', team_role_bindings: [{ team_id: a.id }, { team_id: b.id }, { team_id: a.id }] },
    });
    assert.equal(res.statusCode, 201);
    assertJunctionSchema('org-management', 'ClientFacingManagementKeyUnhashed', res.json());
    assert.deepEqual(res.json().team_role_bindings, [{ team_id: a.id }, { team_id: b.id }]);
    const whoami = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-management-key': res.json().key } });
    assert.equal(whoami.json().role, 'team_admin');
    assert.deepEqual(whoami.json().team_role_bindings, [{ team_id: a.id }, { team_id: b.id }]);
  });

  it('POST …/management_keys answers 400 teams_not_in_org for bindings outside the org, writing nothing', async () => {
    const org = await seedOrg(t.database.db);
    const other = await seedOrg(t.database.db);
    const mine = await seedTeam(t.database.db, org.id);
    const foreign = await seedTeam(t.database.db, other.id);
    const ghost = randomUUID();
    const before = await t.database.db.selectFrom('management_keys').select('id').where('org_id', '=', org.id).execute();
    const res = await t.request({
      method: 'POST',
      url: `/operator/v1/orgs/${org.id}/management_keys`,
      headers: op(),
      payload: { label: 'x', role: 'team_admin', team_role_bindings: [{ team_id: mine.id }, { team_id: foreign.id }, { team_id: ghost }] },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'teams_not_in_org');
    assert.deepEqual(res.json().team_ids.sort(), [foreign.id, ghost].sort());
    const afterRows = await t.database.db.selectFrom('management_keys').select('id').where('org_id', '=', org.id).execute();
    assert.equal(afterRows.length, before.length);
  });

  it('POST …/management_keys: unknown org 404, malformed ids and enums 422, wrong keys 401', async () => {
    const unknown = await t.request({
      method: 'POST',
      url: `/operator/v1/orgs/${randomUUID()}/management_keys`,
      headers: op(),
      payload: { label: 'x', role: 'org_admin' },
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'not_found');

    const badId = await t.request({
      method: 'POST',
      url: '/operator/v1/orgs/not-a-uuid/management_keys',
      headers: op(),
      payload: { label: 'x', role: 'org_admin' },
    });
    assert.equal(badId.statusCode, 422);
    assert.equal(badId.json().detail[0].type, 'uuid_parsing');
    assert.deepEqual(badId.json().detail[0].loc, ['path', 'org_id']);

    const org = await seedOrg(t.database.db);
    const badRole = await t.request({
      method: 'POST',
      url: `/operator/v1/orgs/${org.id}/management_keys`,
      headers: op(),
      payload: { label: 'x', role: 'owner' },
    });
    assert.equal(badRole.statusCode, 422);
    assert.deepEqual(badRole.json().detail[0].loc, ['body', 'role']);
    assert.equal(badRole.json().detail[0].type, 'enum');

    const badBinding = await t.request({
      method: 'POST',
      url: `/operator/v1/orgs/${org.id}/management_keys`,
      headers: op(),
      payload: { label: 'x', role: 'team_admin', team_role_bindings: [{ team_id: 'nope' }] },
    });
    assert.equal(badBinding.statusCode, 422);
    assert.deepEqual(badBinding.json().detail[0].loc, ['body', 'team_role_bindings', 0, 'team_id']);

    const mg = await seedManagementKey(t.database.db, org.id);
    const wrongKind = await t.request({
      method: 'POST',
      url: `/operator/v1/orgs/${org.id}/management_keys`,
      headers: { 'x-management-key': mg.key },
      payload: { label: 'x', role: 'org_admin' },
    });
    assert.equal(wrongKind.statusCode, 401);
  });
});

describe('management API: GET/PATCH /v1/org/{org_id}', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('GET answers ClientFacingOrg for org_admin and team_admin keys of the org', async () => {
    const org = await seedOrg(t.database.db, 'Org Reader');
    const team = await seedTeam(t.database.db, org.id);
    for (const key of [
      await seedManagementKey(t.database.db, org.id),
      await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]),
    ]) {
      const res = await t.request({ method: 'GET', url: `/v1/org/${org.id}`, headers: { 'X-Management-Key': key.key } });
      assert.equal(res.statusCode, 200);
      assertJunctionSchema('org-management', 'ClientFacingOrg', res.json());
      assert.deepEqual(res.json(), { id: org.id, name: 'Org Reader', expires_at: null });
    }
    // X-Vital-Org-Key is accepted as an alias.
    const mg = await seedManagementKey(t.database.db, org.id);
    const alias = await t.request({ method: 'GET', url: `/v1/org/${org.id}`, headers: { 'X-Vital-Org-Key': mg.key } });
    assert.equal(alias.statusCode, 200);
  });

  it('GET: another org is 404, wrong or missing keys 401, malformed org_id 422', async () => {
    const org = await seedOrg(t.database.db);
    const other = await seedOrg(t.database.db);
    const team = await seedTeam(t.database.db, org.id);
    const mg = await seedManagementKey(t.database.db, org.id);
    const tk = await seedTeamKey(t.database.db, team);

    const foreign = await t.request({ method: 'GET', url: `/v1/org/${other.id}`, headers: { 'X-Management-Key': mg.key } });
    assert.equal(foreign.statusCode, 404);
    const ghost = await t.request({ method: 'GET', url: `/v1/org/${randomUUID()}`, headers: { 'X-Management-Key': mg.key } });
    assert.equal(ghost.statusCode, 404);
    assert.deepEqual(
      { ...(foreign.json() as object), request_id: null },
      { ...(ghost.json() as object), request_id: null },
      'same 404 either way',
    );

    for (const headers of [{}, { 'x-vital-api-key': tk.key }, { 'x-operator-key': t.operatorKey }, { 'x-management-key': 'mg_nope' }]) {
      const res = await t.request({ method: 'GET', url: `/v1/org/${org.id}`, headers });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
    }
    const bad = await t.request({ method: 'GET', url: '/v1/org/123', headers: { 'X-Management-Key': mg.key } });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['path', 'org_id']);
  });

  it('PATCH renames the org for org_admin (audited); team_admin 403; extra fields 422; other org 404', async () => {
    const org = await seedOrg(t.database.db);
    const other = await seedOrg(t.database.db);
    const team = await seedTeam(t.database.db, org.id);
    const admin = await seedManagementKey(t.database.db, org.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);

    const ok = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}`,
      headers: { 'X-Management-Key': admin.key },
      payload: { name: 'Renamed Org' },
    });
    assert.equal(ok.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingOrg', ok.json());
    assert.equal(ok.json().name, 'Renamed Org');
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', org.id).execute();
    assert.equal(audit.at(-1)?.action, 'org.updated');
    assert.equal(audit.at(-1)?.actor_key_id, admin.id);

    const denied = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}`,
      headers: { 'X-Management-Key': teamAdmin.key },
      payload: { name: 'No' },
    });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'forbidden');

    const extra = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}`,
      headers: { 'X-Management-Key': admin.key },
      payload: { name: 'A', color: 'red' },
    });
    assert.equal(extra.statusCode, 422);
    assert.deepEqual(extra.json().detail, [
      { type: 'extra_forbidden', loc: ['body', 'color'], msg: 'Extra inputs are not permitted', input: 'red' },
    ]);

    const foreign = await t.request({
      method: 'PATCH',
      url: `/v1/org/${other.id}`,
      headers: { 'X-Management-Key': admin.key },
      payload: { name: 'Hijack' },
    });
    assert.equal(foreign.statusCode, 404);
    const untouched = await t.database.db.selectFrom('orgs').select('name').where('id', '=', other.id).executeTakeFirstOrThrow();
    assert.equal(untouched.name, other.name);
  });
});
