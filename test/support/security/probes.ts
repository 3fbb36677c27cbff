// Isolation probes: every key against every object through every by-id route (GET/PATCH/POST/DELETE), plus
// every list as each key sees it. A denied probe must answer exactly what the same key gets for an id that
// never existed (same status, same body but for the id): a foreign object is indistinguishable from none.
import { randomUUID } from 'node:crypto';
import {
  type ApiRequest,
  type ApiResponse,
  authHeaders,
  isRouterNotFound,
  type KeyModel,
  type ManagementCaller,
  mapLimit,
  type Send,
  type TeamCaller,
} from './api-client.js';
import {
  foreignIds,
  isManagementCaller,
  isTeamCaller,
  managementSeesAccount,
  managementSeesManagementKey,
  managementSeesOrg,
  managementSeesTeam,
  managementSeesTeamKey,
  noTeamSeesUnmatched,
  ownUserByClientId,
  teamMayUseAccount,
  teamSeesLabTest,
  teamSeesLinkedAccount,
  teamSeesOrder,
  teamSeesUnmatched,
  teamSeesUser,
} from './oracle.js';
import { type AccountModel, ADDRESS, CELLS, type Cell, PATIENT, type World } from './world.js';

type Api = 'operator' | 'management' | 'team';
/** How team_admin keys may use a management route: like org_admin (scoped by bindings), never (403), or either. */
type TeamAdminRule = 'scoped' | 'forbidden' | 'either';

interface Target {
  /** The id put in the request (the real object's, or a fresh one for the baseline). */
  id: string;
  /** The org id put in the path of Management API routes. */
  pathOrg: string;
  pathCell: Cell;
}

interface Template<T> {
  route: string;
  api: Api;
  teamAdmin?: TeamAdminRule;
  /** Allowed calls would change the world: only the denied side is sent. */
  deniedOnly?: boolean;
  /** Path variants of Management API routes: the object's own org and the caller's org, and cells. */
  variants(obj: T, key: KeyModel): Omit<Target, 'id'>[];
  idOf(obj: T): string;
  request(target: Target, obj: T, key: KeyModel, world: World): ApiRequest | null;
  visible(key: KeyModel, obj: T, target: Target, world: World): boolean;
  /** Accepted answers when visible: `status` or `status:code`. */
  allowed: string[];
  /** List-filter routes: whether the answer lists the object (compared with `visible`). */
  lists?(res: ApiResponse, obj: T, key: KeyModel, world: World): boolean;
  /** Extra check of a visible answer; returns a complaint or null. */
  check?(res: ApiResponse, obj: T, key: KeyModel, world: World): string | null;
}

export interface ProbeFailure {
  kind: 'leak' | 'overblock' | 'server_error' | 'missing_route' | 'foreign_id' | 'list';
  key: string;
  route: string;
  detail: string;
}

export interface ProbeStats {
  probes: number;
  failures: ProbeFailure[];
}

const ownOrgVariants = (objOrg: string | null, key: KeyModel, cell: Cell): Omit<Target, 'id'>[] => {
  const out = [{ pathOrg: objOrg ?? randomUUID(), pathCell: cell }];
  if (isManagementCaller(key) && key.orgId !== objOrg) out.push({ pathOrg: key.orgId, pathCell: cell });
  return out;
};
const plain = (cell: Cell = CELLS[0]): Omit<Target, 'id'>[] => [{ pathOrg: '', pathCell: cell }];
const otherCell = (cell: Cell): Cell => CELLS.find((c) => c.env !== cell.env && c.region === cell.region)!;
const cellPath = (c: Cell): string => `${c.env}/${c.region}`;
const asTeam = (key: KeyModel): TeamCaller => key as TeamCaller;
const asManagement = (key: KeyModel): ManagementCaller => key as ManagementCaller;

/** A request the caller could make for its own user and a test of `lab` in its own cell (null when it has none). */
function orderBody(key: KeyModel, world: World, lab: string, overrides: Record<string, unknown>): Record<string, unknown> | null {
  if (!isTeamCaller(key)) return { user_id: randomUUID(), patient_details: PATIENT, patient_address: ADDRESS, ...overrides };
  const user = world.users.find((u) => teamSeesUser(key, u));
  const test = world.labTests.find((t) => t.lab === lab && teamSeesLabTest(key, t));
  if (!user || !test) return null;
  return {
    user_id: user.id,
    order_set: { lab_test_ids: [test.id] },
    collection_method: 'walk_in_test',
    patient_details: PATIENT,
    patient_address: ADDRESS,
    ...overrides,
  };
}

