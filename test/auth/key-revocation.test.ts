// The principal cache: revocation is announced on commit (never on rollback) to every listener sharing the
// database, and evicts the revoked keys; a revoked key fails at once through the API.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { announceKeyRevocation, listenForKeyRevocations } from '../../src/modules/auth/key-revocation.js';
import { principalCache } from '../../src/modules/auth/principal-cache.js';
import { seedManagementKey, seedOrg, seedTeam } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('principal cache and key revocation', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('announces revocations on commit only, and listeners evict the keys', async () => {
    const heard: string[] = [];
    const stop = await t.database.subscribe('labroute_key_revoked', (payload) => heard.push(payload));
    try {
      await t.database.db
        .transaction()
        .execute(async (tx) => {
          await announceKeyRevocation(tx, ['00000000-0000-4000-8000-000000000001']);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await t.database.db
        .transaction()
        .execute(async (tx) => announceKeyRevocation(tx, ['00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003']));
      await waitFor(() => heard.length >= 1);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(heard, ['00000000-0000-4000-8000-000000000002,00000000-0000-4000-8000-000000000003']);
    } finally {
      await stop();
    }
  });

  it('evicts a cached principal when another instance announces its revocation', async () => {
    const stop = await listenForKeyRevocations(t.database);
    try {
      principalCache.set('some-secret', { kind: 'operator', keyId: '00000000-0000-4000-8000-0000000000aa' });
      assert.ok(principalCache.get('some-secret'));
      await t.database.db.transaction().execute(async (tx) => announceKeyRevocation(tx, ['00000000-0000-4000-8000-0000000000aa']));
      await waitFor(() => principalCache.get('some-secret') === undefined);
    } finally {
      await stop();
    }
  });

  it('a cached management key stops working as soon as it is deleted or re-bound', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id);
    const admin = await seedManagementKey(db, org.id, 'org_admin');
    const victim = await seedManagementKey(db, org.id, 'team_admin', [team.id]);
    const who = (key: string) => t.request({ method: 'GET', url: '/whoami', headers: { 'x-management-key': key } });
    assert.equal((await who(victim.key)).json().team_role_bindings.length, 1);
    const other = await seedTeam(db, org.id);
    const patch = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/management_key/${victim.id}`,
      headers: { 'x-management-key': admin.key },
      payload: { team_role_bindings: [{ team_id: other.id }] },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.deepEqual((await who(victim.key)).json().team_role_bindings, [{ team_id: other.id }]);
    const del = await t.request({
      method: 'DELETE',
      url: `/v1/org/${org.id}/management_key/${victim.id}`,
      headers: { 'x-management-key': admin.key },
    });
    assert.equal(del.statusCode, 200, del.body);
    assert.equal((await who(victim.key)).statusCode, 401);
  });
});
