// POST /operator/v1/orders/{order_id}/events: the operator, acting for the lab, moves an order along its
// lifecycle graph (reference §6.2); a transition the graph does not have is 400 invalid_status_transition.
import type { DB } from '../../db/database.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import { canTransition, parseStatus, statusString } from '../../domain/order-status.js';
import type { Principal } from '../auth/principal.js';
import { appendOrderEvent } from './append-order-event.js';
import type { OrderEvents } from './order-events.js';
import { loadClientFacingOrder } from './order-view.js';
import { findOrderById } from './orders.repository.js';
import type { ClientFacingOrder } from './orders.schemas.js';

/** Moves the order to `status` if its graph allows it from the current status. */
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
