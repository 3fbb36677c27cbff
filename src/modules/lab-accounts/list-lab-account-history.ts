// Management use case: the audit history of one lab account, newest first and cursor-paged
// (`GET /v1/org/{org_id}/lab_account/{env}/{region}/{account_id}/history`, a Labroute extension).
import type { z } from 'zod';
import type { DB } from '../../db/database.js';
import { pageOf, seqAfter } from '../orgs/seq-cursor.js';
import { accountHistory } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount, LabAccountHistoryResponse } from './lab-accounts.schemas.js';
import { type OrgLabAccountTarget, visibleOrgAccount } from './org-lab-account.js';

export interface ListLabAccountHistoryOptions extends OrgLabAccountTarget {
  /** Root handle (reads only). */
  db: DB;
  /** The `next_cursor` of the previous page; omitted: the newest entries. */
  nextCursor?: string;
  /** Entries per page. */
  limit: number;
}

/** One page of the account's audit entries; 404 when the caller may not see the account. */
export async function listLabAccountHistory(options: ListLabAccountHistoryOptions): Promise<z.infer<typeof LabAccountHistoryResponse>> {
  const account = await visibleOrgAccount(options.db, options);
  const rows = await accountHistory(options.db, account.id, { before: seqAfter(options.nextCursor), limit: options.limit });
  const { page, nextCursor } = pageOf(rows, options.limit);
  return {
    data: page.map((row) => ({
      id: row.id,
      at: new Date(row.at).toISOString(),
      actor: { kind: row.actor_kind, key_id: row.actor_key_id },
      action: row.action,
      before: (row.before ?? null) as ClientFacingLabAccount | null,
      after: (row.after ?? null) as ClientFacingLabAccount | null,
    })),
    next_cursor: nextCursor,
  };
}
