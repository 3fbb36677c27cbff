// Random tenants for the isolation suite, built only through the public APIs (operator, Management and
// Team API): orgs, teams in both regions, management keys of both roles, team keys and access tokens, org
// and platform lab accounts, lab tests, users, orders and unmatched results. The world's shape comes from
// fast-check; the model kept here is what the oracle reasons about.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  type ApiResponse,
  authHeaders,
  isRouterNotFound,
  type KeyModel,
  type ManagementCaller,
  type Send,
  type TeamCaller,
} from './api-client.js';

export type EnvName = 'sandbox' | 'production';
export type RegionName = 'us' | 'eu';
export interface Cell {
  env: EnvName;
  region: RegionName;
}

export const CELLS: readonly Cell[] = [
  { env: 'sandbox', region: 'us' },
  { env: 'production', region: 'us' },
  { env: 'sandbox', region: 'eu' },
  { env: 'production', region: 'eu' },
];
/** Three labs are enough to have several accounts of one lab and accounts of different labs in a cell. */
export const WORLD_LABS = ['quest', 'labcorp', 'bioreference'] as const;
const ACCOUNT_STATUSES = ['active', 'active', 'active', 'suspended', 'pending', 'ready_to_launch'] as const;

export interface OrgModel {
  id: string;
  name: string;
  adminKey: ManagementCaller;
}
export interface TeamModel {
  id: string;
  orgId: string;
  region: RegionName;
  name: string;
}
export interface AccountModel {
  id: string;
  orgId: string | null;
  env: EnvName;
  region: RegionName;
  lab: string;
  status: string;
  providerAccountId: string;
  allowlist: string[];
}
export interface LabTestModel {
  id: string;
  env: EnvName;
  region: RegionName;
  lab: string;
}
export interface UserModel {
  id: string;
  clientUserId: string;
  orgId: string;
  teamId: string;
  env: EnvName;
  region: RegionName;
}
export interface OrderModel {
  id: string;
  orgId: string;
  teamId: string;
  env: EnvName;
  region: RegionName;
  userId: string;
  accountId: string;
}
export interface ManagementKeyModel {
  id: string;
  orgId: string;
  role: 'org_admin' | 'team_admin';
  teamIds: string[];
  label: string;
}
export interface TeamKeyModel {
  id: string;
  orgId: string;
  teamId: string;
  env: EnvName;
  region: RegionName;
}
/** A queued result: visible to one team, to the teams linked to one account, or to the operator only. */
export interface UnmatchedModel {
  id: string;
  env: EnvName;
  region: RegionName;
  visibleTeamId: string | null;
  visibleAccountId: string | null;
}

export interface World {
  orgs: OrgModel[];
  teams: TeamModel[];
  accounts: AccountModel[];
  labTests: LabTestModel[];
  users: UserModel[];
  orders: OrderModel[];
  managementKeys: ManagementKeyModel[];
  teamKeys: TeamKeyModel[];
  unmatched: UnmatchedModel[];
  keys: KeyModel[];
  /** `METHOD path` of public routes the set-up needed and the router did not know. */
  missingRoutes: Set<string>;
  /** Set-up calls that failed otherwise (status and body), each a failure of the suite. */
  setupFailures: string[];
  /** Requests made to build the world. */
  requests: number;
}

/** The random part of a world. */
export interface WorldShape {
  orgs: {
    teamRegions: RegionName[];
    /** Per team_admin key, one flag per team (by index) saying whether it is bound. */
    teamAdminBindings: boolean[][];
    accounts: { cell: number; lab: string; status: string; links: boolean[] }[];
  }[];
  platform: { cell: number; lab: string }[];
  sharedClientUserIds: boolean;
  afterOrders: { org: number; account: number; action: 'unlink' | 'suspend' | 'relink' }[];
}

