// A Labroute app listening on a loopback port, for clients that speak real HTTP (the official SDK, the
// CLI, browsers), plus set-up of a complete tenant through the public API.
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './test-app.js';

export interface ListeningApp extends TestApp {
  baseUrl: string;
}

export async function createListeningApp(env: Record<string, string> = {}): Promise<ListeningApp> {
  const t = await createTestApp(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { ...t, baseUrl: `http://127.0.0.1:${port}` };
}

async function call(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<any> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 400)}`);
  return text ? JSON.parse(text) : null;
}

/** An org with a US team, its sandbox key, a management key, one linked active Quest account and a test. */
export async function setUpTenantViaApi(baseUrl: string, operatorKey: string) {
  const op = { 'x-operator-key': operatorKey };
  const org = await call(baseUrl, 'POST', '/operator/v1/orgs', op, { name: `SDK Org ${randomUUID().slice(0, 6)}` });
  const mg = await call(baseUrl, 'POST', `/operator/v1/orgs/${org.id}/management_keys`, op, { label: 'sdk', role: 'org_admin' });
  const mgh = { 'x-management-key': mg.key };
  const team = await call(baseUrl, 'POST', `/v1/org/${org.id}/team`, mgh, { name: 'SDK Team', region: 'us' });
  const teamKey = await call(baseUrl, 'POST', `/v1/org/${org.id}/team_api_keys/sandbox/us`, mgh, { label: 'sdk', team_id: team.id });
  const account = await call(baseUrl, 'POST', '/operator/v1/lab_accounts', op, {
    org_id: org.id,
    env: 'sandbox',
    region: 'us',
    lab: 'quest',
    status: 'active',
    delegated_flow: 'not_delegated',
    provider_account_id: `SDK${randomUUID().slice(0, 8)}`,
    account_name: 'SDK Quest',
    default_clinical_notes: 'Account default note',
    allowed_billing: { client_bill: ['CA', 'NY'] },
    team_id_allowlist: [team.id],
  });
  const labTest = await call(baseUrl, 'POST', '/operator/v1/lab_tests', op, {
    env: 'sandbox',
    region: 'us',
    lab: 'quest',
    name: `Lipid Panel ${randomUUID().slice(0, 6)}`,
    method: 'walk_in_test',
    sample_type: 'serum',
    price: 25,
    markers: [
      { name: 'LDL Cholesterol', slug: 'ldl', unit: 'mg/dL' },
      { name: 'HDL Cholesterol', slug: 'hdl', unit: 'mg/dL' },
    ],
  });
  return {
    org,
    mg,
    team,
    teamKey: teamKey.value as string,
    account,
    labTest,
    call: (m: string, p: string, h: Record<string, string>, b?: unknown) => call(baseUrl, m, p, h, b),
  };
}
