// Webhook events as outbox messages (consumer `webhook`): one message per endpoint that receives the event,
// written in the transaction of the change by a single INSERT … SELECT, so an event costs its producer one
// statement however many endpoints there are (and writes nothing when there are none). Team endpoints get their
// team's events in their env; org endpoints (team_id null) get every team's events and lab_account.updated.
import type { Queryable } from '../../db/database.js';
import type { Outbox } from '../../db/outbox.js';
import { matchingEndpoints } from './webhooks.repository.js';
import type { WebhookEventType } from './webhooks.schemas.js';

/** The outbox consumer that delivers webhooks (deliver-webhook.ts). */
export const WEBHOOK_CONSUMER = 'webhook';

export interface WebhookEvent {
  orgId: string;
  /** The team the event belongs to; null for org-level events (lab_account.updated). */
  teamId: string | null;
  env: string;
  eventType: WebhookEventType;
  /** The request body every receiving endpoint gets. */
  payload: unknown;
}

/** Writes the event's deliveries in `tx`; returns how many endpoints will receive it. */
export function enqueueWebhookEvent(outbox: Outbox, tx: Queryable, event: WebhookEvent): Promise<number> {
  return outbox.enqueue(tx, WEBHOOK_CONSUMER, JSON.stringify(event.payload), {
    subjects: matchingEndpoints(tx, { orgId: event.orgId, teamId: event.teamId, env: event.env, eventType: event.eventType }),
  });
}

export interface OrderEventTarget {
  teamId: string;
  userId: string;
  clientUserId: string | null;
}

/** Junction's order-event payload (reference §10): {event_type, team_id, user_id, client_user_id, data}. */
export function orderEventPayload(eventType: WebhookEventType, target: OrderEventTarget, data: unknown): Record<string, unknown> {
  return { event_type: eventType, team_id: target.teamId, user_id: target.userId, client_user_id: target.clientUserId, data };
}
