// POST /v3/order: checks what the request's schema cannot, then — in one transaction that holds the team's
// cell accounts locked — reads the order's context, decides it (tests, lab account, patient rules), stores the
// order with its first events, announces it to the outside world and lets the caller finish (the idempotency
// record). How placements share transactions is placement.repository.ts's business.

import type { Tx } from '../../db/database.js';
import { InvalidFieldError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from '../lab-accounts/lab-account-cache.js';
import { cachedTeamCell } from '../lab-accounts/team-visibility.js';
import { contextRequestOf, type DecidedPlacement, decidePlacement, type PlacementRequest } from './decide-placement.js';
import { newOrderView } from './new-order.js';
import type { OrderEvents } from './order-events.js';
import { type ClientFacingOrder, type CreateOrderRequest, US_ZIP_PATTERN } from './orders.schemas.js';
import type { OrderPlacements } from './placement.repository.js';

export interface PlaceOrderOptions {
  placements: OrderPlacements;
  labAccountCache: LabAccountCache;
  principal: TeamPrincipal;
  body: CreateOrderRequest;
  /** Where a placed order is announced (labtest.order.created), in its transaction. */
  orderEvents: OrderEvents;
  /** The clock's "today" (YYYY-MM-DD) for minors and scheduled orders; tests may fix it. */
  today?: string;
  /** Runs inside the order's transaction just before it commits (the idempotency record is written there). */
  beforeCommit?: (tx: Tx, order: ClientFacingOrder) => Promise<void>;
}

/** Places the order and answers it as stored; throws the domain error that rejects it. */
export async function placeOrder(options: PlaceOrderOptions): Promise<ClientFacingOrder> {
  const request = await placementRequestOf(options);
  return options.placements.place<DecidedPlacement>({
    context: contextRequestOf(request),
    decide: (tx, context) => decidePlacement(tx, request, context),
    finish: async (tx, decided, stored) => {
      const order = newOrderView(decided.row, stored);
      if (decided.hasWebhookEndpoints) {
        await options.orderEvents.publish(tx, {
          eventType: 'labtest.order.created',
          orderId: order.id,
          written: { order, orgId: request.principal.orgId, env: request.principal.env, clientUserId: decided.clientUserId },
        });
      }
      await options.beforeCommit?.(tx, order);
      return order;
    },
  });
}

/** The checks that need no database, and the team's cell as cached; shared with the dry run. */
export async function placementRequestOf(
  options: Pick<PlaceOrderOptions, 'labAccountCache' | 'principal' | 'body' | 'today'>,
): Promise<PlacementRequest> {
  const { principal, body, labAccountCache } = options;
  assertZipOfRegion(principal, body);
  return {
    principal,
    body,
    labAccountCache,
    cachedCell: await cachedTeamCell(labAccountCache, principal),
    today: options.today ?? new Date().toISOString().slice(0, 10),
  };
}

/** A us-region order needs a US zip code: the schema cannot say so, since it depends on the caller's cell. */
function assertZipOfRegion(principal: TeamPrincipal, body: CreateOrderRequest): void {
  if (principal.region === 'us' && !US_ZIP_PATTERN.test(body.patient_address.zip)) {
    const pattern = US_ZIP_PATTERN.source;
    throw new InvalidFieldError(['patient_address', 'zip'], 'string_pattern_mismatch', `String should match pattern '${pattern}'`, {
      pattern,
    });
  }
}
