// The durable outbox: events are written as one delivery row per matching endpoint, in the same transaction
// as the change they describe, so nothing is sent for a rolled-back change and nothing is lost on a crash.
// Team endpoints get their team's events in their env; org endpoints (team_id null) get every team's events
// and lab_account.updated.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';

export const WEBHOOK_EVENT_TYPES = [
  'labtest.order.created',
  'labtest.order.updated',
  'labtest.result.critical',
  'lab_account.updated',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface OutboxEvent {
  orgId: string;
  /** The team the event belongs to; null for org-level events (lab_account.updated). */
  teamId: string | null;
  env: string;
  eventType: WebhookEventType;
  payload: unknown;
}

/** Writes the event's deliveries; returns how many endpoints will receive it. */
export async function enqueueWebhookEvent(tx: Queryable, event: OutboxEvent): Promise<number> {
  let query = tx
    .selectFrom('webhook_endpoints')
    .select(['id', 'event_types'])
    .where('org_id', '=', event.orgId)
    .where('env', '=', event.env)
    .where('deleted_at', 'is', null);
  query = event.teamId
    ? query.where((eb) => eb.or([eb('team_id', 'is', null), eb('team_id', '=', event.teamId)]))
    : query.where('team_id', 'is', null);
  const endpoints = (await query.execute()).filter((e) => !e.event_types || e.event_types.includes(event.eventType));
  if (endpoints.length === 0) return 0;
  const payload = JSON.stringify(event.payload);
  await tx
    .insertInto('webhook_deliveries')
    .values(
      endpoints.map((endpoint) => ({
        id: randomUUID(),
        endpoint_id: endpoint.id,
        event_type: event.eventType,
        payload,
        next_attempt_at: sql<Date>`now()`,
      })),
    )
    .execute();
  return endpoints.length;
}
