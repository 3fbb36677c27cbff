// Demo data for a first start (CONTRACT.md): an org with US and EU teams, lab accounts in every status and
// delegation mode, two active Quest accounts linked to one team with billing that differs by state, platform
// accounts, a small catalogue, users, an order and keys for every kind of caller. It is created through the
// public API (in-process), so it exercises the same rules as any client; keys are printed once and saved to
// <data dir>/demo-keys.json (mode 0600).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { OPERATOR_KEY_PREFIX } from '../modules/auth/authenticate.js';
import { newKeyMaterial } from '../modules/auth/key-material.js';

export const DEMO_ORG_NAME = 'Demo Health';

export interface DemoOptions {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  baseUrl: string;
  /** Where the summary goes; defaults to standard output (never the logger). */
  print?: (text: string) => void;
}

export interface DemoKeys {
  dashboard_url: string;
  org_id: string;
  management_keys: { org_admin: string; team_admin: string };
  teams: Record<string, { id: string; region: string; sandbox_key?: string; production_key?: string }>;
}

// biome-ignore lint/suspicious/noExplicitAny: the seeder reads whichever fields each answer has
type Caller = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, body?: unknown) => Promise<any>;

function caller(app: FastifyInstance): Caller {
  return async (method, url, headers, body) => {
    const res = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    if (res.statusCode >= 300) throw new Error(`demo seed: ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json();
  };
}

/** True when the demo org already exists (later starts reuse the data and print nothing). */
async function alreadySeeded(database: DatabaseHandle): Promise<boolean> {
  const row = await database.db.selectFrom('orgs').select('id').where('name', '=', DEMO_ORG_NAME).executeTakeFirst();
  return Boolean(row);
}

const PATIENTS = [
  { first_name: 'Maya', last_name: 'Chen', dob: '1986-04-12', gender: 'female', state: 'CA', city: 'San Francisco', zip: '94110' },
  { first_name: 'Jordan', last_name: 'Ellis', dob: '1979-09-30', gender: 'male', state: 'NY', city: 'New York', zip: '10001' },
  { first_name: 'Priya', last_name: 'Raman', dob: '1992-01-22', gender: 'female', state: 'TX', city: 'Austin', zip: '73301' },
];

const CATALOGUE = [
  {
    name: 'Lipid Panel',
    sample_type: 'serum',
    price: 29,
    fasting: true,
    markers: [
      ['Total Cholesterol', 'total-cholesterol', 'mg/dL'],
      ['LDL Cholesterol', 'ldl', 'mg/dL'],
      ['HDL Cholesterol', 'hdl', 'mg/dL'],
      ['Triglycerides', 'triglycerides', 'mg/dL'],
    ],
  },
  {
    name: 'Comprehensive Metabolic Panel',
    sample_type: 'serum',
    price: 39,
    fasting: true,
    markers: [
      ['Glucose', 'glucose', 'mg/dL'],
      ['Sodium', 'sodium', 'mmol/L'],
      ['Potassium', 'potassium', 'mmol/L'],
      ['Creatinine', 'creatinine', 'mg/dL'],
      ['ALT', 'alt', 'U/L'],
    ],
  },
  { name: 'Hemoglobin A1c', sample_type: 'serum', price: 19, fasting: false, markers: [['Hemoglobin A1c', 'hba1c', '%']] },
] as const;

/** Seeds the demo on first start; returns the keys written, or null when the demo already exists. */
export async function seedDemoOnFirstStart(options: DemoOptions): Promise<DemoKeys | null> {
  if (await alreadySeeded(options.database)) return null;
  // A short-lived operator key, removed afterwards: the configured or generated one is never needed here.
  const material = newKeyMaterial(OPERATOR_KEY_PREFIX);
  const keyId = randomUUID();
  await options.database.db
    .insertInto('operator_keys')
    .values({ id: keyId, label: 'demo seeding', salt: material.salt, key_hash: material.hash })
    .execute();
  try {
    const keys = await seed(caller(options.app), { 'x-operator-key': material.key }, options.baseUrl);
    const dir = resolve(options.config.dataDir);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'demo-keys.json');
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    (options.print ?? ((text) => process.stdout.write(text)))(summary(keys, file));
    return keys;
  } finally {
    await options.database.db.deleteFrom('operator_keys').where('id', '=', keyId).execute();
  }
}

async function seed(call: Caller, op: Record<string, string>, baseUrl: string): Promise<DemoKeys> {
  const org = await call('POST', '/operator/v1/orgs', op, { name: DEMO_ORG_NAME });
  const admin = await call('POST', `/operator/v1/orgs/${org.id}/management_keys`, op, { label: 'Demo org admin', role: 'org_admin' });
  const mg = { 'x-management-key': admin.key };
  const primary = await call('POST', `/v1/org/${org.id}/team`, mg, { name: 'US Primary Care', region: 'us', minor_ordering_enabled: true });
  const longevity = await call('POST', `/v1/org/${org.id}/team`, mg, { name: 'US Longevity', region: 'us' });
  const eu = await call('POST', `/v1/org/${org.id}/team`, mg, { name: 'EU Clinic', region: 'eu' });
  const teamAdmin = await call('POST', `/operator/v1/orgs/${org.id}/management_keys`, op, {
    label: 'Demo team admin (US Primary Care)',
    role: 'team_admin',
    team_role_bindings: [{ team_id: primary.id }],
  });
  const teamKey = async (team: { id: string }, env: string, region: string) =>
    (await call('POST', `/v1/org/${org.id}/team_api_keys/${env}/${region}`, mg, { label: `Demo ${env}`, team_id: team.id }))
      .value as string;

  // Catalogue: three panels per lab in the US cells, Quest only in EU sandbox.
  for (const [env, region, labs] of [
    ['sandbox', 'us', ['quest', 'labcorp', 'bioreference', 'sonora_quest']],
    ['production', 'us', ['quest', 'labcorp']],
    ['sandbox', 'eu', ['quest']],
  ] as const) {
    for (const lab of labs) {
      for (const test of CATALOGUE) {
        await call('POST', '/operator/v1/lab_tests', op, {
          env,
          region,
          lab,
          name: test.name,
          method: 'walk_in_test',
          sample_type: test.sample_type,
          price: test.price,
          fasting: test.fasting,
          markers: test.markers.map(([name, slug, unit]) => ({ name, slug, unit })),
        });
      }
    }
  }

  const account = (body: Record<string, unknown>) =>
    call('POST', '/operator/v1/lab_accounts', op, { env: 'sandbox', region: 'us', ...body });
  // Two active Quest accounts on one team, with billing that differs by state: NY orders need an explicit choice.
  await account({
    org_id: org.id,
    lab: 'quest',
    status: 'active',
    delegated_flow: 'not_delegated',
    provider_account_id: 'QW-10020',
    account_name: 'Demo Quest — West',
    default_clinical_notes: 'Patient prefers morning draws.',
    allowed_billing: { client_bill: ['CA', 'NY', 'WA', 'OR'], commercial_insurance: ['CA'] },
    team_id_allowlist: [primary.id],
  });
  await account({
    org_id: org.id,
    lab: 'quest',
    status: 'active',
    delegated_flow: 'order_delegated',
    provider_account_id: 'QE-20040',
    account_name: 'Demo Quest — East',
    allowed_billing: { client_bill: ['TX', 'FL', 'NY'], patient_bill: ['TX', 'FL'] },
    team_id_allowlist: [primary.id],
  });
  await account({
    org_id: org.id,
    lab: 'labcorp',
    status: 'suspended',
    delegated_flow: 'fully_delegated',
    provider_account_id: 'LC-30060',
    account_name: 'Demo Labcorp (suspended)',
    allowed_billing: { client_bill: ['CA', 'NY', 'TX'] },
    team_id_allowlist: [primary.id],
  });
  await account({
    org_id: org.id,
    lab: 'bioreference',
    status: 'pending',
    delegated_flow: 'result_delegated',
    provider_account_id: 'BR-40080',
    account_name: 'Demo BioReference (onboarding)',
    allowed_billing: { patient_bill_passthrough: ['NY', 'NJ'] },
    team_id_allowlist: [longevity.id],
  });
  await account({
    org_id: org.id,
    lab: 'sonora_quest',
    status: 'ready_to_launch',
    delegated_flow: 'not_delegated',
    provider_account_id: 'SQ-50010',
    account_name: 'Demo Sonora Quest (certified)',
    allowed_billing: { client_bill: ['AZ'] },
    team_id_allowlist: [longevity.id],
  });
  await account({
    org_id: org.id,
    env: 'production',
    lab: 'quest',
    status: 'active',
    delegated_flow: 'not_delegated',
    provider_account_id: 'QP-60030',
    account_name: 'Demo Quest — Production',
    allowed_billing: { client_bill: ['CA', 'NY', 'TX'] },
    team_id_allowlist: [primary.id],
  });
  await account({
    org_id: org.id,
    region: 'eu',
    lab: 'quest',
    status: 'active',
    delegated_flow: 'not_delegated',
    provider_account_id: 'QEU-70050',
    account_name: 'Demo Quest EU',
    allowed_billing: { client_bill: [] },
    team_id_allowlist: [eu.id],
  });
  // Platform accounts: used by teams with nothing linked for the lab (US Longevity for Quest and Labcorp).
  for (const [lab, number] of [
    ['quest', 'PLAT-Q-1'],
    ['labcorp', 'PLAT-L-1'],
    ['bioreference', 'PLAT-B-1'],
  ] as const) {
    await account({
      org_id: null,
      lab,
      status: 'active',
      delegated_flow: 'not_delegated',
      provider_account_id: number,
      account_name: `Platform ${lab}`,
      allowed_billing: { client_bill: ['CA', 'NY', 'TX', 'FL', 'WA'] },
    });
  }

  const primarySandbox = await teamKey(primary, 'sandbox', 'us');
  const primaryProduction = await teamKey(primary, 'production', 'us');
  const longevitySandbox = await teamKey(longevity, 'sandbox', 'us');
  const euSandbox = await teamKey(eu, 'sandbox', 'eu');

  const team = { 'x-vital-api-key': primarySandbox };
  const tests = await call('GET', '/v3/lab_tests?lab_slug=quest', team, undefined);
  for (const [i, p] of PATIENTS.entries()) {
    const user = await call('POST', '/v2/user', team, { client_user_id: `demo-patient-${i + 1}` });
    if (i === 0) {
      await call('POST', '/v3/order', team, {
        user_id: user.user_id,
        order_set: { lab_test_ids: [tests[0].id] },
        collection_method: 'walk_in_test',
        clinical_notes: 'Annual check-up',
        patient_details: {
          first_name: p.first_name,
          last_name: p.last_name,
          dob: p.dob,
          gender: p.gender,
          phone_number: '+14155550100',
          email: 'maya.chen@example.com',
        },
        patient_address: { first_line: '500 Valencia St', city: p.city, state: p.state, zip: p.zip, country: 'US' },
      });
    }
  }
  await call('POST', '/v2/user', { 'x-vital-api-key': euSandbox }, { client_user_id: 'demo-eu-patient-1' });

  return {
    dashboard_url: `${baseUrl}/dashboard`,
    org_id: org.id,
    management_keys: { org_admin: admin.key, team_admin: teamAdmin.key },
    teams: {
      'US Primary Care': { id: primary.id, region: 'us', sandbox_key: primarySandbox, production_key: primaryProduction },
      'US Longevity': { id: longevity.id, region: 'us', sandbox_key: longevitySandbox },
      'EU Clinic': { id: eu.id, region: 'eu', sandbox_key: euSandbox },
    },
  };
}

function summary(keys: DemoKeys, file: string): string {
  const lines = [
    '',
    'Labroute demo data created (shown once; also saved to ' + file + ', mode 0600):',
    `  Dashboard:                      ${keys.dashboard_url}`,
    `  Org "${DEMO_ORG_NAME}":              ${keys.org_id}`,
    `  Management key (org_admin):     ${keys.management_keys.org_admin}`,
    `  Management key (team_admin):    ${keys.management_keys.team_admin}`,
    ...Object.entries(keys.teams).flatMap(([name, team]) => [
      `  ${name} (${team.region}) sandbox key:${' '.repeat(Math.max(1, 18 - name.length))}${team.sandbox_key}`,
      ...(team.production_key
        ? [`  ${name} (${team.region}) production key:${' '.repeat(Math.max(1, 15 - name.length))}${team.production_key}`]
        : []),
    ]),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
