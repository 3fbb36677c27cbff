// One ready-to-order tenant built through the public APIs (operator, Management, Team), for the race and
// crash suites: an org with an org_admin key, a US team with a team key, a linked active Quest account,
// a lab test and a user, all in one environment.
import { randomBytes } from 'node:crypto';
import { authHeaders, isRouterNotFound, type KeyModel, type Send } from './api-client.js';
import { ADDRESS, type EnvName, PATIENT } from './world.js';

export interface OrderingTenant {
  env: EnvName;
  orgId: string;
  admin: KeyModel;
  teamId: string;
  teamKey: KeyModel;
  accountId: string;
  providerAccountId: string;
  labTestId: string;
  userId: string;
  /** Links another active Quest account to the team (returns its id and number). */
  addAccount(): Promise<{ id: string; providerAccountId: string }>;
  /** A create-order body for this tenant's user and test on `accountId`. */
  orderBody(accountId: string, overrides?: Record<string, unknown>): Record<string, unknown>;
}

export class MissingRouteError extends Error {}

/** Builds the tenant; throws naming the first call that failed (a missing route says so). */
export async function setUpOrderingTenant(send: Send, operatorKey: string, env: EnvName = 'production'): Promise<OrderingTenant> {
  const operator: KeyModel = { kind: 'operator', label: 'operator', secret: operatorKey };
  const call = async (key: KeyModel, method: string, url: string, body?: unknown): Promise<any> => {
    const res = await send({ method, url, headers: authHeaders(key), body });
    if (isRouterNotFound(res)) throw new MissingRouteError(`${method} ${url} is not routed (the route does not exist yet)`);
    if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${res.text.slice(0, 300)}`);
    return res.json;
  };
  const tag = randomBytes(3).toString('hex');
  const org = await call(operator, 'POST', '/operator/v1/orgs', { name: `Race Org ${tag}` });
  const mg = await call(operator, 'POST', `/operator/v1/orgs/${org.id}/management_keys`, { label: 'race', role: 'org_admin' });
  const admin: KeyModel = { kind: 'org_admin', label: 'org_admin', secret: mg.key, id: mg.id, orgId: org.id };
  const team = await call(admin, 'POST', `/v1/org/${org.id}/team`, { name: `Race Team ${tag}`, region: 'us' });
  const key = await call(admin, 'POST', `/v1/org/${org.id}/team_api_keys/${env}/us`, { label: 'race', team_id: team.id });
  const teamKey: KeyModel = {
    kind: 'team_key',
    label: `team key ${env}/us`,
    secret: key.value,
    id: key.id,
    orgId: org.id,
    teamId: team.id,
    env,
    region: 'us',
  };
  const addAccount = async (): Promise<{ id: string; providerAccountId: string }> => {
    const providerAccountId = `RACE${randomBytes(5).toString('hex').toUpperCase()}`;
    const account = await call(operator, 'POST', '/operator/v1/lab_accounts', {
      org_id: org.id,
      env,
      region: 'us',
      lab: 'quest',
      status: 'active',
      delegated_flow: 'not_delegated',
      provider_account_id: providerAccountId,
      account_name: `Race Quest ${providerAccountId}`,
      allowed_billing: { client_bill: ['CA', 'NY'] },
      team_id_allowlist: [team.id],
    });
    return { id: account.id, providerAccountId };
  };
  const first = await addAccount();
  const labTest = await call(operator, 'POST', '/operator/v1/lab_tests', {
    env,
    region: 'us',
    lab: 'quest',
    name: `Race Panel ${tag}`,
    method: 'walk_in_test',
    sample_type: 'serum',
    price: 12,
    markers: [{ name: 'Glucose', slug: `glucose-${tag}` }],
  });
  const user = await call(teamKey, 'POST', '/v2/user', { client_user_id: `race-${tag}` });
  return {
    env,
    orgId: org.id,
    admin,
    teamId: team.id,
    teamKey,
    accountId: first.id,
    providerAccountId: first.providerAccountId,
    labTestId: labTest.id,
    userId: user.user_id,
    addAccount,
    orderBody: (accountId, overrides = {}) => ({
      user_id: user.user_id,
      order_set: { lab_test_ids: [labTest.id] },
      collection_method: 'walk_in_test',
      patient_details: PATIENT,
      patient_address: ADDRESS,
      lab_account_id: accountId,
      ...overrides,
    }),
  };
}