/**
 * Every org gets a US team and an active, linked Quest account in sandbox/us besides its random ones, so
 * that every world has cross-org neighbours in one cell (results quoting another org's order, platform
 * accounts shadowed or not); the rest is random.
 */
export const worldShape: fc.Arbitrary<WorldShape> = fc.record({
  orgs: fc.array(
    fc.record({
      teamRegions: fc
        .array(fc.constantFrom<RegionName>('us', 'eu'), { minLength: 0, maxLength: 2 })
        .map((rest): RegionName[] => ['us', ...rest]),
      teamAdminBindings: fc.array(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
      accounts: fc
        .array(
          fc.record({
            cell: fc.nat({ max: 3 }),
            lab: fc.constantFrom(...WORLD_LABS),
            status: fc.constantFrom(...ACCOUNT_STATUSES),
            links: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
          }),
          { minLength: 0, maxLength: 3 },
        )
        .map((rest) => [{ cell: 0, lab: 'quest', status: 'active', links: [true, false, false] }, ...rest]),
    }),
    { minLength: 2, maxLength: 3 },
  ),
  platform: fc.uniqueArray(fc.record({ cell: fc.nat({ max: 3 }), lab: fc.constantFrom(...WORLD_LABS) }), {
    selector: (p) => `${p.cell}/${p.lab}`,
    maxLength: 4,
  }),
  sharedClientUserIds: fc.boolean(),
  afterOrders: fc.array(
    fc.record({
      org: fc.nat({ max: 2 }),
      account: fc.nat({ max: 3 }),
      action: fc.constantFrom<'unlink' | 'suspend' | 'relink'>('unlink', 'suspend', 'relink'),
    }),
    { maxLength: 3 },
  ),
});

const tag = (): string => randomBytes(3).toString('hex');

export const PATIENT = {
  first_name: 'Isolde',
  last_name: 'Probe',
  dob: '1980-01-02',
  gender: 'female',
  phone_number: '+15555550100',
  email: 'isolde@example.com',
};
export const ADDRESS = { first_line: '1 Main St', city: 'Los Angeles', state: 'CA', zip: '90001', country: 'US' };

/** Builds a world of the given shape; never throws on API failures, it records them. */
export async function buildWorld(send: Send, operatorKey: string, shape: WorldShape): Promise<World> {
  const world: World = {
    orgs: [],
    teams: [],
    accounts: [],
    labTests: [],
    users: [],
    orders: [],
    managementKeys: [],
    teamKeys: [],
    unmatched: [],
    keys: [{ kind: 'operator', label: 'operator', secret: operatorKey }],
    missingRoutes: new Set(),
    setupFailures: [],
    requests: 0,
  };
  const operator = world.keys[0];

  /** Calls the API; returns the JSON body on `expect`, else records why and returns null. */
  async function call(key: KeyModel, method: string, path: string, routeLabel: string, body?: unknown, expect = [200, 201]): Promise<any> {
    world.requests += 1;
    let res: ApiResponse;
    try {
      res = await send({ method, url: path, headers: authHeaders(key), body });
    } catch (error) {
      world.setupFailures.push(`${method} ${routeLabel}: ${String(error)}`);
      return null;
    }
    if (isRouterNotFound(res)) {
      world.missingRoutes.add(`${method} ${routeLabel}`);
      return null;
    }
    if (!expect.includes(res.status)) {
      world.setupFailures.push(`${method} ${routeLabel} → ${res.status} ${res.text.slice(0, 300)}`);
      return null;
    }
    return res.json ?? {};
  }

  // Orgs, their first org_admin key (operator API), teams and team_admin keys (Management API).
  for (const orgShape of shape.orgs) {
    const name = `Iso Org ${tag()}`;
    const org = await call(operator, 'POST', '/operator/v1/orgs', '/operator/v1/orgs', { name });
    if (!org?.id) continue;
    const admin = await call(
      operator,
      'POST',
      `/operator/v1/orgs/${org.id}/management_keys`,
      '/operator/v1/orgs/{org_id}/management_keys',
      { label: 'iso admin', role: 'org_admin' },
    );
    if (!admin?.key) continue;
    const adminKey: ManagementCaller = { kind: 'org_admin', label: `org_admin ${name}`, secret: admin.key, id: admin.id, orgId: org.id };
    world.orgs.push({ id: org.id, name, adminKey });
    world.keys.push(adminKey);
    world.managementKeys.push({ id: admin.id, orgId: org.id, role: 'org_admin', teamIds: [], label: 'iso admin' });
    const teams: TeamModel[] = [];
    for (const region of orgShape.teamRegions) {
      const teamName = `Iso Team ${tag()}`;
      const team = await call(adminKey, 'POST', `/v1/org/${org.id}/team`, '/v1/org/{org_id}/team', { name: teamName, region });
      if (team?.id) teams.push({ id: team.id, orgId: org.id, region, name: teamName });
    }
    world.teams.push(...teams);
    for (const flags of orgShape.teamAdminBindings) {
      const teamIds = teams.filter((_, i) => flags[i]).map((t) => t.id);
      const label = `iso team_admin ${tag()}`;
      const created = await call(adminKey, 'POST', `/v1/org/${org.id}/management_key`, '/v1/org/{org_id}/management_key', {
        label,
        role: 'team_admin',
        team_role_bindings: teamIds.map((team_id) => ({ team_id })),
      });
      if (!created?.key) continue;
      world.keys.push({
        kind: 'team_admin',
        label: `team_admin of ${teamIds.length} team(s)`,
        secret: created.key,
        id: created.id,
        orgId: org.id,
        teamIds,
      });
      world.managementKeys.push({ id: created.id, orgId: org.id, role: 'team_admin', teamIds, label });
    }
    // Team keys in both environments, and access tokens (one minted by the org admin, one by a bound team_admin).
    for (const team of teams) {
      for (const env of ['sandbox', 'production'] as const) {
        const created = await call(
          adminKey,
          'POST',
          `/v1/org/${org.id}/team_api_keys/${env}/${team.region}`,
          '/v1/org/{org_id}/team_api_keys/{env}/{region}',
          { label: `iso ${env}`, team_id: team.id },
        );
        if (!created?.value) continue;
        world.keys.push({
          kind: 'team_key',
          label: `team key ${env}/${team.region}`,
          secret: created.value,
          id: created.id,
          orgId: org.id,
          teamId: team.id,
          env,
          region: team.region,
        });
        world.teamKeys.push({ id: created.id, orgId: org.id, teamId: team.id, env, region: team.region });
      }
      const env: EnvName = Math.random() < 0.5 ? 'sandbox' : 'production';
      const binder = world.keys.find(
        (k): k is Extract<KeyModel, { kind: 'team_admin' }> => k.kind === 'team_admin' && k.teamIds.includes(team.id),
      );
      const minter = binder ?? adminKey;
      const token = await call(
        minter,
        'POST',
        `/v1/org/${org.id}/team/${team.id}/create_api_access_token`,
        '/v1/org/{org_id}/team/{team_id}/create_api_access_token',
        { env },
      );
      if (token?.access_token) {
        world.keys.push({
          kind: 'access_token',
          label: `access token ${env}/${team.region} by ${minter.kind}`,
          secret: token.access_token,
          orgId: org.id,
          teamId: team.id,
          env,
          region: team.region,
        });
      }
    }
  }

  // Lab accounts (operator API): org accounts linked to same-org, same-region teams; platform accounts.
  for (const [orgIndex, orgShape] of shape.orgs.entries()) {
    const org = world.orgs[orgIndex];
    if (!org) continue;
    for (const accountShape of orgShape.accounts) {
      const cell = CELLS[accountShape.cell];
      const sameRegion = world.teams.filter((t) => t.orgId === org.id && t.region === cell.region);
      const allowlist = sameRegion.filter((_, i) => accountShape.links[i]).map((t) => t.id);
      const account = await createAccount(org.id, cell, accountShape.lab, accountShape.status, allowlist);
      if (account) world.accounts.push(account);
    }
  }
  for (const p of shape.platform) {
    const account = await createAccount(null, CELLS[p.cell], p.lab, 'active', []);
    if (account) world.accounts.push(account);
  }

  async function createAccount(
    orgId: string | null,
    cell: Cell,
    lab: string,
    status: string,
    allowlist: string[],
  ): Promise<AccountModel | null> {
    const providerAccountId = `ISO${randomBytes(5).toString('hex').toUpperCase()}`;
    const created = await call(operator, 'POST', '/operator/v1/lab_accounts', '/operator/v1/lab_accounts', {
      org_id: orgId,
      env: cell.env,
      region: cell.region,
      lab,
      status,
      delegated_flow: 'not_delegated',
      provider_account_id: providerAccountId,
      account_name: `Iso ${lab} ${tag()}`,
      allowed_billing: { client_bill: cell.region === 'us' ? ['CA', 'NY'] : [] },
      team_id_allowlist: allowlist,
    });
    if (!created?.id) return null;
    return { id: created.id, orgId, env: cell.env, region: cell.region, lab, status, providerAccountId, allowlist: [...allowlist] };
  }

  // One walk-in test per (cell, lab), so every team can name a test of every lab in its own cell.
  for (const cell of CELLS) {
    for (const lab of WORLD_LABS) {
      const created = await call(operator, 'POST', '/operator/v1/lab_tests', '/operator/v1/lab_tests', {
        env: cell.env,
        region: cell.region,
        lab,
        name: `Iso Panel ${lab} ${tag()}`,
        method: 'walk_in_test',
        sample_type: 'serum',
        price: 10,
        markers: [{ name: 'Glucose', slug: `glucose-${tag()}` }],
      });
      if (created?.id) world.labTests.push({ id: created.id, env: cell.env, region: cell.region, lab });
    }
  }

  // Users: one per (team, env) through that team's key; optionally all sharing one client_user_id.
  const sharedId = `iso-shared-${tag()}`;
  for (const key of world.keys) {
    if (key.kind !== 'team_key') continue;
    const clientUserId = shape.sharedClientUserIds ? sharedId : `iso-${tag()}`;
    const created = await call(key, 'POST', '/v2/user', '/v2/user', { client_user_id: clientUserId });
    if (created?.user_id) {
      world.users.push({ id: created.user_id, clientUserId, orgId: key.orgId, teamId: key.teamId, env: key.env, region: key.region });
    }
  }

  // Orders: each linked team orders once on every active account of its cells (explicit), and once per
  // usable platform account (resolution omitted → platform_default).
  for (const key of world.keys) {
    if (key.kind !== 'team_key') continue;
    const user = world.users.find((u) => u.teamId === key.teamId && u.env === key.env);
    if (!user) continue;
    const linked = world.accounts.filter(
      (a) => a.orgId === key.orgId && a.env === key.env && a.region === key.region && a.allowlist.includes(key.teamId),
    );
    for (const account of linked.filter((a) => a.status === 'active')) {
      await placeOrder(key, user, account, true);
    }
    for (const platform of world.accounts.filter((a) => a.orgId === null && a.env === key.env && a.region === key.region)) {
      if (linked.some((a) => a.lab === platform.lab)) continue;
      await placeOrder(key, user, platform, false);
    }
  }

  async function placeOrder(key: TeamCaller, user: UserModel, account: AccountModel, explicit: boolean): Promise<void> {
    const labTest = world.labTests.find((t) => t.env === account.env && t.region === account.region && t.lab === account.lab);
    if (!labTest) return;
    const body: Record<string, unknown> = {
      user_id: user.id,
      order_set: { lab_test_ids: [labTest.id] },
      collection_method: 'walk_in_test',
      patient_details: PATIENT,
      patient_address: ADDRESS,
    };
    if (explicit) body.lab_account_id = account.id;
    const created = await call(key, 'POST', '/v3/order', '/v3/order', body);
    const order = created?.order;
    if (!order?.id) return;
    world.orders.push({
      id: order.id,
      orgId: key.orgId,
      teamId: key.teamId,
      env: key.env,
      region: key.region,
      userId: user.id,
      accountId: account.id,
    });
  }

  // Unmatched results (operator API, acting for a lab): quoting an order under another account's number of
  // the same org (→ that order's team), of another org (→ teams linked to that account), or under a number
  // nobody has (→ operator only).
  for (const order of world.orders) {
    if (world.unmatched.filter((u) => u.env === order.env && u.region === order.region).length >= 3) continue;
    const inCell = world.accounts.filter(
      (a) => a.env === order.env && a.region === order.region && a.orgId !== null && a.id !== order.accountId,
    );
    const sameOrg = inCell.find((a) => a.orgId === order.orgId);
    const otherOrg = inCell.find((a) => a.orgId !== order.orgId);
    const deliveries: { lab: string; number: string; visibleTeamId: string | null; visibleAccountId: string | null }[] = [
      { lab: 'quest', number: `NOBODY${tag()}`, visibleTeamId: null, visibleAccountId: null },
    ];
    if (sameOrg)
      deliveries.push({ lab: sameOrg.lab, number: sameOrg.providerAccountId, visibleTeamId: order.teamId, visibleAccountId: null });
    if (otherOrg)
      deliveries.push({ lab: otherOrg.lab, number: otherOrg.providerAccountId, visibleTeamId: null, visibleAccountId: otherOrg.id });
    for (const d of deliveries) {
      const out = await call(operator, 'POST', '/operator/v1/results', '/operator/v1/results', {
        env: order.env,
        region: order.region,
        lab: d.lab,
        provider_account_id: d.number,
        order_id: order.id,
        status: 'final',
        results: [{ name: 'Glucose', slug: 'glucose', result: '90', type: 'numeric', unit: 'mg/dL' }],
      });
      if (out?.unmatched_result_id) {
        world.unmatched.push({
          id: out.unmatched_result_id,
          env: order.env,
          region: order.region,
          visibleTeamId: d.visibleTeamId,
          visibleAccountId: d.visibleAccountId,
        });
      } else if (out) {
        world.setupFailures.push(
          `POST /operator/v1/results quoting order ${order.id} under a foreign number was attached: ${JSON.stringify(out)}`,
        );
      }
    }
  }

  // After orders exist: unlink, suspend or relink some accounts (orders must stay where they are).
  for (const change of shape.afterOrders) {
    const org = world.orgs[change.org % Math.max(1, world.orgs.length)];
    const accounts = world.accounts.filter((a) => org && a.orgId === org.id);
    if (!org || accounts.length === 0) continue;
    const account = accounts[change.account % accounts.length];
    const path = `/v1/org/${org.id}/lab_account/${account.env}/${account.region}/${account.id}`;
    const label = '/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}';
    if (change.action === 'unlink') {
      if (await call(org.adminKey, 'PATCH', path, label, { team_id_allowlist: [] })) account.allowlist = [];
    } else if (change.action === 'relink') {
      const all = world.teams.filter((t) => t.orgId === org.id && t.region === account.region).map((t) => t.id);
      if (await call(org.adminKey, 'PATCH', path, label, { team_id_allowlist: all })) account.allowlist = all;
    } else if (
      await call(operator, 'PATCH', `/operator/v1/lab_accounts/${account.id}`, '/operator/v1/lab_accounts/{id}', { status: 'suspended' })
    ) {
      account.status = 'suspended';
    }
  }
  return world;
}

/** A uuid nobody has: the "does not exist" side of every comparison. */
export const nobody = (): string => randomUUID();