/** An account the team may order on (for probes whose subject is the user), or a random id. */
function usableAccount(key: KeyModel, world: World): AccountModel | undefined {
  return isTeamCaller(key) ? world.accounts.find((a) => a.status === 'active' && teamMayUseAccount(key, a, world)) : undefined;
}

const idsIn = (list: unknown, field = 'id'): string[] =>
  Array.isArray(list) ? list.map((x) => (x as Record<string, string>)?.[field]) : [];

// ------------------------------------------------------------------------------------------------ templates

const orgTemplates: Template<World['orgs'][number]>[] = [
  ...[
    ['GET', ''],
    ['PATCH', ''],
    ['GET', '/team'],
    ['GET', '/management_key'],
  ].map(
    ([method, suffix]): Template<World['orgs'][number]> => ({
      route: `${method} /v1/org/{org_id}${suffix}`,
      api: 'management',
      teamAdmin: method === 'PATCH' || suffix === '/management_key' ? 'forbidden' : 'scoped',
      variants: () => [{ pathOrg: '', pathCell: CELLS[0] }],
      idOf: (o) => o.id,
      request: (t, o) => ({ method, url: `/v1/org/${t.id}${suffix}`, body: method === 'PATCH' ? { name: o.name } : undefined }),
      visible: (key, _o, t) => managementSeesOrg(asManagement(key), t.id),
      allowed: ['200'],
    }),
  ),
  ...CELLS.flatMap((cell) =>
    ['team_api_keys', 'lab_account'].map(
      (what): Template<World['orgs'][number]> => ({
        route: `GET /v1/org/{org_id}/${what}/${cellPath(cell)}`,
        api: 'management',
        teamAdmin: 'scoped',
        variants: () => [{ pathOrg: '', pathCell: cell }],
        idOf: (o) => o.id,
        request: (t) => ({ method: 'GET', url: `/v1/org/${t.id}/${what}/${cellPath(cell)}` }),
        visible: (key, _o, t) => managementSeesOrg(asManagement(key), t.id),
        allowed: ['200'],
      }),
    ),
  ),
];

const teamTemplates: Template<World['teams'][number]>[] = [
  {
    route: 'GET /v1/org/{org_id}/team/{team_id}',
    api: 'management',
    teamAdmin: 'scoped',
    variants: (t, key) => ownOrgVariants(t.orgId, key, CELLS[0]),
    idOf: (t) => t.id,
    request: (t) => ({ method: 'GET', url: `/v1/org/${t.pathOrg}/team/${t.id}` }),
    visible: (key, team, t) => t.pathOrg === team.orgId && managementSeesTeam(asManagement(key), team),
    allowed: ['200'],
    check: (res, team) => (res.json?.id === team.id ? null : `answered another team: ${res.text.slice(0, 120)}`),
  },
  {
    route: 'PATCH /v1/org/{org_id}/team/{team_id}',
    api: 'management',
    teamAdmin: 'forbidden',
    variants: (t, key) => ownOrgVariants(t.orgId, key, CELLS[0]),
    idOf: (t) => t.id,
    request: (t, team) => ({ method: 'PATCH', url: `/v1/org/${t.pathOrg}/team/${t.id}`, body: { name: team.name } }),
    visible: (key, team, t) => t.pathOrg === team.orgId && managementSeesTeam(asManagement(key), team),
    allowed: ['200'],
  },
  {
    route: 'POST /v1/org/{org_id}/team/{team_id}/create_api_access_token',
    api: 'management',
    teamAdmin: 'scoped',
    variants: (t, key) => ownOrgVariants(t.orgId, key, CELLS[0]),
    idOf: (t) => t.id,
    request: (t) => ({ method: 'POST', url: `/v1/org/${t.pathOrg}/team/${t.id}/create_api_access_token`, body: { env: 'sandbox' } }),
    visible: (key, team, t) => t.pathOrg === team.orgId && managementSeesTeam(asManagement(key), team),
    allowed: ['200'],
  },
  {
    route: 'GET /v1/org/{org_id}/team?team_id=',
    api: 'management',
    teamAdmin: 'scoped',
    variants: (t, key) => ownOrgVariants(t.orgId, key, CELLS[0]),
    idOf: (t) => t.id,
    request: (t) => ({ method: 'GET', url: `/v1/org/${t.pathOrg}/team?team_id=${t.id}` }),
    visible: (key, team, t) => t.pathOrg === team.orgId && managementSeesTeam(asManagement(key), team),
    allowed: ['200'],
    lists: (res, team) => idsIn(res.json?.teams).includes(team.id),
  },
];

