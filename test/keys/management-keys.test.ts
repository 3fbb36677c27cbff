// Management keys through the Management API (`/v1/org/{org_id}/management_key[/{key_id}]`): org_admin only;
// secrets shown once at creation; bindings checked and effective on the next request; revocation immediate.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('management API: management keys', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const mk = (key: string) => ({ 'x-management-key': key });

  async function tenant() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id);
    const admin = await seedManagementKey(db, org.id);
    return { org, team, admin };
  }

  const createKey = (key: string, orgId: string, payload: object) =>
    t.request({ method: 'POST', url: `/v1/org/${orgId}/management_key`, headers: mk(key), payload });

  // ------------------------------------------------------------------------------------------ create

  it('an org_admin creates keys: secret in `key` once, creator management_key, usable at once', async () => {
    const { org, team, admin } = await tenant();
    const res = await createKey(admin.key, org.id, { label: 'ci', role: 'team_admin', team_role_bindings: [{ team_id: team.id }] });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assertJunctionSchema('org-management', 'ClientFacingManagementKeyUnhashed', body);
    assert.match(body.key, /^mg_/);
    assert.deepEqual(body.creator, { type: 'management_key' });
    assert.deepEqual(body.team_role_bindings, [{ team_id: team.id }]);

    const teams = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team`, headers: mk(body.key) });
    assert.deepEqual(
      teams.json().teams.map((x: { id: string }) => x.id),
      [team.id],
    );

    const orgAdmin = await createKey(admin.key, org.id, { label: 'root', role: 'org_admin', team_role_bindings: [{ team_id: team.id }] });
    assert.equal(orgAdmin.statusCode, 200);
    assert.equal(orgAdmin.json().team_role_bindings, null, 'org_admin keys carry no bindings');

    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', body.id).execute();
    assert.equal(audit[0].action, 'management_key.created');
    assert.equal(audit[0].actor_key_id, admin.id);
  });

  it('create: bindings outside the org are 400 teams_not_in_org; nothing is written', async () => {
    const { org, team, admin } = await tenant();
    const other = await seedOrg(t.database.db);
    const foreignTeam = await seedTeam(t.database.db, other.id);
    const res = await createKey(admin.key, org.id, {
      label: 'x',
      role: 'team_admin',
      team_role_bindings: [{ team_id: team.id }, { team_id: foreignTeam.id }],
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'teams_not_in_org');
    assert.deepEqual(res.json().team_ids, [foreignTeam.id]);
    const rows = await t.database.db.selectFrom('management_keys').select('id').where('org_id', '=', org.id).execute();
    assert.equal(rows.length, 1);
  });

  it('create: team_admin 403 (before 422), other org 404, 422 with loc, wrong kinds 401', async () => {
    const { org, team, admin } = await tenant();
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);
    const forbidden = await createKey(teamAdmin.key, org.id, { label: 'x', role: 'org_admin' });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.json().code, 'forbidden');
    const forbiddenFirst = await createKey(teamAdmin.key, org.id, { role: 'root' });
    assert.equal(forbiddenFirst.statusCode, 403);

    const other = await seedOrg(t.database.db);
    const foreign = await createKey(admin.key, other.id, { label: 'x', role: 'org_admin' });
    assert.equal(foreign.statusCode, 404);
    const foreignRows = await t.database.db.selectFrom('management_keys').select('id').where('org_id', '=', other.id).execute();
    assert.equal(foreignRows.length, 0);

    const missing = await createKey(admin.key, org.id, {});
    assert.deepEqual(
      missing.json().detail.map((d: { loc: unknown; type: string }) => [d.loc, d.type]),
      [
        [['body', 'label'], 'missing'],
        [['body', 'role'], 'missing'],
      ],
    );
    const role = await createKey(admin.key, org.id, { label: 'x', role: 'owner' });
    assert.deepEqual(role.json().detail[0].loc, ['body', 'role']);
    const bindings = await createKey(admin.key, org.id, { label: 'x', role: 'team_admin', team_role_bindings: { team_id: team.id } });
    assert.equal(bindings.json().detail[0].type, 'list_type');
    assert.deepEqual(bindings.json().detail[0].loc, ['body', 'team_role_bindings']);

    const tk = await seedTeamKey(t.database.db, team);
    for (const headers of [{}, { 'x-vital-api-key': tk.key }, { 'x-operator-key': t.operatorKey }]) {
      const res = await t.request({
        method: 'POST',
        url: `/v1/org/${org.id}/management_key`,
        headers,
        payload: { label: 'x', role: 'org_admin' },
      });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
    }
  });

  // ------------------------------------------------------------------------------------------ list

  it('lists the org’s keys without secrets; filters by role and team_id', async () => {
    const { org, team, admin } = await tenant();
    const team2 = await seedTeam(t.database.db, org.id);
    const a = (await createKey(admin.key, org.id, { label: 'a', role: 'team_admin', team_role_bindings: [{ team_id: team.id }] })).json();
    const b = (await createKey(admin.key, org.id, { label: 'b', role: 'team_admin', team_role_bindings: [{ team_id: team2.id }] })).json();
    const other = await seedOrg(t.database.db);
    await seedManagementKey(t.database.db, other.id);

    const res = await t.request({ method: 'GET', url: `/v1/org/${org.id}/management_key`, headers: mk(admin.key) });
    assert.equal(res.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingManagementKeyResponse', res.json());
    assert.deepEqual(
      res.json().data.map((k: { id: string }) => k.id),
      [admin.id, a.id, b.id],
    );
    assert.equal(res.json().next_cursor, null);
    assert.ok(res.json().data.every((k: Record<string, unknown>) => !('key' in k)));
    assert.ok(!res.body.includes(a.key.slice(3)) && !res.body.includes(admin.key.slice(3)), 'no secret in a list');
    // A seeded key (no creation record) reads as staff-made; keys made through this API say so.
    assert.deepEqual(res.json().data[0].creator, { type: 'vital_staff' });
    const { key: _secret, ...aListed } = a;
    assert.deepEqual(res.json().data[1], aListed);

    const byRole = await t.request({ method: 'GET', url: `/v1/org/${org.id}/management_key?role=org_admin`, headers: mk(admin.key) });
    assert.deepEqual(
      byRole.json().data.map((k: { id: string }) => k.id),
      [admin.id],
    );
    const byTeam = await t.request({ method: 'GET', url: `/v1/org/${org.id}/management_key?team_id=${team2.id}`, headers: mk(admin.key) });
    assert.deepEqual(
      byTeam.json().data.map((k: { id: string }) => k.id),
      [b.id],
    );
  });

  it('list: team_admin 403, other org 404, 422 for bad role or team_id, 401 without a key', async () => {
    const { org, team, admin } = await tenant();
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);
    const forbidden = await t.request({ method: 'GET', url: `/v1/org/${org.id}/management_key`, headers: mk(teamAdmin.key) });
    assert.equal(forbidden.statusCode, 403);
    const other = await seedOrg(t.database.db);
    const foreign = await t.request({ method: 'GET', url: `/v1/org/${other.id}/management_key`, headers: mk(admin.key) });
    assert.equal(foreign.statusCode, 404);
    const role = await t.request({ method: 'GET', url: `/v1/org/${org.id}/management_key?role=admin`, headers: mk(admin.key) });
    assert.deepEqual(role.json().detail[0].loc, ['query', 'role']);
    const teamId = await t.request({ method: 'GET', url: `/v1/org/${org.id}/management_key?team_id=x`, headers: mk(admin.key) });
    assert.deepEqual(teamId.json().detail[0].loc, ['query', 'team_id']);
    const none = await t.request({ method: 'GET', url: `/v1/org/${org.id}/management_key` });
    assert.equal(none.statusCode, 401);
  });

  // ------------------------------------------------------------------------------------------ patch

  it('PATCH relabels and rebinds a team_admin key; the new bindings apply on its next request', async () => {
    const { org, team, admin } = await tenant();
    const team2 = await seedTeam(t.database.db, org.id);
    const created = (
      await createKey(admin.key, org.id, { label: 'old', role: 'team_admin', team_role_bindings: [{ team_id: team.id }] })
    ).json();
    const before = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${team2.id}`, headers: mk(created.key) });
    assert.equal(before.statusCode, 404);

    const res = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/management_key/${created.id}`,
      headers: mk(admin.key),
      payload: { label: 'new', team_role_bindings: [{ team_id: team2.id }] },
    });
    assert.equal(res.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingManagementKey', res.json());
    assert.equal(res.json().label, 'new');
    assert.deepEqual(res.json().team_role_bindings, [{ team_id: team2.id }]);
    assert.ok(!('key' in res.json()));

    const nowVisible = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${team2.id}`, headers: mk(created.key) });
    assert.equal(nowVisible.statusCode, 200);
    const nowHidden = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${team.id}`, headers: mk(created.key) });
    assert.equal(nowHidden.statusCode, 404);

    const labelOnly = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/management_key/${created.id}`,
      headers: mk(admin.key),
      payload: { label: 'newer' },
    });
    assert.deepEqual(labelOnly.json().team_role_bindings, [{ team_id: team2.id }], 'absent bindings are kept');

    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', created.id).orderBy('seq').execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['management_key.created', 'management_key.updated', 'management_key.updated'],
    );
  });

  it('PATCH: bindings outside the org 400; unknown or foreign key 404; team_admin 403; 422 with loc', async () => {
    const { org, team, admin } = await tenant();
    const other = await seedOrg(t.database.db);
    const foreignKey = await seedManagementKey(t.database.db, other.id);
    const foreignTeam = await seedTeam(t.database.db, other.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);
    const patch = (keyId: string, payload: object, key = admin.key, orgId = org.id) =>
      t.request({ method: 'PATCH', url: `/v1/org/${orgId}/management_key/${keyId}`, headers: mk(key), payload });

    const outside = await patch(teamAdmin.id, { team_role_bindings: [{ team_id: foreignTeam.id }] });
    assert.equal(outside.statusCode, 400);
    assert.deepEqual(outside.json().team_ids, [foreignTeam.id]);

    assert.equal((await patch(foreignKey.id, { label: 'mine' })).statusCode, 404);
    assert.equal((await patch(foreignKey.id, { label: 'mine' }, admin.key, other.id)).statusCode, 404);
    assert.equal((await patch(randomUUID(), { label: 'x' })).json().code, 'management_key_not_found');
    const untouched = await t.database.db
      .selectFrom('management_keys')
      .select('label')
      .where('id', '=', foreignKey.id)
      .executeTakeFirstOrThrow();
    assert.equal(untouched.label, 'test');

    assert.equal((await patch(teamAdmin.id, { label: 'self' }, teamAdmin.key)).statusCode, 403);
    const badId = await patch('k1', { label: 'x' });
    assert.deepEqual(badId.json().detail[0].loc, ['path', 'key_id']);
    const badLabel = await patch(teamAdmin.id, { label: 3 });
    assert.deepEqual(badLabel.json().detail[0].loc, ['body', 'label']);
  });

  // ------------------------------------------------------------------------------------------ delete

  it('DELETE revokes a key at once and answers it as ClientFacingManagementKey', async () => {
    const { org, admin } = await tenant();
    const created = (await createKey(admin.key, org.id, { label: 'temp', role: 'org_admin' })).json();
    const ok = await t.request({ method: 'GET', url: `/v1/org/${org.id}`, headers: mk(created.key) });
    assert.equal(ok.statusCode, 200);

    const res = await t.request({ method: 'DELETE', url: `/v1/org/${org.id}/management_key/${created.id}`, headers: mk(admin.key) });
    assert.equal(res.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingManagementKey', res.json());
    assert.equal(res.json().id, created.id);

    const revoked = await t.request({ method: 'GET', url: `/v1/org/${org.id}`, headers: mk(created.key) });
    assert.equal(revoked.statusCode, 401);
    const again = await t.request({ method: 'DELETE', url: `/v1/org/${org.id}/management_key/${created.id}`, headers: mk(admin.key) });
    assert.equal(again.statusCode, 404);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', created.id).orderBy('seq').execute();
    assert.equal(audit.at(-1)?.action, 'management_key.deleted');
  });

  it('DELETE: foreign keys 404 and survive; team_admin 403; malformed key_id 422', async () => {
    const { org, team, admin } = await tenant();
    const other = await seedOrg(t.database.db);
    const foreignKey = await seedManagementKey(t.database.db, other.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);

    for (const orgId of [org.id, other.id]) {
      const res = await t.request({ method: 'DELETE', url: `/v1/org/${orgId}/management_key/${foreignKey.id}`, headers: mk(admin.key) });
      assert.equal(res.statusCode, 404);
    }
    const alive = await t.request({ method: 'GET', url: `/v1/org/${other.id}`, headers: mk(foreignKey.key) });
    assert.equal(alive.statusCode, 200);

    const forbidden = await t.request({
      method: 'DELETE',
      url: `/v1/org/${org.id}/management_key/${admin.id}`,
      headers: mk(teamAdmin.key),
    });
    assert.equal(forbidden.statusCode, 403);
    const still = await t.request({ method: 'GET', url: `/v1/org/${org.id}`, headers: mk(admin.key) });
    assert.equal(still.statusCode, 200);

    const bad = await t.request({ method: 'DELETE', url: `/v1/org/${org.id}/management_key/nope`, headers: mk(admin.key) });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['path', 'key_id']);
  });
});
