// The webhooks module's OrderEvents: each order change becomes a webhook event (Junction's payloads, reference
// §10) for the endpoints that receive it. A change that brings the order as written costs one statement; any
// other first reads what it needs in one query and stops there when no endpoint receives the event. Partial
// results notify only teams with partial_webhooks_enabled.
import type { Outbox } from '../../db/outbox.js';
import type { OrderEvents } from '../orders/order-events.js';
import { loadClientFacingOrder } from '../orders/order-view.js';
import { enqueueWebhookEvent, orderEventPayload } from './webhook-events.js';
import { findOrderEventSource, type OrderEventSource } from './webhooks.repository.js';

/** labtest.result.critical's data: the order's identity and result state, not the whole order. */
function criticalResultData(order: OrderEventSource): Record<string, unknown> {
  return {
    order_id: order.id,
    sample_id: order.sample_id,
    status: order.status_low === 'partial_results' ? 'partial' : 'final',
    interpretation: order.interpretation ?? 'critical',
    team_id: order.team_id,
    user_id: order.user_id,
    created_at: new Date(order.created_at).toISOString(),
    updated_at: new Date(order.updated_at).toISOString(),
  };
}

/** Order events delivered as webhooks through `outbox`. */
export function orderWebhooks(outbox: Outbox): OrderEvents {
  return {
    publish: async (tx, change) => {
      if (change.written && change.eventType !== 'labtest.result.critical') {
        const { order, orgId, env, clientUserId } = change.written;
        const target = { teamId: order.team_id, userId: order.user_id, clientUserId };
        await enqueueWebhookEvent(outbox, tx, {
          orgId,
          teamId: order.team_id,
          env,
          eventType: change.eventType,
          payload: orderEventPayload(change.eventType, target, order),
        });
        return;
      }
      const source = await findOrderEventSource(tx, change.orderId, change.eventType);
      if (!source?.has_endpoints) return;
      if (change.partial && !source.partial_webhooks_enabled) return;
      const data = change.eventType === 'labtest.result.critical' ? criticalResultData(source) : await loadClientFacingOrder(tx, source.id);
      await enqueueWebhookEvent(outbox, tx, {
        orgId: source.org_id,
        teamId: source.team_id,
        env: source.env,
        eventType: change.eventType,
        payload: orderEventPayload(
          change.eventType,
          { teamId: source.team_id, userId: source.user_id, clientUserId: source.client_user_id },
          data,
        ),
      });
    },
  };
}