const accountTemplates: Template<AccountModel>[] = [];
for (const [method, suffix, teamAdmin] of [
  ['GET', '', 'scoped'],
  ['PATCH', '', 'forbidden'],
  ['POST', '/impact', 'either'],
  ['GET', '/history', 'scoped'],
] as const) {
  accountTemplates.push({
    route: `${method} /v1/org/{org_id}/lab_account/{env}/{region}/{account_id}${suffix}`,
    api: 'management',
    teamAdmin,
    variants: (a, key) => [
      ...ownOrgVariants(a.orgId, key, a),
      ...(isManagementCaller(key) ? [{ pathOrg: key.orgId, pathCell: otherCell(a) }] : []),
    ],
    idOf: (a) => a.id,
    request: (t, a) => ({
      method,
      url: `/v1/org/${t.pathOrg}/lab_account/${cellPath(t.pathCell)}/${t.id}${suffix}`,
      body: method === 'GET' ? undefined : { team_id_allowlist: a.allowlist },
    }),
    visible: (key, a, t) => managementSeesAccount(asManagement(key), a, t.pathOrg, t.pathCell),
    allowed: ['200'],
    check:
      suffix === ''
        ? (res, a) => (res.json?.lab_account?.id === a.id ? null : `answered another account: ${res.text.slice(0, 120)}`)
        : undefined,
  });
}
accountTemplates.push(
  {
    route: 'GET /v1/org/{org_id}/lab_account/{env}/{region}?lab_account_id=',
    api: 'management',
    teamAdmin: 'scoped',
    variants: (a, key) => ownOrgVariants(a.orgId, key, a),
    idOf: (a) => a.id,
    request: (t) => ({ method: 'GET', url: `/v1/org/${t.pathOrg}/lab_account/${cellPath(t.pathCell)}?lab_account_id=${t.id}` }),
    visible: (key, a, t) => managementSeesAccount(asManagement(key), a, t.pathOrg, t.pathCell),
    allowed: ['200'],
    lists: (res, a) => idsIn(res.json?.data).includes(a.id),
  },
  {
    route: 'GET /v3/lab_test/lab_account?lab_account_id=',
    api: 'team',
    variants: () => plain(),
    idOf: (a) => a.id,
    request: (t) => ({ method: 'GET', url: `/v3/lab_test/lab_account?lab_account_id=${t.id}` }),
    visible: (key, a) => teamSeesLinkedAccount(asTeam(key), a),
    allowed: ['200'],
    lists: (res, a) => idsIn(res.json?.data).includes(a.id),
  },
  {
    route: 'POST /v3/order/resolve_lab_account (explicit account)',
    api: 'team',
    variants: () => plain(),
    idOf: (a) => a.id,
    request: (t, a, key, world) => {
      const body = orderBody(key, world, a.lab, { lab_account_id: t.id });
      return body && { method: 'POST', url: '/v3/order/resolve_lab_account', body };
    },
    visible: (key, a, _t, world) => teamMayUseAccount(asTeam(key), a, world),
    allowed: ['200', '400'],
  },
  {
    route: 'POST /v3/order (explicit account)',
    api: 'team',
    deniedOnly: true,
    variants: () => plain(),
    idOf: (a) => a.id,
    request: (t, a, key, world) => {
      const body = orderBody(key, world, a.lab, { lab_account_id: t.id });
      return body && { method: 'POST', url: '/v3/order', body };
    },
    visible: (key, a, _t, world) => teamMayUseAccount(asTeam(key), a, world),
    allowed: ['200', '400'],
  },
  {
    route: 'GET /operator/v1/lab_accounts/{id}',
    api: 'operator',
    variants: () => plain(),
    idOf: (a) => a.id,
    request: (t) => ({ method: 'GET', url: `/operator/v1/lab_accounts/${t.id}` }),
    visible: () => true,
    allowed: ['200'],
  },
  {
    route: 'PATCH /operator/v1/lab_accounts/{id}',
    api: 'operator',
    variants: () => plain(),
    idOf: (a) => a.id,
    request: (t, a) => ({ method: 'PATCH', url: `/operator/v1/lab_accounts/${t.id}`, body: { status: a.status } }),
    visible: () => true,
    allowed: ['200'],
  },
);

const labTestTemplates: Template<World['labTests'][number]>[] = [
  {
    route: 'GET /v3/lab_tests/{lab_test_id}',
    api: 'team',
    variants: () => plain(),
    idOf: (t) => t.id,
    request: (t) => ({ method: 'GET', url: `/v3/lab_tests/${t.id}` }),
    visible: (key, lt) => teamSeesLabTest(asTeam(key), lt),
    allowed: ['200'],
  },
];

