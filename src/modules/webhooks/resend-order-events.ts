// Use case: Junction's resend_events (`POST /v3/order/resend_events`): the latest event of each of the team's
// chosen orders (by id, or updated within a window of at most 60 days; at most 1000 orders) is sent again to
// the endpoints that receive it — labtest.order.created for an order with one event, else .updated. Only
// webhooks are re-sent (nothing else an order change announces). Reads are batched: one read of the orders'
// views, one of their users, one of the endpoints per event type; then one write for every delivery.
import type { DB } from '../../db/database.js';
import type { Outbox } from '../../db/outbox.js';
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { viewOf } from '../orders/order-view.js';
import { listOrders } from '../orders/orders.repository.js';
import { orderEventPayload, WEBHOOK_CONSUMER } from './webhook-events.js';
import { clientUserIds, matchingEndpoints } from './webhooks.repository.js';
import type { ResendWebhookBody, WebhookEventType } from './webhooks.schemas.js';

const SIXTY_DAYS_MS = 60 * 86_400_000;
const MAX_ORDERS = 1000;

export interface ResendOrderEventsOptions {
  db: DB;
  outbox: Outbox;
  principal: TeamPrincipal;
  body: ResendWebhookBody;
}

/** Re-enqueues the events; returns the ids of the orders whose event was sent again. */
export async function resendOrderEvents({ db, outbox, principal, body }: ResendOrderEventsOptions): Promise<string[]> {
  if (!body.order_ids?.length && !body.start_at) throw new AppError('bad_request', 'order_ids or start_at is required');
  const start = body.start_at ? new Date(body.start_at) : undefined;
  const end = body.end_at ? new Date(body.end_at) : new Date();
  if (start && end.getTime() - start.getTime() > SIXTY_DAYS_MS)
    throw new AppError('bad_request', 'The window between start_at and end_at is at most 60 days');
  const scope = { teamId: principal.teamId, env: principal.env };
  return db.transaction().execute(async (tx) => {
    const { rows } = await listOrders(tx, scope, {
      orderIds: body.order_ids?.length ? body.order_ids : undefined,
      updatedStart: start,
      updatedEnd: start ? end : undefined,
      orderKey: 'created_at',
      direction: 'asc',
      offset: 0,
      limit: MAX_ORDERS,
    });
    if (rows.length === 0) return [];
    const clients = await clientUserIds(
      tx,
      rows.map((row) => row.user_id),
    );
    const eventTypeOf = (row: (typeof rows)[number]): WebhookEventType =>
      row.events.length > 1 ? 'labtest.order.updated' : 'labtest.order.created';
    // The team's orders share org, team and env: one read per event type finds every receiver.
    const receivers = new Map<WebhookEventType, string[]>();
    for (const eventType of new Set(rows.map(eventTypeOf))) {
      const { org_id: orgId, team_id: teamId, env } = rows[0];
      const found = await matchingEndpoints(tx, { orgId, teamId, env, eventType }).execute();
      receivers.set(
        eventType,
        found.map((e) => e.subject),
      );
    }
    const messages: { payload: string; subject: string }[] = [];
    for (const row of rows) {
      const eventType = eventTypeOf(row);
      const endpoints = receivers.get(eventType) ?? [];
      if (endpoints.length === 0) continue;
      const target = { teamId: row.team_id, userId: row.user_id, clientUserId: clients.get(row.user_id) ?? null };
      const payload = JSON.stringify(orderEventPayload(eventType, target, viewOf(row)));
      for (const subject of endpoints) messages.push({ payload, subject });
    }
    await outbox.enqueueMany(tx, WEBHOOK_CONSUMER, messages);
    return rows.map((row) => row.id);
  });
}
