// Status changes of an existing order: a team's cancellation (reference §6.3 rules) and the operator's
// lifecycle events (reference §6.2 graph). Each appends an event, keeps the transaction status in line,
// is audited and announced as labtest.order.updated.
import type { DB, Queryable } from '../../db/database.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import { canTransition, isCancellable, parseStatus, statusString } from '../../domain/order-status.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type Principal, type TeamPrincipal } from '../auth/principal.js';
import type { OrderEvents } from './order-events.js';
import { loadClientFacingOrder } from './order-view.js';
import { findOrder, findOrderById, type OrderRow, refreshTransactionStatus, writeEvent } from './orders.repository.js';
import type { ClientFacingOrder } from './orders.schemas.js';

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

export async function cancelOrder(options: {
  db: DB;
  orderEvents: OrderEvents;
  principal: TeamPrincipal;
  orderId: string;
}): Promise<ClientFacingOrder> {
  const { principal } = options;
  return options.db.transaction().execute(async (tx) => {
    const order = await findOrder(tx, { teamId: principal.teamId, env: principal.env }, options.orderId, true);
    if (!order) throw new AppError('order_not_found', 'Order not found');
    const method = order.collection_method as CollectionMethod;
    if (!isCancellable(method, order.status_low)) {
      const current = statusString(method, order.status_low);
      throw new AppError('cancel_not_allowed', `Transition from ${current} to cancelled is not allowed`, { status: current });
    }
    await appendOrderEvent(tx, order, 'cancelled', null, principal, options.orderEvents);
    return loadClientFacingOrder(tx, order.id);
  });
}

/** Operator: moves an order along its lifecycle; illegal transitions are 400 invalid_status_transition. */
export async function recordOrderEvent(options: {
  db: DB;
  orderEvents: OrderEvents;
  principal: Principal | null;
  orderId: string;
  status: string;
  statusDetail: string | null;
}): Promise<ClientFacingOrder> {
  return options.db.transaction().execute(async (tx) => {
    const order = await findOrderById(tx, options.orderId, true);
    if (!order) throw new AppError('order_not_found', 'Order not found');
    const method = order.collection_method as CollectionMethod;
    const parsed = parseStatus(options.status);
    const current = statusString(method, order.status_low);
    if (!parsed || parsed.method !== method || !canTransition(method, order.status_low, parsed.low)) {
      throw new AppError('invalid_status_transition', `Transition from ${current} to ${options.status} is not allowed`, {
        status: current,
      });
    }
    await appendOrderEvent(tx, order, parsed.low, options.statusDetail, options.principal, options.orderEvents);
    return loadClientFacingOrder(tx, order.id);
  });
}
