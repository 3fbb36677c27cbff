// What a lab-account change announces: to every instance's lab-account cache, a NOTIFY delivered on commit
// (this module's own concern); to the outside world, through `outbound` (the webhooks module's
// `lab_account.updated` event for org accounts, SPEC.md §4, CONTRACT.md "Webhook endpoints"). Use cases
// receive a LabAccountEvents and publish inside the change's own transaction.
import type { Queryable } from '../../db/database.js';
import { announceLabAccountChange } from './lab-account-cache.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';

export interface LabAccountChange {
  before: ClientFacingLabAccount | null;
  after: ClientFacingLabAccount;
  env: string;
}

/** Announces lab-account changes; `publish` runs in the transaction `tx` that made the change. */
export interface LabAccountEvents {
  publish(tx: Queryable, change: LabAccountChange): Promise<void>;
}

/** Announces each change to the caches of every instance, then (for org accounts) to `outbound`. */
export function labAccountEvents(outbound: LabAccountEvents): LabAccountEvents {
  return {
    publish: async (tx, change) => {
      await announceLabAccountChange(tx, change.after.org_id);
      // Platform accounts (org_id null) belong to no org, so no org endpoint hears of them.
      if (change.after.org_id !== null) await outbound.publish(tx, change);
    },
  };
}
