// The dry run of placement (POST /v3/order/resolve_lab_account): the lab account an order would go through and
// why, or the error placement would give — with the same reads and locks, in a transaction that writes nothing.
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from '../lab-accounts/lab-account-cache.js';
import { contextRequestOf, decidePlacement } from './decide-placement.js';
import type { ResolvedAccount } from './order-lab-account.js';
import type { CreateOrderRequest } from './orders.schemas.js';
import { placementRequestOf } from './place-order.js';
import type { OrderPlacements } from './placement.repository.js';

export async function resolveOrderLabAccount(options: {
  placements: OrderPlacements;
  labAccountCache: LabAccountCache;
  principal: TeamPrincipal;
  body: CreateOrderRequest;
  today?: string;
}): Promise<ResolvedAccount> {
  const request = await placementRequestOf(options);
  const decided = await options.placements.decideOnly({
    context: contextRequestOf(request),
    decide: (tx, context) => decidePlacement(tx, request, context),
  });
  return decided.resolved;
}
