// GET /v3/order/{order_id}: one order of the calling team in its environment; another team's is not found.
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { viewOf } from './order-view.js';
import { findOrderView } from './orders.repository.js';
import type { ClientFacingOrder } from './orders.schemas.js';

export async function getOrder(options: { db: Queryable; principal: TeamPrincipal; orderId: string }): Promise<ClientFacingOrder> {
  const { principal } = options;
  const row = await findOrderView(options.db, options.orderId, { teamId: principal.teamId, env: principal.env });
  if (!row) throw new AppError('order_not_found', 'Order not found');
  return viewOf(row);
}
