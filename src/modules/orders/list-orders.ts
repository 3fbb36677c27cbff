// GET /v3/orders: a page of the calling team's orders in its environment, filtered and sorted as asked, with
// the total of the orders the filters match.
import type { Queryable } from '../../db/database.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { viewOf } from './order-view.js';
import { listOrders as findOrders, type OrderListFilter } from './orders.repository.js';
import type { ClientFacingOrder } from './orders.schemas.js';

export async function listOrders(options: {
  db: Queryable;
  principal: TeamPrincipal;
  /** Filters and order; `offset`/`limit` select the page. */
  filter: OrderListFilter;
}): Promise<{ orders: ClientFacingOrder[]; total: number }> {
  const { principal } = options;
  const { rows, total } = await findOrders(options.db, { teamId: principal.teamId, env: principal.env }, options.filter);
  return { orders: rows.map(viewOf), total };
}
