// What an order change announces to the outside world: Junction's labtest.order.created / .updated events (and
// labtest.result.critical). Use cases receive an OrderEvents and publish inside the change's own transaction;
// the webhooks module provides the implementation (src/plugins/order-events.ts composes it), so nothing is
// sent for a rolled-back change.
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

/** Announces order changes; `publish` runs in the transaction `tx` that made the change. */
export interface OrderEvents {
  publish(tx: Queryable, change: OrderChange): Promise<void>;
}
