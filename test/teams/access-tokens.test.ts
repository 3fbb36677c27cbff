// Team API access tokens minted through the Management API
// (`POST /v1/org/{org_id}/team/{team_id}/create_api_access_token`): 10-minute Bearer tokens for one team and env.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { principalCache } from '../../src/modules/auth/principal-cache.js';
import { seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('management API: team access tokens', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const url = (orgId: string, teamId: string) => `/v1/org/${orgId}/team/${teamId}/create_api_access_token`;
  const mk = (key: string) => ({ 'x-management-key': key });

  async function tenant() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id, { region: 'eu' });
    const admin = await seedManagementKey(db, org.id);
    return { org, team, admin };
  }

  it('an org_admin mints a 600-second token that works as Bearer for that team and env', async () => {
    const { org, team, admin } = await tenant();
    const before = Date.now();
    const res = await t.request({ method: 'POST', url: url(org.id, team.id), headers: mk(admin.key), payload: { env: 'production' } });
    assert.equal(res.statusCode, 200);
    assertJunctionSchema('org-management', 'CreateTeamAccessTokenResponse', res.json());
    assert.equal(res.json().expires_in, 600);
    assert.deepEqual(Object.keys(res.json()).sort(), ['access_token', 'expires_in']);
    const token: string = res.json().access_token;
    assert.match(token, /^tat_/);

    const row = await t.database.db.selectFrom('access_tokens').selectAll().where('team_id', '=', team.id).executeTakeFirstOrThrow();
    const ttl = new Date(row.expires_at).getTime() - before;
    assert.ok(ttl > 590_000 && ttl <= 601_000, `ttl ${ttl}`);
    assert.equal(row.created_by_key_id, admin.id);
    assert.ok(!JSON.stringify(row).includes(token), 'only the hash is stored');

    const whoami = await t.request({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${token}` } });
    assert.equal(whoami.statusCode, 200);
    assert.deepEqual(
      { ...(whoami.json() as object), key_id: null },
      { kind: 'team', org_id: org.id, team_id: team.id, env: 'production', region: 'eu', via: 'access_token', key_id: null },
    );

    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', team.id).execute();
    assert.equal(audit.at(-1)?.action, 'team.access_token_created');
    assert.ok(!JSON.stringify(audit.at(-1)?.after).includes(token));
  });

  it('a sandbox token authenticates as sandbox; an expired token is 401', async () => {
    const { org, team, admin } = await tenant();
    const res = await t.request({ method: 'POST', url: url(org.id, team.id), headers: mk(admin.key), payload: { env: 'sandbox' } });
    const token: string = res.json().access_token;
    const ok = await t.request({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.json().env, 'sandbox');

    // Ten minutes later (moved in the database rather than waiting, and the in-process principal cache, which
    // holds the real expiry, cleared as time would): the token no longer works.
    await t.database.db
      .updateTable('access_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('team_id', '=', team.id)
      .execute();
    principalCache.clear();
    const expired = await t.request({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${token}` } });
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().code, 'unauthorized');
  });

  it('a token is not a management key: it cannot call the Management API (401)', async () => {
    const { org, team, admin } = await tenant();
    const token = (
      await t.request({ method: 'POST', url: url(org.id, team.id), headers: mk(admin.key), payload: { env: 'sandbox' } })
    ).json().access_token;
    for (const headers of [{ authorization: `Bearer ${token}` }, { 'x-management-key': token }]) {
      const res = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team`, headers });
      assert.equal(res.statusCode, 401);
    }
  });

  it('a team_admin mints tokens for its bound teams only; others are 404', async () => {
    const { org, team } = await tenant();
    const unbound = await seedTeam(t.database.db, org.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);
    const ok = await t.request({ method: 'POST', url: url(org.id, team.id), headers: mk(teamAdmin.key), payload: { env: 'sandbox' } });
    assert.equal(ok.statusCode, 200);
    const denied = await t.request({
      method: 'POST',
      url: url(org.id, unbound.id),
      headers: mk(teamAdmin.key),
      payload: { env: 'sandbox' },
    });
    assert.equal(denied.statusCode, 404);
    assert.equal(denied.json().code, 'team_not_found');
    const rows = await t.database.db.selectFrom('access_tokens').select('id').where('team_id', '=', unbound.id).execute();
    assert.equal(rows.length, 0);
  });

  it('other orgs’ teams and unknown teams are 404', async () => {
    const { org, admin } = await tenant();
    const other = await seedOrg(t.database.db);
    const foreignTeam = await seedTeam(t.database.db, other.id);
    for (const [orgId, teamId] of [
      [org.id, foreignTeam.id],
      [other.id, foreignTeam.id],
      [org.id, randomUUID()],
    ]) {
      const res = await t.request({ method: 'POST', url: url(orgId, teamId), headers: mk(admin.key), payload: { env: 'sandbox' } });
      assert.equal(res.statusCode, 404, `${orgId}/${teamId}`);
    }
    const rows = await t.database.db.selectFrom('access_tokens').select('id').where('team_id', '=', foreignTeam.id).execute();
    assert.equal(rows.length, 0);
  });

  it('validates path and body (422 with loc) after authentication (401 first)', async () => {
    const { org, team, admin } = await tenant();
    const post = (payload: object | undefined, path = url(org.id, team.id)) =>
      t.request({ method: 'POST', url: path, headers: mk(admin.key), ...(payload === undefined ? {} : { payload }) });

    const missing = await post({});
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail, [{ type: 'missing', loc: ['body', 'env'], msg: 'Field required', input: null }]);

    const noBody = await post(undefined);
    assert.equal(noBody.statusCode, 422);
    assert.deepEqual(noBody.json().detail[0].loc, ['body']);
    assert.equal(noBody.json().detail[0].type, 'missing');

    const badEnv = await post({ env: 'staging' });
    assert.equal(badEnv.json().detail[0].type, 'enum');
    assert.deepEqual(badEnv.json().detail[0].loc, ['body', 'env']);

    const badTeam = await post({ env: 'sandbox' }, url(org.id, 'team-1'));
    assert.deepEqual(badTeam.json().detail[0].loc, ['path', 'team_id']);

    const tk = await seedTeamKey(t.database.db, team);
    for (const headers of [{}, { 'x-vital-api-key': tk.key }, { 'x-operator-key': t.operatorKey }]) {
      const res = await t.request({ method: 'POST', url: url(org.id, 'team-1'), headers, payload: {} });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
    }
  });
});
