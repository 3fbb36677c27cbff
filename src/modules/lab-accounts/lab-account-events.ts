// Announces lab-account changes: to the outside world, a `lab_account.updated` webhook event written to the
// outbox in the same transaction as the change (SPEC.md §4, CONTRACT.md "Webhook endpoints"); to every
// instance's lab-account cache, a NOTIFY delivered on commit.
import type { Queryable } from '../../db/database.js';
import { announceLabAccountChange } from './lab-account-cache.js';
import type { ClientFacingLabAccount } from './lab-accounts.schemas.js';

export interface LabAccountChange {
  before: ClientFacingLabAccount | null;
  after: ClientFacingLabAccount;
  env: string;
}

type Publisher = (tx: Queryable, change: LabAccountChange) => Promise<void>;

let publisher: Publisher | null = null;

/** Installed by the webhooks module at start-up; without webhooks, changes are only audited. */
export function setLabAccountPublisher(next: Publisher | null): void {
  publisher = next;
}

export async function publishLabAccountChange(tx: Queryable, change: LabAccountChange): Promise<void> {
  await announceLabAccountChange(tx, change.after.org_id);
  if (publisher && change.after.org_id !== null) await publisher(tx, change);
}
