// Every statement of the webhooks module: endpoints, which endpoints receive an event, what an order event
// needs to know about its order, and the attempt log of deliveries. The deliveries themselves are outbox rows
// (src/db/outbox.ts, consumer `webhook`, subject = endpoint id).
import { type Expression, sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { WebhookEventType } from './webhooks.schemas.js';

export interface EndpointRow {
  id: string;
  url: string;
  env: string;
  team_id: string | null;
  event_types: string[] | null;
  secret: string;
}

export interface NewEndpoint {
  id: string;
  orgId: string;
  teamId: string | null;
  env: string;
  url: string;
  eventTypes: string[] | null;
  secret: string;
}

export async function insertEndpoint(db: Queryable, endpoint: NewEndpoint): Promise<void> {
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: endpoint.id,
      org_id: endpoint.orgId,
      team_id: endpoint.teamId,
      env: endpoint.env,
      url: endpoint.url,
      event_types: JSON.stringify(endpoint.eventTypes),
      secret: endpoint.secret,
    })
    .execute();
}

/** The org's live endpoints, oldest first; `teamIds` (a team_admin's bindings) keeps only those teams' endpoints. */
export async function listEndpoints(db: Queryable, filter: { orgId: string; teamIds: string[] | null }): Promise<EndpointRow[]> {
  let query = db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'env', 'team_id', 'event_types', 'secret'])
    .where('org_id', '=', filter.orgId)
    .where('deleted_at', 'is', null);
  if (filter.teamIds) query = filter.teamIds.length ? query.where('team_id', 'in', filter.teamIds) : query.where(sql<boolean>`false`);
  return query.orderBy('seq').execute();
}

/** A live endpoint of the org, or undefined. */
export async function findEndpoint(db: Queryable, orgId: string, id: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'env', 'team_id', 'event_types', 'secret'])
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function markEndpointDeleted(db: Queryable, id: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ deleted_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** A value, or a column of the enclosing query (sql.ref) when the match is a correlated subquery. */
type Operand = string | Expression<string>;

export interface EndpointMatch {
  orgId: Operand;
  /** The event's team; null for org-level events (lab_account.updated), which only org endpoints receive. */
  teamId: Operand | null;
  env: Operand;
  eventType: WebhookEventType;
}

/**
 * The endpoints that receive an event, as one column `subject` (the endpoint id): live endpoints of the org in
 * the event's env, either org endpoints (team_id null, every team's events) or the event's team's, whose
 * `event_types` is unset or lists the event.
 */
export function matchingEndpoints(db: Queryable, match: EndpointMatch) {
  const { teamId } = match;
  return db
    .selectFrom('webhook_endpoints')
    .select(sql<string>`webhook_endpoints.id::text`.as('subject'))
    .where('webhook_endpoints.org_id', '=', match.orgId)
    .where('webhook_endpoints.env', '=', match.env)
    .where('webhook_endpoints.deleted_at', 'is', null)
    .where((eb) =>
      teamId === null
        ? eb('webhook_endpoints.team_id', 'is', null)
        : eb.or([eb('webhook_endpoints.team_id', 'is', null), eb('webhook_endpoints.team_id', '=', teamId)]),
    )
    .where((eb) =>
      eb.or([
        eb('webhook_endpoints.event_types', 'is', null),
        sql<boolean>`jsonb_typeof(webhook_endpoints.event_types) <> 'array'`,
        sql<boolean>`webhook_endpoints.event_types @> ${JSON.stringify([match.eventType])}::jsonb`,
      ]),
    );
}

export interface OrderEventSource {
  id: string;
  org_id: string;
  team_id: string;
  env: string;
  user_id: string;
  sample_id: string;
  interpretation: string | null;
  status_low: string;
  created_at: Date;
  updated_at: Date;
  client_user_id: string | null;
  partial_webhooks_enabled: boolean | null;
  /** Whether any endpoint receives `eventType` for this order: when none does, nothing more is read. */
  has_endpoints: boolean;
}

/** What an event about an order needs, in one query: the order, its user's client id, its team's setting, its endpoints. */
export async function findOrderEventSource(
  db: Queryable,
  orderId: string,
  eventType: WebhookEventType,
): Promise<OrderEventSource | undefined> {
  const row = await db
    .selectFrom('orders')
    .innerJoin('teams', 'teams.id', 'orders.team_id')
    .leftJoin('users', 'users.id', 'orders.user_id')
    .select([
      'orders.id',
      'orders.org_id',
      'orders.team_id',
      'orders.env',
      'orders.user_id',
      'orders.sample_id',
      'orders.interpretation',
      'orders.status_low',
      'orders.created_at',
      'orders.updated_at',
      'users.client_user_id',
      sql<
        boolean | null
      >`((case when orders.env = 'sandbox' then teams.sandbox else teams.production end) ->> 'partial_webhooks_enabled')::boolean`.as(
        'partial_webhooks_enabled',
      ),
    ])
    .select((eb) =>
      eb
        .exists(
          matchingEndpoints(db, {
            orgId: sql.ref<string>('orders.org_id'),
            teamId: sql.ref<string>('orders.team_id'),
            env: sql.ref<string>('orders.env'),
            eventType,
          }),
        )
        .as('has_endpoints'),
    )
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
  return row as OrderEventSource | undefined;
}

/** The client user ids of `userIds`, by user id (one query). */
export async function clientUserIds(db: Queryable, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'client_user_id'])
    .where('id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.client_user_id]));
}

export interface DeliveryTarget {
  url: string;
  secret: string;
}

/** Where and with which secret to deliver, for the live endpoints among `ids` (one query for a claimed batch). */
export async function deliveryTargets(db: Queryable, ids: readonly string[]): Promise<Map<string, DeliveryTarget>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'secret'])
    .where('id', 'in', [...new Set(ids)])
    .where('deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.id, { url: r.url, secret: r.secret }]));
}

export interface AttemptRecord {
  deliveryId: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Appends one attempt to a delivery's log. */
export async function recordAttempt(db: Queryable, attempt: AttemptRecord): Promise<void> {
  await db
    .insertInto('webhook_attempts')
    .values({
      delivery_id: attempt.deliveryId,
      status_code: attempt.statusCode,
      error: attempt.error,
      duration_ms: attempt.durationMs,
    })
    .execute();
}
