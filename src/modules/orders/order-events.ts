// Announces order changes to the outside world: Junction's labtest.order.created / .updated events (and
// labtest.result.critical), written to the webhook outbox in the same transaction as the change.
import type { Queryable } from '../../db/database.js';
import type { ClientFacingOrder } from './orders.schemas.js';

export interface OrderChange {
  eventType: 'labtest.order.created' | 'labtest.order.updated' | 'labtest.result.critical';
  orderId: string;
  /** Partial results only notify teams that enabled partial_webhooks_enabled. */
  partial?: boolean;
  /** The order as just written, when the caller has it: spares the publisher reading it back. */
  written?: { order: ClientFacingOrder; orgId: string; env: string; clientUserId: string | null };
}

type Publisher = (tx: Queryable, change: OrderChange) => Promise<void>;

let publisher: Publisher | null = null;

/** Installed by the webhooks module at start-up; without it, order changes are only stored. */
export function setOrderPublisher(next: Publisher | null): void {
  publisher = next;
}

export async function publishOrderChange(tx: Queryable, change: OrderChange): Promise<void> {
  if (publisher) await publisher(tx, change);
}
