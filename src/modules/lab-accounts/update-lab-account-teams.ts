// Management use case: replace which teams of the org may order through an account (Junction's Update Lab
// Account Teams), with Labroute's safe-edit extensions: If-Match against the account's ETag, audit, and a
// dry-run impact preview. The row lock (FOR UPDATE) serialises with order placement (FOR SHARE), so an order
// never commits through a link that was removed before it.
import type { DB, Queryable } from '../../db/database.js';
import type { Cell } from '../../domain/enums.js';
import { AppError, notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import type { LabAccountCache } from './lab-account-cache.js';
import type { LabAccountEvents } from './lab-account-events.js';
import {
  etagOf,
  findAccounts,
  inFlightOrdersByTeam,
  type LabAccountRecord,
  lockAccount,
  replaceLinks,
  toClientFacing,
  updateAccount,
} from './lab-accounts.repository.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';
import { checkedAllowlist } from './team-allowlist.js';

interface Target {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  cell: Cell;
  accountId: string;
}

/** The org-owned account in this cell, locked when `lock` is given; 404 for platform, foreign or unknown ids. */
async function orgAccount(db: Queryable, target: Target, lock?: 'update'): Promise<LabAccountRecord> {
  assertOrgInScope(target.principal, target.orgId);
  const account = lock ? await lockAccount(db, target.accountId) : (await findAccounts(db, { ids: [target.accountId] }))[0];
  if (!account || account.org_id !== target.orgId || account.env !== target.cell.env || account.region !== target.cell.region) {
    throw notFound('lab_account_not_found', 'Lab account');
  }
  return account;
}

/** `If-Match` check: `*` matches any current account; otherwise one of the listed strong ETags must match. */
export function assertIfMatch(ifMatch: string | undefined, account: LabAccountRecord): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((tag) => tag.trim());
  if (tags.includes('*') || tags.includes(etagOf(account))) return;
  throw new AppError('precondition_failed', 'The lab account changed since it was read (If-Match does not match its ETag)', {
    etag: etagOf(account),
  });
}

export async function updateLabAccountTeams(
  options: Target & { teamIds: string[]; ifMatch?: string; labAccountCache: LabAccountCache; labAccountEvents: LabAccountEvents },
): Promise<{ account: ClientFacingLabAccount; etag: string }> {
  const result = await options.db.transaction().execute(async (tx) => {
    const current = await orgAccount(tx, options, 'update');
    const allowlist = await checkedAllowlist(tx, { org_id: current.org_id!, region: current.region }, options.teamIds);
    assertIfMatch(options.ifMatch, current);
    const before = toClientFacing(current);
    await replaceLinks(tx, current.id, allowlist);
    await updateAccount(tx, current.id, {});
    const [updated] = await findAccounts(tx, { ids: [current.id] });
    const after = toClientFacing(updated);
    await recordAudit(tx, {
      orgId: current.org_id,
      subjectType: 'lab_account',
      subjectId: current.id,
      actor: actorOf(options.principal),
      action: 'lab_account.teams_updated',
      before,
      after,
    });
    await options.labAccountEvents.publish(tx, { before, after, env: current.env });
    return { account: after, etag: etagOf(updated) };
  });
  options.labAccountCache.invalidate(result.account.org_id);
  return result;
}

/** The extension GET: the account and its ETag. */
export async function getOrgLabAccount(options: Target): Promise<{ account: ClientFacingLabAccount; etag: string }> {
  const account = await orgAccount(options.db, options);
  if (options.principal.role === 'team_admin' && !account.team_id_allowlist.some((id) => options.principal.teamIds.includes(id))) {
    throw notFound('lab_account_not_found', 'Lab account');
  }
  return { account: toClientFacing(account), etag: etagOf(account) };
}

/** What a PATCH with `teamIds` would change, without writing: teams gaining and losing the account. */
export async function previewLabAccountTeams(options: Target & { teamIds: string[] }): Promise<{
  gained: string[];
  lost: { team_id: string; in_flight_orders: number }[];
  unchanged: string[];
}> {
  const account = await orgAccount(options.db, options);
  const next = await checkedAllowlist(options.db, { org_id: account.org_id!, region: account.region }, options.teamIds);
  const current = new Set(account.team_id_allowlist);
  const nextSet = new Set(next);
  const lostIds = account.team_id_allowlist.filter((id) => !nextSet.has(id));
  const inFlight = await inFlightOrdersByTeam(options.db, account.id, lostIds);
  return {
    gained: next.filter((id) => !current.has(id)),
    lost: lostIds.map((team_id) => ({ team_id, in_flight_orders: inFlight.get(team_id) ?? 0 })),
    unchanged: next.filter((id) => current.has(id)),
  };
}
