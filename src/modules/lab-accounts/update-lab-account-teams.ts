// Management use case: replace which teams of the org may order through an account (Junction's Update Lab
// Account Teams), with Labroute's safe-edit extensions: If-Match against the account's ETag and audit (the
// dry run is preview-lab-account-teams.ts). The row lock (FOR UPDATE) serialises with order placement (FOR
// SHARE), so an order never commits through a link that was removed before it.
import type { DB } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf } from '../auth/principal.js';
import type { LabAccountCache } from './lab-account-cache.js';
import type { LabAccountEvents } from './lab-account-events.js';
import { etagOf, findAccounts, type LabAccountRecord, replaceLinks, toClientFacing, updateAccount } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';
import { type OrgLabAccountTarget, orgAccount } from './org-lab-account.js';
import { checkedAllowlist } from './team-allowlist.js';

export interface UpdateLabAccountTeamsOptions extends OrgLabAccountTarget {
  /** Root handle; the change runs in its own transaction. */
  db: DB;
  /** Told of the change once it is committed. */
  labAccountCache: LabAccountCache;
  /** Announces the change (webhooks, other instances' caches). */
  labAccountEvents: LabAccountEvents;
  /** The new team_id_allowlist, in the order it is to be kept. */
  teamIds: string[];
  /** The request's `If-Match` header, if any (412 precondition_failed when no listed ETag matches). */
  ifMatch?: string;
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

/** Replaces the account's teams, audited and announced; returns the account as changed and its new ETag. */
export async function updateLabAccountTeams(
  options: UpdateLabAccountTeamsOptions,
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
