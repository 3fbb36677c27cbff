// The one step every status change of an existing order takes (cancellation, the operator's lifecycle events,
// the sandbox simulation): append the event, keep the transaction status in line, audit it and announce it as
// labtest.order.updated. Whether the change is allowed is the caller's rule.
import type { Queryable } from '../../db/database.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { statusString } from '../../domain/order-status.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { OrderEvents } from './order-events.js';
import { type OrderRow, refreshTransactionStatus, writeEvent } from './orders.repository.js';

/** Appends `low` (with an optional detail) to a locked order and announces it. No legality check here. */
export async function appendOrderEvent(
  tx: Queryable,
  order: OrderRow,
  low: string,
  detail: string | null,
  principal: Principal | null,
  orderEvents: OrderEvents,
): Promise<void> {
  const method = order.collection_method as CollectionMethod;
  const status = statusString(method, low);
  await writeEvent(tx, order.id, { status, top: status.split('.')[0], low, detail });
  await refreshTransactionStatus(tx, order.order_transaction_id);
  await recordAudit(tx, {
    orgId: order.org_id,
    subjectType: 'order',
    subjectId: order.id,
    actor: actorOf(principal),
    action: 'order.status_changed',
    before: { status: statusString(method, order.status_low) },
    after: { status, status_detail: detail },
  });
  await orderEvents.publish(tx, { eventType: 'labtest.order.updated', orderId: order.id, partial: low === 'partial_results' });
}
