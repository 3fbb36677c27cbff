// A team accepts an unmatched result onto one of its orders (Junction's accept endpoint). Labroute attaches
// it only to an order placed under the lab account whose number the result came under (400
// lab_account_mismatch otherwise), so acceptance can never move results across accounts.
import type { DB } from '../../db/database.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import { statusForDelivery } from '../../domain/result-statuses.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type TeamPrincipal } from '../auth/principal.js';
import type { OrderEvents } from '../orders/order-events.js';
import { loadClientFacingOrder } from '../orders/order-view.js';
import { findOrder } from '../orders/orders.repository.js';
import type { ClientFacingOrder } from '../orders/orders.schemas.js';
import { announceResult } from './deliver-result.js';
import { applyResultStatus, attachDelivery, findUnmatchedForTeam, resolveUnmatched } from './results.repository.js';

export async function acceptUnmatchedResult(options: {
  db: DB;
  orderEvents: OrderEvents;
  principal: TeamPrincipal;
  id: string;
  orderId: string | null;
  userId: string | null;
  note: string | null;
}): Promise<ClientFacingOrder> {
  const { principal: p } = options;
  const scope = { teamId: p.teamId, env: p.env, region: p.region };
  return options.db.transaction().execute(async (tx) => {
    const item = await findUnmatchedForTeam(tx, scope, options.id);
    if (!item) throw new AppError('unmatched_result_not_found', 'Unmatched result not found');
    if (item.status === 'resolved') throw new AppError('bad_request', 'This unmatched result is already resolved', { status: item.status });
    const targetId = options.orderId ?? item.quoted_order_id;
    if (!targetId) throw new AppError('bad_request', 'order_id is required: the result quoted no order of this team');
    const order = await findOrder(tx, { teamId: p.teamId, env: p.env }, targetId, true);
    if (!order) throw new AppError('order_not_found', 'Order not found');
    if (options.userId && options.userId.toLowerCase() !== order.user_id)
      throw new AppError('bad_request', 'user_id is not the order’s user');
    if (!item.lab_account_id || item.lab_account_id !== order.lab_account_id) {
      throw new AppError('lab_account_mismatch', 'The result came under another lab account than the one this order was placed with');
    }
    const corrected = order.status_top === 'completed' && item.result_status === 'final';
    await attachDelivery(tx, item.delivery_id, { orderId: order.id, outcome: corrected ? 'corrected' : 'matched' });
    if (order.status_top !== 'cancelled' && order.status_top !== 'failed') {
      const change = statusForDelivery(order.collection_method as CollectionMethod, item.result_status, corrected);
      await applyResultStatus(tx, order, change, item.interpretation);
      await announceResult(tx, options.orderEvents, order.id, change?.low ?? null, item.interpretation);
    }
    await resolveUnmatched(tx, item.id, {
      status: 'resolved',
      resolutionAction: 'accept',
      note: options.note,
      resolvedOrderId: order.id,
      resolvedUserId: order.user_id,
    });
    await recordAudit(tx, {
      orgId: p.orgId,
      subjectType: 'result',
      subjectId: item.id,
      actor: actorOf(p),
      action: 'unmatched_result.accept',
      before: { status: item.status },
      after: { status: 'resolved', order_id: order.id },
    });
    return loadClientFacingOrder(tx, order.id);
  });
}
