// A team ready to order: org, US team with sandbox and production keys, a user and lab tests of two labs,
// set up directly in the database (lab accounts are added per test).
import { randomUUID } from 'node:crypto';
import { type SeedLabAccount, seedLabAccount, seedOrg, seedTeam, seedTeamKey } from './fixtures.js';
import type { TestApp } from './test-app.js';

export async function orderWorld(t: TestApp, options: { region?: 'us' | 'eu'; minorOrdering?: boolean } = {}) {
  const db = t.database.db;
  const region = options.region ?? 'us';
  const org = await seedOrg(db);
  const team = await seedTeam(db, org.id, { region, settings: { minor_ordering_enabled: options.minorOrdering ?? false } });
  const other = await seedTeam(db, org.id, { region });
  const key = (await seedTeamKey(db, team, 'sandbox')).key;
  const prodKey = (await seedTeamKey(db, team, 'production')).key;
  const otherKey = (await seedTeamKey(db, other, 'sandbox')).key;
  const op = { 'x-operator-key': t.operatorKey };
  const labTest = async (lab: string, method = 'walk_in_test', env = 'sandbox') =>
    (
      await t.request({
        method: 'POST',
        url: '/operator/v1/lab_tests',
        headers: op,
        payload: {
          env,
          region,
          lab,
          name: `Panel ${randomUUID().slice(0, 8)}`,
          method,
          sample_type: 'serum',
          price: 12,
          markers: [{ name: 'LDL Cholesterol', slug: `ldl-${randomUUID().slice(0, 6)}`, provider_id: randomUUID().slice(0, 6) }],
        },
      })
    ).json();
  const user = async (key_: string) =>
    (
      await t.request({ method: 'POST', url: '/v2/user', headers: { 'x-vital-api-key': key_ }, payload: { client_user_id: randomUUID() } })
    ).json().user_id as string;
  const quest = await labTest('quest');
  const questKit = await labTest('quest', 'testkit');
  const labcorp = await labTest('labcorp');
  const questProd = await labTest('quest', 'walk_in_test', 'production');
  const userId = await user(key);
  const prodUserId = await user(prodKey);
  const account = (extra: Partial<SeedLabAccount> = {}) =>
    seedLabAccount(db, {
      orgId: org.id,
      region,
      lab: 'quest',
      allowedBilling: { client_bill: ['CA', 'NY'] },
      teamIds: [team.id],
      ...extra,
    });
  const body = (extra: Record<string, unknown> = {}) => ({
    user_id: userId,
    order_set: { lab_test_ids: [quest.id] },
    collection_method: 'walk_in_test',
    patient_details: {
      first_name: 'Ada',
      last_name: 'Lovelace',
      dob: '1980-05-06',
      gender: 'female',
      phone_number: '+15555550100',
      email: 'ada@example.com',
    },
    patient_address: { first_line: '1 Main St', city: 'Los Angeles', state: 'CA', zip: '90001', country: 'US' },
    ...extra,
  });
  const post = (payload: unknown, key_ = key, url = '/v3/order', headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url, headers: { 'x-vital-api-key': key_, ...headers }, payload: payload as object });
  return { org, team, other, key, prodKey, otherKey, quest, questKit, labcorp, questProd, userId, prodUserId, account, body, post, region };
}
