// The isolation oracle: who may see or use what, written from SPEC.md §1–§4 alone (never from the code under
// test). Each rule cites the sentence it comes from; the probes ask these functions what to expect.
import type { KeyModel, ManagementCaller, TeamCaller } from './api-client.js';
import type {
  AccountModel,
  Cell,
  LabTestModel,
  ManagementKeyModel,
  OrderModel,
  TeamKeyModel,
  TeamModel,
  UnmatchedModel,
  UserModel,
  World,
} from './world.js';

export const isTeamCaller = (key: KeyModel): key is TeamCaller => key.kind === 'team_key' || key.kind === 'access_token';
export const isManagementCaller = (key: KeyModel): key is ManagementCaller => key.kind === 'org_admin' || key.kind === 'team_admin';
const sameCell = (key: TeamCaller, cell: Cell): boolean => key.env === cell.env && key.region === cell.region;

// ------------------------------------------------------------------------------------------ Management API

/** "a management key acts for its org" — another org's id in the path is not visible. */
export function managementSeesOrg(key: ManagementCaller, orgId: string): boolean {
  return key.orgId === orgId;
}

/** §2 Roles: org_admin reads every team of its org; team_admin "read[s] its teams". */
export function managementSeesTeam(key: ManagementCaller, team: TeamModel): boolean {
  return key.orgId === team.orgId && (key.kind === 'org_admin' || key.teamIds.includes(team.id));
}

/**
 * §2: lab-account routes are per `{env}/{region}` of the org; platform accounts (`org_id: null`) "appear in
 * neither the org-level nor the team-level list"; team_admin "may read accounts linked to its teams".
 */
export function managementSeesAccount(key: ManagementCaller, account: AccountModel, pathOrg: string, pathCell: Cell): boolean {
  if (account.orgId === null || account.orgId !== key.orgId || pathOrg !== key.orgId) return false;
  if (account.env !== pathCell.env || account.region !== pathCell.region) return false;
  return key.kind === 'org_admin' || account.allowlist.some((teamId) => key.teamIds.includes(teamId));
}

/** Team API keys of the org in one cell; team_admin "mint[s] tokens and keys for them" (its teams) only. */
export function managementSeesTeamKey(key: ManagementCaller, teamKey: TeamKeyModel, pathOrg: string, pathCell: Cell): boolean {
  if (teamKey.orgId !== key.orgId || pathOrg !== key.orgId) return false;
  if (teamKey.env !== pathCell.env || teamKey.region !== pathCell.region) return false;
  return key.kind === 'org_admin' || key.teamIds.includes(teamKey.teamId);
}

/** Management keys: org_admin only ("team_admin … may never … manage management keys (403)"). */
export function managementSeesManagementKey(key: ManagementCaller, managementKey: ManagementKeyModel, pathOrg: string): boolean {
  return key.kind === 'org_admin' && managementKey.orgId === key.orgId && pathOrg === key.orgId;
}

// ------------------------------------------------------------------------------------------------ Team API

/** §2: `GET /v3/lab_test/lab_account` lists "the org accounts linked to the calling team, in its cell". */
export function teamSeesLinkedAccount(key: TeamCaller, account: AccountModel): boolean {
  return account.orgId === key.orgId && sameCell(key, account) && account.allowlist.includes(key.teamId);
}

/**
 * §3 table: an explicit account the team may use is a linked org account of its cell, or a platform account
 * of its cell when the team has "no linked account for that lab"; anything else is 404 lab_account_not_found.
 */
export function teamMayUseAccount(key: TeamCaller, account: AccountModel, world: World): boolean {
  if (account.orgId !== null) return teamSeesLinkedAccount(key, account);
  if (!sameCell(key, account)) return false;
  return !world.accounts.some((a) => a.orgId === key.orgId && a.lab === account.lab && teamSeesLinkedAccount(key, a));
}

/** §1: users are unique per (team, env); a team key fixes team and env. */
export function teamSeesUser(key: TeamCaller, user: UserModel): boolean {
  return user.teamId === key.teamId && user.env === key.env;
}

/** The caller's own user with this client_user_id (`GET /v2/user/resolve/{client_user_id}`), if any. */
export function ownUserByClientId(key: TeamCaller, clientUserId: string, world: World): UserModel | undefined {
  return world.users.find((u) => teamSeesUser(key, u) && u.clientUserId === clientUserId);
}

/** §1: an order is "placed by a team" in one cell; unlinking or suspending its account never moves it. */
export function teamSeesOrder(key: TeamCaller, order: OrderModel): boolean {
  return order.teamId === key.teamId && order.env === key.env;
}

/** §1: lab tests live in a cell; the operator's catalogue of a cell serves every team of that cell. */
export function teamSeesLabTest(key: TeamCaller, labTest: LabTestModel): boolean {
  return sameCell(key, labTest);
}

/**
 * §4 Unmatched results: "Visible to the team of the quoted order when that order belongs to the same org;
 * else to the teams linked to the account whose number came in; else to the operator only."
 */
export function teamSeesUnmatched(key: TeamCaller, unmatched: UnmatchedModel, world: World): boolean {
  if (!sameCell(key, unmatched)) return false;
  if (unmatched.visibleTeamId !== null) return unmatched.visibleTeamId === key.teamId;
  if (unmatched.visibleAccountId === null) return false;
  const account = world.accounts.find((a) => a.id === unmatched.visibleAccountId);
  return account !== undefined && account.orgId === key.orgId && account.allowlist.includes(key.teamId);
}

/** CONTRACT.md: the operator's `GET /unmatched_results` lists "results no team can see". */
export function noTeamSeesUnmatched(unmatched: UnmatchedModel, world: World): boolean {
  if (unmatched.visibleTeamId !== null) return false;
  if (unmatched.visibleAccountId === null) return true;
  const account = world.accounts.find((a) => a.id === unmatched.visibleAccountId);
  return !account || account.allowlist.length === 0;
}

/** Ids a key of `orgId` must never read in any response: everything owned by another org. */
export function foreignIds(world: World, orgId: string): string[] {
  const out: string[] = [];
  for (const o of world.orgs) if (o.id !== orgId) out.push(o.id);
  for (const t of world.teams) if (t.orgId !== orgId) out.push(t.id);
  for (const a of world.accounts) if (a.orgId !== null && a.orgId !== orgId) out.push(a.id, a.providerAccountId);
  for (const u of world.users) if (u.orgId !== orgId) out.push(u.id);
  for (const o of world.orders) if (o.orgId !== orgId) out.push(o.id);
  for (const k of world.managementKeys) if (k.orgId !== orgId) out.push(k.id);
  for (const k of world.teamKeys) if (k.orgId !== orgId) out.push(k.id);
  return out;
}