const userTemplates: Template<World['users'][number]>[] = [
  {
    route: 'GET /v2/user/{user_id}',
    api: 'team',
    variants: () => plain(),
    idOf: (u) => u.id,
    request: (t) => ({ method: 'GET', url: `/v2/user/${t.id}` }),
    visible: (key, u) => teamSeesUser(asTeam(key), u),
    allowed: ['200'],
    check: (res, u) => (res.json?.user_id === u.id ? null : `answered another user: ${res.text.slice(0, 120)}`),
  },
  {
    // A client_user_id may exist in several teams: the answer is the caller's own user or 404.
    route: 'GET /v2/user/resolve/{client_user_id}',
    api: 'team',
    variants: () => plain(),
    idOf: (u) => u.clientUserId,
    request: (t) => ({ method: 'GET', url: `/v2/user/resolve/${encodeURIComponent(t.id)}` }),
    visible: (key, u, _t, world) => ownUserByClientId(asTeam(key), u.clientUserId, world) !== undefined,
    allowed: ['200'],
    check: (res, u, key, world) => {
      const own = ownUserByClientId(asTeam(key), u.clientUserId, world);
      return res.json?.user_id === own?.id ? null : `resolved to ${String(res.json?.user_id)} instead of the caller's ${own?.id}`;
    },
  },
  {
    route: 'POST /v3/order (user_id)',
    api: 'team',
    deniedOnly: true,
    variants: () => plain(),
    idOf: (u) => u.id,
    request: (t, _u, key, world) => {
      const account = usableAccount(key, world);
      const body = orderBody(key, world, account?.lab ?? 'quest', { lab_account_id: account?.id ?? randomUUID() });
      return body && { method: 'POST', url: '/v3/order', body: { ...body, user_id: t.id } };
    },
    visible: (key, u) => teamSeesUser(asTeam(key), u),
    allowed: ['200', '400'],
  },
  {
    route: 'GET /v3/orders?user_id=',
    api: 'team',
    variants: () => plain(),
    idOf: (u) => u.id,
    request: (t) => ({ method: 'GET', url: `/v3/orders?user_id=${t.id}&size=100` }),
    visible: (key, u, _t, world) => teamSeesUser(asTeam(key), u) && world.orders.some((o) => o.userId === u.id),
    allowed: ['200'],
    lists: (res, u) => Array.isArray(res.json?.orders) && res.json.orders.some((o: { user_id?: string }) => o.user_id === u.id),
  },
];

const orderTemplates: Template<World['orders'][number]>[] = [
  ...['', '/result', '/result/metadata', '/result/pdf', '/requisition/pdf'].map(
    (suffix): Template<World['orders'][number]> => ({
      route: `GET /v3/order/{order_id}${suffix}`,
      api: 'team',
      variants: () => plain(),
      idOf: (o) => o.id,
      request: (t) => ({ method: 'GET', url: `/v3/order/${t.id}${suffix}` }),
      visible: (key, o) => teamSeesOrder(asTeam(key), o),
      allowed: suffix === '' ? ['200'] : ['200', '404:results_not_ready'],
      check: suffix === '' ? (res, o) => (res.json?.id === o.id ? null : `answered another order: ${res.text.slice(0, 120)}`) : undefined,
    }),
  ),
  ...['/cancel', '/test'].map(
    (suffix): Template<World['orders'][number]> => ({
      route: `POST /v3/order/{order_id}${suffix}`,
      api: 'team',
      deniedOnly: true,
      variants: () => plain(),
      idOf: (o) => o.id,
      request: (t) => ({ method: 'POST', url: `/v3/order/${t.id}${suffix}` }),
      visible: (key, o) => teamSeesOrder(asTeam(key), o),
      allowed: ['200', '400'],
    }),
  ),
  {
    route: 'GET /v3/orders?order_ids=',
    api: 'team',
    variants: () => plain(),
    idOf: (o) => o.id,
    request: (t) => ({ method: 'GET', url: `/v3/orders?order_ids=${t.id}&size=100` }),
    visible: (key, o) => teamSeesOrder(asTeam(key), o),
    allowed: ['200'],
    lists: (res, o) => idsIn(res.json?.orders).includes(o.id),
  },
  {
    route: 'POST /operator/v1/orders/{order_id}/events',
    api: 'operator',
    deniedOnly: true,
    variants: () => plain(),
    idOf: (o) => o.id,
    request: (t) => ({ method: 'POST', url: `/operator/v1/orders/${t.id}/events`, body: { status: 'cancelled' } }),
    visible: () => true,
    allowed: ['200', '400'],
  },
];

