// The documents of an order a team may read (its results, the result report PDF and the requisition PDF)
// share their inputs and their guard: the order must be the team's, in its key's environment.
import type { Config } from '../../config.js';
import type { DB } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { findTeamOrder } from './results.repository.js';

/** What every order-document use case takes. */
export interface OrderDocumentOptions {
  /** Root handle (reads only). */
  db: DB;
  /** The calling team; other teams' orders are 404. */
  principal: TeamPrincipal;
  /** The order in the path. */
  orderId: string;
  /** The deployment's configuration (its platform physician signs non-delegated orders). */
  config: Config;
}

/** The team's order with its account fields, or 404 order_not_found. */
export async function readableOrder(options: OrderDocumentOptions) {
  const order = await findTeamOrder(options.db, { teamId: options.principal.teamId, env: options.principal.env }, options.orderId);
  if (!order) throw new AppError('order_not_found', 'Order not found');
  return order;
}
