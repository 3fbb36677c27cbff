// Turns order and lab-account changes into outbox events with Junction's payloads (reference §10):
// order events carry {event_type, data: ClientFacingOrder, team_id, user_id, client_user_id}; partial results
// notify only teams with partial_webhooks_enabled; lab_account.updated goes to org endpoints.
import type { Queryable } from '../../db/database.js';
import { setLabAccountPublisher } from '../lab-accounts/lab-account-events.js';
import { type OrderChange, setOrderPublisher } from '../orders/order-events.js';
import { loadClientFacingOrder } from '../orders/order-view.js';
import { enqueueWebhookEvent } from './outbox.js';

async function clientUserId(db: Queryable, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('client_user_id').where('id', '=', userId).executeTakeFirst();
  return row?.client_user_id ?? null;
}

async function partialWebhooksEnabled(db: Queryable, teamId: string, env: string): Promise<boolean> {
  const team = await db.selectFrom('teams').select(['sandbox', 'production']).where('id', '=', teamId).executeTakeFirst();
  const settings = env === 'sandbox' ? team?.sandbox : team?.production;
  return Boolean(settings?.partial_webhooks_enabled);
}

interface OrderEventTarget {
  orgId: string;
  teamId: string;
  env: string;
  userId: string;
  clientUserId: string | null;
}

/** Junction's order-event payload: {event_type, team_id, user_id, client_user_id, data}. */
function enqueueOrderEvent(tx: Queryable, eventType: OrderChange['eventType'], target: OrderEventTarget, data: unknown): Promise<number> {
  return enqueueWebhookEvent(tx, {
    orgId: target.orgId,
    teamId: target.teamId,
    env: target.env,
    eventType,
    payload: { event_type: eventType, team_id: target.teamId, user_id: target.userId, client_user_id: target.clientUserId, data },
  });
}

/** Installs the publishers (idempotent; module-wide, as the outbox lives in each change's own database). */
export function installWebhookPublishers(): void {
  setOrderPublisher(async (tx, change) => {
    if (change.written && change.eventType !== 'labtest.result.critical') {
      const { order, orgId, env, clientUserId: client } = change.written;
      await enqueueOrderEvent(
        tx,
        change.eventType,
        { orgId, teamId: order.team_id, env, userId: order.user_id, clientUserId: client },
        order,
      );
      return;
    }
    const order = await tx
      .selectFrom('orders')
      .select(['id', 'org_id', 'team_id', 'env', 'user_id', 'sample_id', 'interpretation', 'status_low', 'created_at', 'updated_at'])
      .where('id', '=', change.orderId)
      .executeTakeFirst();
    if (!order) return;
    if (change.partial && !(await partialWebhooksEnabled(tx, order.team_id, order.env))) return;
    const target = {
      orgId: order.org_id,
      teamId: order.team_id,
      env: order.env,
      userId: order.user_id,
      clientUserId: await clientUserId(tx, order.user_id),
    };
    const data =
      change.eventType === 'labtest.result.critical'
        ? {
            order_id: order.id,
            sample_id: order.sample_id,
            status: order.status_low === 'partial_results' ? 'partial' : 'final',
            interpretation: order.interpretation ?? 'critical',
            team_id: order.team_id,
            user_id: order.user_id,
            created_at: new Date(order.created_at).toISOString(),
            updated_at: new Date(order.updated_at).toISOString(),
          }
        : await loadClientFacingOrder(tx, order.id);
    await enqueueOrderEvent(tx, change.eventType, target, data);
  });
  setLabAccountPublisher(async (tx, change) => {
    await enqueueWebhookEvent(tx, {
      orgId: change.after.org_id!,
      teamId: null,
      env: change.env,
      eventType: 'lab_account.updated',
      payload: {
        event_type: 'lab_account.updated',
        org_id: change.after.org_id,
        data: change.after,
        before: change.before,
        after: change.after,
        at: new Date().toISOString(),
      },
    });
  });
}
