// Team API keys through the Management API (`/v1/org/{org_id}/team_api_keys/{env}/{region}`): create with
// the full value once, list masked, delete with immediate effect; roles, tenancy and validation.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('management API: team API keys', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const mk = (key: string) => ({ 'x-management-key': key });
  const keysUrl = (orgId: string, env: string, region: string) => `/v1/org/${orgId}/team_api_keys/${env}/${region}`;

  async function tenant() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const us = await seedTeam(db, org.id, { region: 'us' });
    const eu = await seedTeam(db, org.id, { region: 'eu' });
    const admin = await seedManagementKey(db, org.id);
    return { org, us, eu, admin };
  }

  async function create(key: string, orgId: string, env: string, region: string, payload: object) {
    return t.request({ method: 'POST', url: keysUrl(orgId, env, region), headers: mk(key), payload });
  }

  // ------------------------------------------------------------------------------------------ create

  it('creates sk_ sandbox and pk_ production keys with the full value once; the key authenticates', async () => {
    const { org, us, eu, admin } = await tenant();
    const sandbox = await create(admin.key, org.id, 'sandbox', 'us', { label: 'backend', team_id: us.id });
    assert.equal(sandbox.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingTeamAPIKey', sandbox.json());
    assert.equal(sandbox.json().label, 'backend');
    assert.equal(sandbox.json().team_id, us.id);
    assert.match(sandbox.json().value, /^sk_us_[0-9A-Za-z]{55}$/);

    const production = await create(admin.key, org.id, 'production', 'eu', { label: 'prod', team_id: eu.id });
    assert.equal(production.statusCode, 200);
    assert.match(production.json().value, /^pk_eu_/);

    const who = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': production.json().value } });
    assert.equal(who.statusCode, 200);
    assert.deepEqual(who.json(), {
      kind: 'team',
      org_id: org.id,
      team_id: eu.id,
      env: 'production',
      region: 'eu',
      key_id: production.json().id,
      via: 'api_key',
    });

    const row = await t.database.db.selectFrom('team_api_keys').selectAll().where('id', '=', sandbox.json().id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(sandbox.json().value), 'only the hash is stored');
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', sandbox.json().id).execute();
    assert.equal(audit[0].action, 'team_api_key.created');
    assert.ok(!JSON.stringify(audit[0].after).includes(sandbox.json().value));
  });

  it('a team outside the path region is 400 teams_not_in_region', async () => {
    const { org, eu, admin } = await tenant();
    const res = await create(admin.key, org.id, 'sandbox', 'us', { label: 'x', team_id: eu.id });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'teams_not_in_region');
    assert.deepEqual(res.json().team_ids, [eu.id]);
    const rows = await t.database.db.selectFrom('team_api_keys').select('id').where('team_id', '=', eu.id).execute();
    assert.equal(rows.length, 0);
  });

  it('teams of other orgs, unknown teams and (for team_admin) unbound teams are 404', async () => {
    const { org, us, admin } = await tenant();
    const other = await seedOrg(t.database.db);
    const foreignTeam = await seedTeam(t.database.db, other.id);
    const unbound = await seedTeam(t.database.db, org.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [us.id]);

    for (const [key, orgId, teamId] of [
      [admin.key, org.id, foreignTeam.id],
      [admin.key, other.id, foreignTeam.id],
      [admin.key, org.id, randomUUID()],
      [teamAdmin.key, org.id, unbound.id],
    ]) {
      const res = await create(key, orgId, 'sandbox', 'us', { label: 'x', team_id: teamId });
      assert.equal(res.statusCode, 404, `${orgId}/${teamId}`);
    }
    const rows = await t.database.db
      .selectFrom('team_api_keys')
      .select('id')
      .where('team_id', 'in', [foreignTeam.id, unbound.id])
      .execute();
    assert.equal(rows.length, 0);

    const ok = await create(teamAdmin.key, org.id, 'sandbox', 'us', { label: 'mine', team_id: us.id });
    assert.equal(ok.statusCode, 200);
  });

  it('create: 422 for malformed path, body and types; 401 for missing or wrong-kind keys', async () => {
    const { org, us, admin } = await tenant();
    const badEnv = await create(admin.key, org.id, 'staging', 'us', { label: 'x', team_id: us.id });
    assert.equal(badEnv.statusCode, 422);
    assert.deepEqual(badEnv.json().detail[0].loc, ['path', 'env']);
    assert.equal(badEnv.json().detail[0].type, 'enum');
    const badRegion = await create(admin.key, org.id, 'sandbox', 'apac', { label: 'x', team_id: us.id });
    assert.deepEqual(badRegion.json().detail[0].loc, ['path', 'region']);

    const missing = await create(admin.key, org.id, 'sandbox', 'us', {});
    assert.deepEqual(
      missing.json().detail.map((d: { loc: unknown }) => d.loc),
      [
        ['body', 'label'],
        ['body', 'team_id'],
      ],
    );
    const badTeam = await create(admin.key, org.id, 'sandbox', 'us', { label: 'x', team_id: 'abc' });
    assert.equal(badTeam.json().detail[0].type, 'uuid_parsing');
    const badLabel = await create(admin.key, org.id, 'sandbox', 'us', { label: ['x'], team_id: us.id });
    assert.deepEqual(badLabel.json().detail[0], {
      type: 'string_type',
      loc: ['body', 'label'],
      msg: 'Input should be a valid string',
      input: ['x'],
    });

    const tk = await seedTeamKey(t.database.db, us);
    for (const headers of [{}, { 'x-vital-api-key': tk.key }, { 'x-operator-key': t.operatorKey }, { 'x-management-key': tk.key }]) {
      const res = await t.request({
        method: 'POST',
        url: keysUrl(org.id, 'sandbox', 'us'),
        headers,
        payload: { label: 'x', team_id: us.id },
      });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
    }
  });

  // ------------------------------------------------------------------------------------------ list

  it('lists the cell’s keys with masked values; filters by team_id; other cells are separate', async () => {
    const { org, us, admin } = await tenant();
    const us2 = await seedTeam(t.database.db, org.id, { region: 'us' });
    const a = (await create(admin.key, org.id, 'sandbox', 'us', { label: 'a', team_id: us.id })).json();
    const b = (await create(admin.key, org.id, 'sandbox', 'us', { label: 'b', team_id: us2.id })).json();
    await create(admin.key, org.id, 'production', 'us', { label: 'prod', team_id: us.id });

    const res = await t.request({ method: 'GET', url: keysUrl(org.id, 'sandbox', 'us'), headers: mk(admin.key) });
    assert.equal(res.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingTeamAPIKeyResponse', res.json());
    assert.equal(res.json().next_cursor, null);
    assert.deepEqual(
      res.json().api_keys.map((k: { id: string }) => k.id),
      [a.id, b.id],
    );
    const listed = res.json().api_keys[0];
    assert.equal(listed.value, `sk_us_…${a.value.slice(-4)}`);
    assert.ok(!res.body.includes(a.value) && !res.body.includes(b.value), 'no full key in a list');
    assert.deepEqual({ ...listed, value: null }, { ...a, value: null });

    const filtered = await t.request({
      method: 'GET',
      url: `${keysUrl(org.id, 'sandbox', 'us')}?team_id=${us2.id}`,
      headers: mk(admin.key),
    });
    assert.deepEqual(
      filtered.json().api_keys.map((k: { id: string }) => k.id),
      [b.id],
    );

    const prod = await t.request({ method: 'GET', url: keysUrl(org.id, 'production', 'us'), headers: mk(admin.key) });
    assert.equal(prod.json().api_keys.length, 1);
    assert.match(prod.json().api_keys[0].value, /^pk_us_…/);
    const eu = await t.request({ method: 'GET', url: keysUrl(org.id, 'sandbox', 'eu'), headers: mk(admin.key) });
    assert.deepEqual(eu.json(), { api_keys: [], next_cursor: null });
  });

  it('lists page by 50 with next_cursor; a malformed cursor is 422', async () => {
    const { org, us, admin } = await tenant();
    const ids: string[] = [];
    for (let i = 0; i < 51; i += 1) ids.push((await seedTeamKey(t.database.db, { id: us.id, orgId: org.id, region: 'us' })).id);
    const first = await t.request({ method: 'GET', url: keysUrl(org.id, 'sandbox', 'us'), headers: mk(admin.key) });
    assert.equal(first.json().api_keys.length, 50);
    const second = await t.request({
      method: 'GET',
      url: `${keysUrl(org.id, 'sandbox', 'us')}?next_cursor=${first.json().next_cursor}`,
      headers: mk(admin.key),
    });
    assert.equal(second.json().next_cursor, null);
    assert.deepEqual(
      [...first.json().api_keys, ...second.json().api_keys].map((k: { id: string }) => k.id),
      ids,
    );

    const bad = await t.request({ method: 'GET', url: `${keysUrl(org.id, 'sandbox', 'us')}?next_cursor=%%%`, headers: mk(admin.key) });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['query', 'next_cursor']);
    const badTeam = await t.request({ method: 'GET', url: `${keysUrl(org.id, 'sandbox', 'us')}?team_id=1`, headers: mk(admin.key) });
    assert.deepEqual(badTeam.json().detail[0].loc, ['query', 'team_id']);
  });

  it('list: team_admin sees keys of bound teams only; other orgs are 404; wrong kinds 401', async () => {
    const { org, us, admin } = await tenant();
    const us2 = await seedTeam(t.database.db, org.id, { region: 'us' });
    const mine = (await create(admin.key, org.id, 'sandbox', 'us', { label: 'mine', team_id: us.id })).json();
    await create(admin.key, org.id, 'sandbox', 'us', { label: 'theirs', team_id: us2.id });
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [us.id]);

    const res = await t.request({ method: 'GET', url: keysUrl(org.id, 'sandbox', 'us'), headers: mk(teamAdmin.key) });
    assert.deepEqual(
      res.json().api_keys.map((k: { id: string }) => k.id),
      [mine.id],
    );
    const outside = await t.request({
      method: 'GET',
      url: `${keysUrl(org.id, 'sandbox', 'us')}?team_id=${us2.id}`,
      headers: mk(teamAdmin.key),
    });
    assert.deepEqual(outside.json().api_keys, []);

    const other = await seedOrg(t.database.db);
    const foreign = await t.request({ method: 'GET', url: keysUrl(other.id, 'sandbox', 'us'), headers: mk(admin.key) });
    assert.equal(foreign.statusCode, 404);
    const tk = await seedTeamKey(t.database.db, us);
    const wrong = await t.request({ method: 'GET', url: keysUrl(org.id, 'sandbox', 'us'), headers: { 'x-vital-api-key': tk.key } });
    assert.equal(wrong.statusCode, 401);
  });

  // ------------------------------------------------------------------------------------------ delete

  it('deletes keys: success / not_found, and a deleted key stops authenticating at once', async () => {
    const { org, us, admin } = await tenant();
    const a = (await create(admin.key, org.id, 'sandbox', 'us', { label: 'a', team_id: us.id })).json();
    const b = (await create(admin.key, org.id, 'sandbox', 'us', { label: 'b', team_id: us.id })).json();
    const prodKey = (await create(admin.key, org.id, 'production', 'us', { label: 'p', team_id: us.id })).json();
    const ghost = randomUUID();

    const before = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': a.value } });
    assert.equal(before.statusCode, 200);

    const res = await t.request({
      method: 'DELETE',
      url: `${keysUrl(org.id, 'sandbox', 'us')}?api_key_id=${a.id}&api_key_id=${ghost}&api_key_id=${prodKey.id}`,
      headers: mk(admin.key),
    });
    assert.equal(res.statusCode, 200);
    assertJunctionSchema('org-management', 'DeleteTeamApiKeysResponse', res.json());
    // A key of another cell is not in this cell: not_found, and it keeps working.
    assert.deepEqual(res.json(), { success: [a.id], failure: [], not_found: [ghost, prodKey.id] });

    const after = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': a.value } });
    assert.equal(after.statusCode, 401);
    for (const key of [b.value, prodKey.value]) {
      const still = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': key } });
      assert.equal(still.statusCode, 200);
    }
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', a.id).orderBy('seq').execute();
    assert.equal(audit.at(-1)?.action, 'team_api_key.deleted');

    const again = await t.request({
      method: 'DELETE',
      url: `${keysUrl(org.id, 'sandbox', 'us')}?api_key_id=${a.id}`,
      headers: mk(admin.key),
    });
    assert.deepEqual(again.json(), { success: [], failure: [], not_found: [a.id] });
  });

  it('delete: other orgs’ keys and (for team_admin) unbound teams’ keys are not_found and survive', async () => {
    const { org, us, admin } = await tenant();
    const us2 = await seedTeam(t.database.db, org.id, { region: 'us' });
    const other = await seedOrg(t.database.db);
    const foreignTeam = await seedTeam(t.database.db, other.id);
    const foreignKey = await seedTeamKey(t.database.db, foreignTeam);
    const theirs = (await create(admin.key, org.id, 'sandbox', 'us', { label: 'theirs', team_id: us2.id })).json();
    const mine = (await create(admin.key, org.id, 'sandbox', 'us', { label: 'mine', team_id: us.id })).json();
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [us.id]);

    const res = await t.request({
      method: 'DELETE',
      url: `${keysUrl(org.id, 'sandbox', 'us')}?api_key_id=${foreignKey.id}&api_key_id=${theirs.id}&api_key_id=${mine.id}`,
      headers: mk(teamAdmin.key),
    });
    assert.deepEqual(res.json(), { success: [mine.id], failure: [], not_found: [foreignKey.id, theirs.id] });
    for (const key of [foreignKey.key, theirs.value]) {
      const still = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': key } });
      assert.equal(still.statusCode, 200);
    }

    const foreignOrg = await t.request({
      method: 'DELETE',
      url: `${keysUrl(other.id, 'sandbox', 'us')}?api_key_id=${foreignKey.id}`,
      headers: mk(admin.key),
    });
    assert.equal(foreignOrg.statusCode, 404);
    const still = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': foreignKey.key } });
    assert.equal(still.statusCode, 200);
  });

  it('delete: api_key_id is required and must be uuids (422); wrong kinds 401', async () => {
    const { org, us, admin } = await tenant();
    const missing = await t.request({ method: 'DELETE', url: keysUrl(org.id, 'sandbox', 'us'), headers: mk(admin.key) });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail, [{ type: 'missing', loc: ['query', 'api_key_id'], msg: 'Field required', input: null }]);
    const bad = await t.request({
      method: 'DELETE',
      url: `${keysUrl(org.id, 'sandbox', 'us')}?api_key_id=${randomUUID()}&api_key_id=zzz`,
      headers: mk(admin.key),
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['query', 'api_key_id', 1]);
    assert.equal(bad.json().detail[0].type, 'uuid_parsing');

    const tk = await seedTeamKey(t.database.db, us);
    for (const headers of [{}, { 'x-vital-api-key': tk.key }, { 'x-operator-key': t.operatorKey }]) {
      const res = await t.request({ method: 'DELETE', url: `${keysUrl(org.id, 'sandbox', 'us')}?api_key_id=${tk.id}`, headers });
      assert.equal(res.statusCode, 401);
    }
    const still = await t.request({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': tk.key } });
    assert.equal(still.statusCode, 200);
  });
});
