// The lab-test catalogue: operator creation, team listing with filters and cursor paging, one test, labs,
// and narrowing to a lab account the team may use.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedLabAccount, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const rnd = () => Math.random().toString(36).slice(2, 8);

describe('lab tests', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const create = (body: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/operator/v1/lab_tests', headers: { 'x-operator-key': t.operatorKey }, payload: body });
  const test = (extra: Record<string, unknown> = {}) => ({
    env: 'sandbox',
    region: 'eu',
    lab: 'quest',
    name: `Panel ${rnd()}`,
    method: 'walk_in_test',
    sample_type: 'serum',
    price: 10,
    markers: [{ name: 'LDL Cholesterol', slug: 'ldl', unit: 'mg/dL', provider_id: '13457' }],
    ...extra,
  });

  it('creates tests with marker ids and lists them per cell with filters and cursor paging', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id, { region: 'eu' });
    const key = (await seedTeamKey(db, team, 'sandbox')).key;
    const a = await create(test({ name: `Lipid ${rnd()}`, fasting: true }));
    assert.equal(a.statusCode, 201, a.body);
    assertJunctionSchema('junction', 'ClientFacingLabTest', a.json());
    assert.equal(a.json().status, 'active');
    assert.equal(a.json().is_active, true);
    assert.equal(a.json().lab.slug, 'quest');
    assert.equal(typeof a.json().markers[0].id, 'number');
    const b = await create(test({ lab: 'labcorp', method: 'at_home_phlebotomy', price: 30 }));
    const c = await create(test({ lab: 'labcorp', price: 20 }));
    await create(test({ env: 'production' }));
    const get = (url: string) => t.request({ method: 'GET', url, headers: { 'x-vital-api-key': key } });

    const all = await get('/v3/lab_tests');
    assert.deepEqual(
      all.json().map((x: { id: string }) => x.id),
      [a.json().id, b.json().id, c.json().id],
    );
    for (const item of all.json()) assertJunctionSchema('junction', 'ClientFacingLabTest', item);
    assert.deepEqual(
      (await get('/v3/lab_tests?lab_slug=labcorp')).json().map((x: { id: string }) => x.id),
      [b.json().id, c.json().id],
    );
    assert.deepEqual(
      (await get('/v3/lab_tests?collection_method=at_home_phlebotomy')).json().map((x: { id: string }) => x.id),
      [b.json().id],
    );
    assert.deepEqual(
      (await get(`/v3/lab_tests?name=${encodeURIComponent(a.json().name.slice(0, 8).toLowerCase())}`))
        .json()
        .map((x: { id: string }) => x.id),
      [a.json().id],
    );
    assert.deepEqual(
      (await get(`/v3/lab_tests?marker_ids=${a.json().markers[0].id}`)).json().map((x: { id: string }) => x.id),
      [a.json().id],
    );
    assert.deepEqual(
      (await get('/v3/lab_tests?order_key=price&order_direction=desc')).json().map((x: { price: number }) => x.price),
      [30, 20, 10],
    );

    const first = await get('/v3/lab_test?lab_test_limit=2');
    assertJunctionSchema('junction', 'LabTestResourcesResponse', first.json());
    assert.equal(first.json().data.length, 2);
    const second = await get(`/v3/lab_test?lab_test_limit=2&next_cursor=${first.json().next_cursor}`);
    assert.deepEqual(
      second.json().data.map((x: { id: string }) => x.id),
      [c.json().id],
    );
    assert.equal(second.json().next_cursor, null);

    const one = await get(`/v3/lab_tests/${a.json().id}`);
    assert.equal(one.json().id, a.json().id);
    const labs = await get('/v3/lab_tests/labs');
    assert.equal(labs.json().length, 15);
    for (const lab of labs.json()) assertJunctionSchema('junction', 'ClientFacingLab', lab);
  });

  it('narrows to a usable lab account’s lab; an account the team may not use is 404', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id, { region: 'eu' });
    const other = await seedTeam(db, org.id, { region: 'eu' });
    const key = (await seedTeamKey(db, team, 'sandbox')).key;
    const linked = await seedLabAccount(db, { orgId: org.id, region: 'eu', lab: 'labcorp', teamIds: [team.id] });
    const unlinked = await seedLabAccount(db, { orgId: org.id, region: 'eu', lab: 'quest', teamIds: [other.id] });
    const lab = 'sonora_quest';
    const platform = await seedLabAccount(db, { orgId: null, region: 'eu', lab, providerAccountId: `P-${rnd()}` });
    const labcorpTest = await create(test({ lab: 'labcorp' }));
    const sonora = await create(test({ lab }));
    const get = (url: string) => t.request({ method: 'GET', url, headers: { 'x-vital-api-key': key } });
    const viaLinked = await get(`/v3/lab_tests?lab_account_id=${linked.id}`);
    assert.ok(viaLinked.json().every((x: { lab: { slug: string } }) => x.lab.slug === 'labcorp'));
    assert.ok(viaLinked.json().some((x: { id: string }) => x.id === labcorpTest.json().id));
    const viaPlatform = await get(`/v3/lab_test?lab_account_id=${platform.id}`);
    assert.ok(viaPlatform.json().data.some((x: { id: string }) => x.id === sonora.json().id));
    const denied = await get(`/v3/lab_tests?lab_account_id=${unlinked.id}`);
    assert.equal(denied.statusCode, 404);
    assert.equal(denied.json().code, 'lab_account_not_found');
    const mismatch = await get(`/v3/lab_tests/${sonora.json().id}?lab_account_id=${linked.id}`);
    assert.equal(mismatch.statusCode, 404);
  });

  it('hides other cells’ tests and validates input', async () => {
    const db = t.database.db;
    const org = await seedOrg(db);
    const team = await seedTeam(db, org.id, { region: 'us' });
    const key = (await seedTeamKey(db, team, 'sandbox')).key;
    const euTest = await create(test());
    const res = await t.request({ method: 'GET', url: `/v3/lab_tests/${euTest.json().id}`, headers: { 'x-vital-api-key': key } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'lab_test_not_found');
    const bad = await create(test({ method: 'teleport' }));
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['body', 'method']);
    const noMarkers = await create(test({ markers: [] }));
    assert.equal(noMarkers.json().detail[0].type, 'too_short');
    const unsupported = await create(test({ lab: 'ayumetrix', method: 'walk_in_test' }));
    assert.equal(unsupported.statusCode, 400);
    const badQuery = await t.request({ method: 'GET', url: '/v3/lab_tests?collection_method=x', headers: { 'x-vital-api-key': key } });
    assert.deepEqual(badQuery.json().detail[0].loc, ['query', 'collection_method']);
    const asTeam = await t.request({ method: 'POST', url: '/operator/v1/lab_tests', headers: { 'x-vital-api-key': key }, payload: test() });
    assert.equal(asTeam.statusCode, 401);
  });
});
