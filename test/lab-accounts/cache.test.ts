// The lab-account cache's own guarantees, on both backends: a load that was in flight when an invalidation
// happened is neither stored nor joined by later callers, so a change is never hidden behind a stale entry.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedLabAccount, seedOrg } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('lab-account cache', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('does not store or share a load that raced an invalidation', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const account = await seedLabAccount(db, { orgId: org.id });
    const cache = t.app.labAccountCache;
    const statusOf = async (load: Promise<readonly { id: string; status: string }[]>) =>
      (await load).find((a) => a.id === account.id)?.status;

    const racing = cache.cell(org.id, 'sandbox', 'us');
    // A writer commits and evicts while that load is in flight (the write is made behind the cache's back here,
    // so only the invalidation tells it).
    cache.invalidate(org.id);
    await db.updateTable('lab_accounts').set({ status: 'suspended' }).where('id', '=', account.id).execute();
    const joined = cache.cell(org.id, 'sandbox', 'us');
    await racing;
    assert.equal(await statusOf(joined), 'suspended', 'a caller after the invalidation gets neither the older load nor its result');
    assert.equal(await statusOf(cache.cell(org.id, 'sandbox', 'us')), 'suspended', 'the older load was not stored later either');

    // Without an invalidation, an entry is served as stored (the cache is doing its job).
    await db.updateTable('lab_accounts').set({ status: 'active' }).where('id', '=', account.id).execute();
    assert.equal(await statusOf(cache.cell(org.id, 'sandbox', 'us')), 'suspended');
    cache.invalidate(org.id);
    assert.equal(await statusOf(cache.cell(org.id, 'sandbox', 'us')), 'active');
  });
});
