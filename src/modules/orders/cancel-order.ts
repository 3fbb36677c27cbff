// POST /v3/order/{order_id}/cancel: a team cancels one of its orders while the order's collection method
// still allows it (reference §6.3).
import type { DB } from '../../db/database.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import { isCancellable, statusString } from '../../domain/order-status.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { appendOrderEvent } from './append-order-event.js';
import type { OrderEvents } from './order-events.js';
import { loadClientFacingOrder } from './order-view.js';
import { findOrder } from './orders.repository.js';
import type { ClientFacingOrder } from './orders.schemas.js';

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
