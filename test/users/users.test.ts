// Users (Team API): create, duplicate client_user_id, list with offset paging, get, resolve; scoped by team and env.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedAccessToken, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('users', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  async function world() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id);
    const other = await seedTeam(db, org.id);
    return {
      team,
      key: (await seedTeamKey(db, team, 'sandbox')).key,
      prodKey: (await seedTeamKey(db, team, 'production')).key,
      otherKey: (await seedTeamKey(db, other, 'sandbox')).key,
      token: (await seedAccessToken(db, team, 'sandbox')).token,
    };
  }
  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) =>
    t.request({ method, url, headers: { 'x-vital-api-key': key }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('creates, gets, resolves and lists users', async () => {
    const w = await world();
    const created = await call('POST', '/v2/user', w.key, { client_user_id: 'patient-1', fallback_birth_date: '1980-02-03' });
    assert.equal(created.statusCode, 200, created.body);
    assertJunctionSchema('junction', 'ClientFacingUser', created.json());
    assert.equal(created.json().team_id, w.team.id);
    assert.equal(created.json().fallback_birth_date.value, '1980-02-03');
    const id = created.json().user_id;
    const got = await call('GET', `/v2/user/${id}`, w.key);
    assert.deepEqual(got.json(), created.json());
    const resolved = await call('GET', '/v2/user/resolve/patient-1', w.key);
    assert.equal(resolved.json().user_id, id);
    await call('POST', '/v2/user', w.key, { client_user_id: 'patient-2' });
    await call('POST', '/v2/user', w.key, { client_user_id: 'patient-3' });
    const page = await call('GET', '/v2/user?offset=1&limit=1', w.key);
    assertJunctionSchema('junction', 'PaginatedUsersResponse', page.json());
    assert.equal(page.json().total, 3);
    assert.equal(page.json().users[0].client_user_id, 'patient-2');
    const viaToken = await t.request({ method: 'GET', url: `/v2/user/${id}`, headers: { authorization: `Bearer ${w.token}` } });
    assert.equal(viaToken.statusCode, 200);
  });

  it('answers a duplicate client_user_id with Junction’s 400 conflict body', async () => {
    const w = await world();
    const first = await call('POST', '/v2/user', w.key, { client_user_id: 'dup' });
    const second = await call('POST', '/v2/user', w.key, { client_user_id: 'dup' });
    assert.equal(second.statusCode, 400);
    assertJunctionSchema('junction', 'ClientUserIDConflictResponse', second.json());
    assert.equal(second.json().detail.user_id, first.json().user_id);
    // The same client_user_id is free in another env and another team.
    assert.equal((await call('POST', '/v2/user', w.prodKey, { client_user_id: 'dup' })).statusCode, 200);
    assert.equal((await call('POST', '/v2/user', w.otherKey, { client_user_id: 'dup' })).statusCode, 200);
  });

  it('hides other teams’ and envs’ users (404 user_not_found) and validates input', async () => {
    const w = await world();
    const id = (await call('POST', '/v2/user', w.key, { client_user_id: 'mine' })).json().user_id;
    for (const key of [w.otherKey, w.prodKey]) {
      const res = await call('GET', `/v2/user/${id}`, key);
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'user_not_found');
      assert.equal((await call('GET', '/v2/user/resolve/mine', key)).statusCode, 404);
    }
    const missing = await call('POST', '/v2/user', w.key, {});
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail[0].loc, ['body', 'client_user_id']);
    assert.equal(missing.json().detail[0].type, 'missing');
    const wrongType = await call('POST', '/v2/user', w.key, { client_user_id: 5 });
    assert.equal(wrongType.json().detail[0].type, 'string_type');
    const badId = await call('GET', '/v2/user/nope', w.key);
    assert.deepEqual(badId.json().detail[0].loc, ['path', 'user_id']);
    const badPage = await call('GET', '/v2/user?limit=abc', w.key);
    assert.equal(badPage.json().detail[0].type, 'int_parsing');
    assert.equal((await t.request({ method: 'GET', url: '/v2/user' })).statusCode, 401);
  });

  it('limits sandbox teams to 50 users', async () => {
    const w = await world();
    await t.database.db
      .insertInto('users')
      .values(
        Array.from({ length: 50 }, (_, i) => ({
          id: crypto.randomUUID(),
          team_id: w.team.id,
          env: 'sandbox',
          client_user_id: `bulk-${i}`,
          fallback_time_zone: 'null',
          fallback_birth_date: 'null',
        })),
      )
      .execute();
    const res = await call('POST', '/v2/user', w.key, { client_user_id: 'one-too-many' });
    assert.equal(res.statusCode, 400);
    assert.equal((await call('POST', '/v2/user', w.prodKey, { client_user_id: 'prod-ok' })).statusCode, 200);
  });
});