const managementKeyTemplates: Template<World['managementKeys'][number]>[] = ['PATCH', 'DELETE'].map((method) => ({
  route: `${method} /v1/org/{org_id}/management_key/{key_id}`,
  api: 'management' as const,
  teamAdmin: 'forbidden' as const,
  deniedOnly: method === 'DELETE',
  variants: (k, key) => ownOrgVariants(k.orgId, key, CELLS[0]),
  idOf: (k) => k.id,
  request: (t, k) => ({
    method,
    url: `/v1/org/${t.pathOrg}/management_key/${t.id}`,
    body: method === 'PATCH' ? { label: k.label } : undefined,
  }),
  visible: (key, k, t) => managementSeesManagementKey(asManagement(key), k, t.pathOrg),
  allowed: ['200'],
}));

const teamKeyTemplates: Template<World['teamKeys'][number]>[] = [
  {
    // Junction's delete answers 200 with the id under `not_found` for keys the caller cannot see.
    route: 'DELETE /v1/org/{org_id}/team_api_keys/{env}/{region}?api_key_id=',
    api: 'management',
    teamAdmin: 'scoped',
    deniedOnly: true,
    variants: (k, key) => [
      ...ownOrgVariants(k.orgId, key, k),
      ...(isManagementCaller(key) ? [{ pathOrg: key.orgId, pathCell: otherCell(k) }] : []),
    ],
    idOf: (k) => k.id,
    request: (t) => ({ method: 'DELETE', url: `/v1/org/${t.pathOrg}/team_api_keys/${cellPath(t.pathCell)}?api_key_id=${t.id}` }),
    visible: (key, k, t) => managementSeesTeamKey(asManagement(key), k, t.pathOrg, t.pathCell),
    allowed: ['200'],
  },
];

const unmatchedTemplates: Template<World['unmatched'][number]>[] = [
  {
    route: 'GET /v3/unmatched_result/{raw_result_id}',
    api: 'team',
    variants: () => plain(),
    idOf: (u) => u.id,
    request: (t) => ({ method: 'GET', url: `/v3/unmatched_result/${t.id}` }),
    visible: (key, u, _t, world) => teamSeesUnmatched(asTeam(key), u, world),
    allowed: ['200'],
  },
  ...[
    ['/resolve', { action: 'unsure' }],
    ['/accept', { order_id: randomUUID() }],
  ].map(
    ([suffix, body]): Template<World['unmatched'][number]> => ({
      route: `POST /v3/unmatched_result/{raw_result_id}${suffix as string}`,
      api: 'team',
      deniedOnly: true,
      variants: () => plain(),
      idOf: (u) => u.id,
      request: (t) => ({ method: 'POST', url: `/v3/unmatched_result/${t.id}${suffix as string}`, body }),
      visible: (key, u, _t, world) => teamSeesUnmatched(asTeam(key), u, world),
      allowed: ['200', '400'],
    }),
  ),
];

// ------------------------------------------------------------------------------------------------ execution

const apiOf = (key: KeyModel): Api => (key.kind === 'operator' ? 'operator' : isManagementCaller(key) ? 'management' : 'team');

/**
 * Status plus body with request_id dropped and every id blanked: what must not differ between a foreign
 * object and one that never existed (ids themselves are checked by the foreign-id scan).
 */
function signature(res: ApiResponse): string {
  let body = res.json;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { request_id: _ignored, ...rest } = body as Record<string, unknown>;
    body = rest;
  }
  const text = body === undefined ? `<${res.text.length} bytes>` : JSON.stringify(body);
  const blanked = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>').replace(/iso-[a-z0-9-]+/g, '<id>');
  return `${res.status} ${blanked.slice(0, 400)}`;
}

const codeOf = (res: ApiResponse): string => `${res.status}${typeof res.json?.code === 'string' ? `:${res.json.code}` : ''}`;

interface Planned {
  key: KeyModel;
  template: Template<any>;
  obj: any;
  target: Target;
  expectation: 'unauthorized' | 'forbidden' | 'visible' | 'denied' | 'either';
}

