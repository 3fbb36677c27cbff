// Management use case: read one lab account of the org with its ETag (`GET /v1/org/{org_id}/lab_account/{env}/{region}/{account_id}`, a Labroute extension).
import type { DB } from '../../db/database.js';
import { etagOf, toClientFacing } from './lab-accounts.repository.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';
import { type OrgLabAccountTarget, visibleOrgAccount } from './org-lab-account.js';

export interface GetOrgLabAccountOptions extends OrgLabAccountTarget {
  /** Root handle; the read is one statement pair, no transaction. */
  db: DB;
}

/** The account and its strong ETag (the value an `If-Match` on the PATCH must carry); 404 when the caller may not see it. */
export async function getOrgLabAccount(options: GetOrgLabAccountOptions): Promise<{ account: ClientFacingLabAccount; etag: string }> {
  const account = await visibleOrgAccount(options.db, options);
  return { account: toClientFacing(account), etag: etagOf(account) };
}