/** Runs every probe of `world`; returns the count and every failure. */
export async function runProbes(send: Send, world: World, options: { concurrency?: number } = {}): Promise<ProbeStats> {
  const failures: ProbeFailure[] = [];
  let probes = 0;
  const groups: [Template<any>[], unknown[]][] = [
    [orgTemplates, world.orgs],
    [teamTemplates, world.teams],
    [accountTemplates, world.accounts],
    [labTestTemplates, world.labTests],
    [userTemplates, world.users],
    [orderTemplates, world.orders],
    [managementKeyTemplates, world.managementKeys],
    [teamKeyTemplates, world.teamKeys],
    [unmatchedTemplates, world.unmatched],
  ];
  const foreignByOrg = new Map<string, string[]>();
  const foreignFor = (key: KeyModel): string[] => {
    if (key.kind === 'operator') return [];
    let ids = foreignByOrg.get(key.orgId);
    if (!ids) {
      ids = foreignIds(world, key.orgId);
      foreignByOrg.set(key.orgId, ids);
    }
    return ids;
  };
  const missing = new Set<string>();

  async function execute(key: KeyModel, route: string, request: ApiRequest): Promise<ApiResponse | null> {
    probes += 1;
    let res: ApiResponse;
    try {
      res = await send({ ...request, headers: { ...authHeaders(key), ...(request.headers ?? {}) } });
    } catch (error) {
      failures.push({ kind: 'server_error', key: key.label, route, detail: `request failed: ${String(error)}` });
      return null;
    }
    if (res.status >= 500)
      failures.push({ kind: 'server_error', key: key.label, route, detail: `${res.status} ${res.text.slice(0, 200)}` });
    if (isRouterNotFound(res)) {
      if (!missing.has(route))
        failures.push({ kind: 'missing_route', key: key.label, route, detail: `${request.method} ${request.url} is not routed` });
      missing.add(route);
    }
    // No response may carry another org's ids that the request did not itself contain.
    const sent = `${request.url} ${JSON.stringify(request.body ?? '')}`;
    const leaked = foreignFor(key).find((id) => res.text.includes(id) && !sent.includes(id));
    if (leaked)
      failures.push({
        kind: 'foreign_id',
        key: key.label,
        route,
        detail: `response contains another org's id ${leaked}: ${res.text.slice(0, 200)}`,
      });
    return res;
  }

  // 1. Plan: per key, template and variant, one baseline (a fresh id) and one probe per object.
  const plans: Planned[] = [];
  const baselineJobs = new Map<string, { key: KeyModel; template: Template<any>; target: Target; obj: any }>();
  const baselineKey = (key: KeyModel, template: Template<any>, target: Omit<Target, 'id'>, objOrgIsPath: boolean): string =>
    `${key.label}|${key.secret}|${template.route}|${objOrgIsPath ? 'object-org' : target.pathOrg}|${cellPath(target.pathCell)}`;
  for (const key of world.keys) {
    for (const [templates, objects] of groups) {
      for (const template of templates) {
        for (const obj of objects) {
          for (const variant of template.variants(obj, key)) {
            const target: Target = { ...variant, id: template.idOf(obj) };
            let expectation: Planned['expectation'];
            if (apiOf(key) !== template.api) expectation = 'unauthorized';
            else if (key.kind === 'team_admin' && template.teamAdmin === 'forbidden') expectation = 'forbidden';
            else {
              const visible = template.visible(key, obj, target, world);
              expectation = visible ? (key.kind === 'team_admin' && template.teamAdmin === 'either' ? 'either' : 'visible') : 'denied';
            }
            if (template.deniedOnly && (expectation === 'visible' || expectation === 'either')) continue;
            plans.push({ key, template, obj, target, expectation });
            const objOrgIsPath = !(isManagementCaller(key) && variant.pathOrg === key.orgId);
            const bk = baselineKey(key, template, variant, objOrgIsPath);
            if (!baselineJobs.has(bk)) {
              const pathOrg = template.api === 'management' && objOrgIsPath ? randomUUID() : variant.pathOrg;
              baselineJobs.set(bk, {
                key,
                template,
                obj,
                target: { pathOrg, pathCell: variant.pathCell, id: freshIdLike(template.idOf(obj)) },
              });
            }
          }
        }
      }
    }
  }

  // 2. Baselines: what each key gets for an object that does not exist.
  const baselines = new Map<string, ApiResponse | null>();
  await mapLimit([...baselineJobs.entries()], options.concurrency ?? 6, async ([bk, job]) => {
    const request = job.template.request(job.target, job.obj, job.key, world);
    baselines.set(bk, request ? await execute(job.key, job.template.route, request) : null);
  });

  // 3. Probes.
  const forbiddenSeen = new Map<string, Set<boolean>>();
  await mapLimit(plans, options.concurrency ?? 6, async (plan) => {
    const { key, template, obj, target } = plan;
    const request = template.request(target, obj, key, world);
    if (!request) return;
    const res = await execute(key, template.route, request);
    if (!res || isRouterNotFound(res)) return;
    const fail = (kind: ProbeFailure['kind'], detail: string): void => {
      failures.push({ kind, key: key.label, route: template.route, detail: `${request.method} ${request.url}: ${detail}` });
    };
    const objOrgIsPath = !(isManagementCaller(key) && target.pathOrg === key.orgId);
    const baseline = baselines.get(baselineKey(key, template, target, objOrgIsPath));
    switch (plan.expectation) {
      case 'unauthorized':
        if (res.status !== 401) fail('leak', `a ${key.kind} key got ${res.status} (expected 401): ${res.text.slice(0, 160)}`);
        return;
      case 'forbidden':
        if (res.status !== 403) fail('leak', `a team_admin key got ${res.status} (expected 403 for the route): ${res.text.slice(0, 160)}`);
        return;
      case 'denied': {
        if (template.lists && res.status === 200 && template.lists(res, obj, key, world)) {
          fail('leak', 'lists an object the key may not see');
          return;
        }
        if (!baseline) return;
        const got = signature(res);
        const want = signature(baseline);
        if (got !== want)
          fail('leak', `foreign object answered differently from a missing one:\n      foreign: ${got}\n      missing: ${want}`);
        return;
      }
      case 'either':
      case 'visible': {
        if (plan.expectation === 'either') {
          const seen = forbiddenSeen.get(`${key.secret}|${template.route}`) ?? new Set<boolean>();
          seen.add(res.status === 403);
          forbiddenSeen.set(`${key.secret}|${template.route}`, seen);
          if (seen.size > 1) fail('leak', '403 for some objects and not for others: a 403 must not depend on the object');
          if (res.status === 403) return;
        }
        if (!template.allowed.includes(String(res.status)) && !template.allowed.includes(codeOf(res))) {
          fail('overblock', `visible object answered ${res.status}: ${res.text.slice(0, 200)}`);
          return;
        }
        if (template.lists && res.status === 200 && !template.lists(res, obj, key, world))
          fail('overblock', 'does not list a visible object');
        const complaint = res.status === 200 ? template.check?.(res, obj, key, world) : null;
        if (complaint) fail('leak', complaint);
      }
    }
  });

  // 4. Lists as each key sees them.
  await mapLimit(world.keys, options.concurrency ?? 6, async (key) => {
    for (const check of listChecks(key, world)) {
      const res = await execute(key, check.route, check.request);
      if (!res || isRouterNotFound(res)) continue;
      if (res.status !== 200) {
        failures.push({ kind: 'list', key: key.label, route: check.route, detail: `${res.status} ${res.text.slice(0, 200)}` });
        continue;
      }
      const got = new Set(check.ids(res));
      const problems: string[] = [];
      for (const id of check.expected) if (!got.has(id)) problems.push(`missing ${id}`);
      for (const id of got) if (check.universe.has(id) && !check.expected.includes(id)) problems.push(`shows ${id}`);
      for (const id of got) if (!check.universe.has(id) && check.closed) problems.push(`shows unknown ${id}`);
      const extra = check.extra?.(res);
      if (extra) problems.push(extra);
      if (problems.length > 0) failures.push({ kind: 'list', key: key.label, route: check.route, detail: problems.slice(0, 5).join('; ') });
    }
  });
  return { probes, failures };
}

/** A fresh value shaped like `id` (a uuid, or a client_user_id-like string). */
function freshIdLike(id: string): string {
  return /^[0-9a-f-]{36}$/i.test(id) ? randomUUID() : `iso-none-${randomUUID().slice(0, 8)}`;
}

interface ListCheck {
  route: string;
  request: ApiRequest;
  ids(res: ApiResponse): string[];
  expected: string[];
  /** Ids of this type in the world: anything from it that is not expected is a leak. */
  universe: Set<string>;
  /** True when the database holds only this world's objects of that type (nothing else may appear). */
  closed: boolean;
  extra?(res: ApiResponse): string | null;
}

function listChecks(key: KeyModel, world: World): ListCheck[] {
  const checks: ListCheck[] = [];
  const accounts = new Set(world.accounts.map((a) => a.id));
  if (key.kind === 'operator') {
    checks.push({
      route: 'GET /operator/v1/lab_accounts',
      request: { method: 'GET', url: '/operator/v1/lab_accounts' },
      ids: (res) => idsIn(res.json?.data),
      expected: world.accounts.map((a) => a.id),
      universe: accounts,
      closed: true,
    });
    checks.push({
      route: 'GET /operator/v1/unmatched_results',
      request: { method: 'GET', url: '/operator/v1/unmatched_results' },
      ids: (res) => idsIn(res.json?.data),
      expected: world.unmatched.filter((u) => noTeamSeesUnmatched(u, world)).map((u) => u.id),
      universe: new Set(world.unmatched.map((u) => u.id)),
      closed: true,
    });
    return checks;
  }
  if (isManagementCaller(key)) {
    const org = key.orgId;
    checks.push({
      route: 'GET /v1/org/{org_id}/team',
      request: { method: 'GET', url: `/v1/org/${org}/team` },
      ids: (res) => idsIn(res.json?.teams),
      expected: world.teams.filter((t) => managementSeesTeam(key, t)).map((t) => t.id),
      universe: new Set(world.teams.map((t) => t.id)),
      closed: true,
    });
    for (const cell of CELLS) {
      checks.push({
        route: `GET /v1/org/{org_id}/lab_account/${cellPath(cell)}`,
        request: { method: 'GET', url: `/v1/org/${org}/lab_account/${cellPath(cell)}` },
        ids: (res) => idsIn(res.json?.data),
        expected: world.accounts.filter((a) => managementSeesAccount(key, a, org, cell)).map((a) => a.id),
        universe: accounts,
        closed: true,
      });
      checks.push({
        route: `GET /v1/org/{org_id}/team_api_keys/${cellPath(cell)}`,
        request: { method: 'GET', url: `/v1/org/${org}/team_api_keys/${cellPath(cell)}` },
        ids: (res) => idsIn(res.json?.api_keys),
        expected: world.teamKeys.filter((k) => managementSeesTeamKey(key, k, org, cell)).map((k) => k.id),
        universe: new Set(world.teamKeys.map((k) => k.id)),
        closed: true,
        extra: (res) =>
          JSON.stringify(res.json).match(/"value":"(sk|pk)_[a-z]{2}_[0-9A-Za-z]{20,}"/) ? 'a listed key shows its full value' : null,
      });
    }
    if (key.kind === 'org_admin') {
      checks.push({
        route: 'GET /v1/org/{org_id}/management_key',
        request: { method: 'GET', url: `/v1/org/${org}/management_key` },
        ids: (res) => idsIn(res.json?.data),
        expected: world.managementKeys.filter((k) => k.orgId === org).map((k) => k.id),
        universe: new Set(world.managementKeys.map((k) => k.id)),
        closed: true,
        extra: (res) => (/"key":/.test(res.text) ? 'a listed management key shows its secret' : null),
      });
    }
    return checks;
  }
  const team = key as TeamCaller;
  const orgTeams = new Set(world.teams.filter((t) => t.orgId === team.orgId).map((t) => t.id));
  checks.push({
    route: 'GET /v3/lab_test/lab_account',
    request: { method: 'GET', url: '/v3/lab_test/lab_account' },
    ids: (res) => idsIn(res.json?.data),
    expected: world.accounts.filter((a) => teamSeesLinkedAccount(team, a)).map((a) => a.id),
    universe: accounts,
    closed: true,
    extra: (res) => {
      const shown = (Array.isArray(res.json?.data) ? res.json.data : []).flatMap(
        (a: { team_id_allowlist?: string[] }) => a.team_id_allowlist ?? [],
      );
      const stranger = shown.find((id: string) => !orgTeams.has(id));
      return stranger ? `team_id_allowlist shows ${stranger}, not a team of the caller's org` : null;
    },
  });
  checks.push({
    route: 'GET /v2/user',
    request: { method: 'GET', url: '/v2/user?limit=100' },
    ids: (res) => idsIn(res.json?.users, 'user_id'),
    expected: world.users.filter((u) => teamSeesUser(team, u)).map((u) => u.id),
    universe: new Set(world.users.map((u) => u.id)),
    closed: true,
  });
  checks.push({
    route: 'GET /v3/orders',
    request: { method: 'GET', url: '/v3/orders?size=100' },
    ids: (res) => idsIn(res.json?.orders),
    expected: world.orders.filter((o) => teamSeesOrder(team, o)).map((o) => o.id),
    universe: new Set(world.orders.map((o) => o.id)),
    closed: true,
  });
  checks.push({
    route: 'GET /v3/unmatched_result',
    request: { method: 'GET', url: '/v3/unmatched_result?limit=100' },
    ids: (res) => idsIn(res.json?.data),
    expected: world.unmatched.filter((u) => teamSeesUnmatched(team, u, world)).map((u) => u.id),
    universe: new Set(world.unmatched.map((u) => u.id)),
    closed: true,
  });
  checks.push({
    route: 'GET /v3/lab_tests',
    request: { method: 'GET', url: '/v3/lab_tests' },
    ids: (res) => idsIn(res.json),
    expected: world.labTests.filter((t) => teamSeesLabTest(team, t)).map((t) => t.id),
    universe: new Set(world.labTests.map((t) => t.id)),
    closed: true,
  });
  return checks;
}
