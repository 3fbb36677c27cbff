// Webhook endpoints (Management API, CONTRACT.md) and Junction's resend_events (Team API); plus the
// dispatcher's lifecycle in the server (started on ready, stopped on close).

import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, notFound } from '../../domain/errors.js';
import { errorResponses } from '../../http/error-responses.js';
import { Env, OrgParams, Uuid } from '../../http/wire.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type TeamPrincipal } from '../auth/principal.js';
import { publishOrderChange } from '../orders/order-events.js';
import { assertOrgInScope, MANAGEMENT_SECURITY, managementCaller } from '../orgs/org-access.js';
import { dispatchDue, outboxBacklog } from './dispatcher.js';
import { installWebhookPublishers } from './event-publishers.js';
import { WEBHOOK_EVENT_TYPES } from './outbox.js';
import { maskSecret, newWebhookSecret } from './svix-signature.js';
import { webhookUrlProblem } from './url-safety.js';

const Endpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    env: Env,
    team_id: z.string().nullable(),
    event_types: z.array(z.string()).nullable(),
    secret: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
const CreateEndpointBody = z
  .object({
    url: z.string().min(1).max(2000),
    env: Env,
    team_id: Uuid.nullish(),
    event_types: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).nullish(),
  })
  .meta({ id: 'CreateWebhookEndpointBody' });
const ResendWebhookBody = z
  .object({
    order_ids: z.array(Uuid).max(1000).nullish(),
    start_at: z.iso.datetime({ offset: true }).nullish(),
    end_at: z.iso.datetime({ offset: true }).nullish(),
  })
  .meta({ id: 'ResendWebhookBody' });

const DISPATCH_INTERVAL_MS = 250;
const SIXTY_DAYS_MS = 60 * 86_400_000;

export const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  installWebhookPublishers();
  const db = () => app.deps.database.db;
  app.metrics.setBacklogSource(() => outboxBacklog(db()));

  app.post(
    '/v1/org/:org_id/webhook_endpoints',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'create_webhook_endpoint',
        summary: 'Create a webhook endpoint (Labroute)',
        tags: ['Webhooks'],
        params: OrgParams,
        body: CreateEndpointBody,
        response: { 201: Endpoint, ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request, reply) => {
      const principal = managementCaller(request.principal);
      const { org_id } = request.params;
      assertOrgInScope(principal, org_id);
      const body = request.body;
      const teamId = body.team_id?.toLowerCase() ?? null;
      if (teamId === null && principal.role !== 'org_admin')
        throw new AppError('forbidden', 'Only org_admin keys manage org-level webhook endpoints');
      if (teamId !== null) {
        const team = await db().selectFrom('teams').select('id').where('id', '=', teamId).where('org_id', '=', org_id).executeTakeFirst();
        if (!team || (principal.role === 'team_admin' && !principal.teamIds.includes(teamId))) throw notFound('team_not_found', 'Team');
      }
      const problem = await webhookUrlProblem(body.url, app.deps.config.webhookAllowPrivate);
      if (problem) throw new AppError('bad_request', problem);
      const id = randomUUID();
      const secret = newWebhookSecret();
      await db()
        .transaction()
        .execute(async (tx) => {
          await tx
            .insertInto('webhook_endpoints')
            .values({
              id,
              org_id,
              team_id: teamId,
              env: body.env,
              url: body.url,
              event_types: JSON.stringify(body.event_types ?? null),
              secret,
            })
            .execute();
          await recordAudit(tx, {
            orgId: org_id,
            subjectType: 'webhook_endpoint',
            subjectId: id,
            actor: actorOf(principal),
            action: 'webhook_endpoint.created',
            before: null,
            after: { url: body.url, env: body.env, team_id: teamId },
          });
        });
      return reply.code(201).send({ id, url: body.url, env: body.env, team_id: teamId, event_types: body.event_types ?? null, secret });
    },
  );

  app.get(
    '/v1/org/:org_id/webhook_endpoints',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'list_webhook_endpoints',
        summary: 'List webhook endpoints (Labroute)',
        tags: ['Webhooks'],
        params: OrgParams,
        response: { 200: z.object({ data: z.array(Endpoint) }), ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const principal = managementCaller(request.principal);
      assertOrgInScope(principal, request.params.org_id);
      let query = db()
        .selectFrom('webhook_endpoints')
        .select(['id', 'url', 'env', 'team_id', 'event_types', 'secret'])
        .where('org_id', '=', request.params.org_id)
        .where('deleted_at', 'is', null);
      if (principal.role === 'team_admin')
        query = principal.teamIds.length ? query.where('team_id', 'in', principal.teamIds) : query.where(sql<boolean>`false`);
      const rows = await query.orderBy('seq').execute();
      return { data: rows.map((r) => ({ ...r, env: r.env as 'sandbox', secret: maskSecret(r.secret) })) };
    },
  );

  app.delete(
    '/v1/org/:org_id/webhook_endpoints/:endpoint_id',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'delete_webhook_endpoint',
        summary: 'Delete a webhook endpoint (Labroute)',
        tags: ['Webhooks'],
        params: OrgParams.extend({ endpoint_id: Uuid }),
        response: { 200: z.object({ success: z.boolean() }), ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const principal = managementCaller(request.principal);
      const { org_id, endpoint_id } = request.params;
      assertOrgInScope(principal, org_id);
      const row = await db()
        .selectFrom('webhook_endpoints')
        .select(['id', 'team_id', 'url'])
        .where('id', '=', endpoint_id)
        .where('org_id', '=', org_id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!row || (principal.role === 'team_admin' && (!row.team_id || !principal.teamIds.includes(row.team_id))))
        throw notFound('not_found', 'Webhook endpoint');
      await db()
        .transaction()
        .execute(async (tx) => {
          await tx.updateTable('webhook_endpoints').set({ deleted_at: sql<Date>`now()` }).where('id', '=', endpoint_id).execute();
          // Nothing more is sent to a deleted endpoint.
          await tx
            .updateTable('webhook_deliveries')
            .set({ status: 'failed', last_error: 'endpoint deleted' })
            .where('endpoint_id', '=', endpoint_id)
            .where('status', '=', 'pending')
            .execute();
          await recordAudit(tx, {
            orgId: org_id,
            subjectType: 'webhook_endpoint',
            subjectId: endpoint_id,
            actor: actorOf(principal),
            action: 'webhook_endpoint.deleted',
            before: { url: row.url },
            after: null,
          });
        });
      return { success: true };
    },
  );

  app.post(
    '/v3/order/resend_events',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'resend_order_webhook_v3_order_resend_events_post',
        summary: 'Resend Order Webhook',
        tags: ['lab_tests'],
        body: ResendWebhookBody,
        response: {
          200: z.object({ order_ids: z.array(z.string()) }).meta({ id: 'ResendWebhookResponse' }),
          ...errorResponses(400, 401, 413, 422),
        },
      },
    },
    async (request) => {
      const p = request.principal as TeamPrincipal;
      const body = request.body;
      if (!body.order_ids?.length && !body.start_at) throw new AppError('bad_request', 'order_ids or start_at is required');
      const end = body.end_at ? new Date(body.end_at) : new Date();
      if (body.start_at && end.getTime() - new Date(body.start_at).getTime() > SIXTY_DAYS_MS)
        throw new AppError('bad_request', 'The window between start_at and end_at is at most 60 days');
      let query = db().selectFrom('orders').select('id').where('team_id', '=', p.teamId).where('env', '=', p.env);
      if (body.order_ids?.length) query = query.where('id', 'in', body.order_ids);
      if (body.start_at) query = query.where('updated_at', '>=', new Date(body.start_at)).where('updated_at', '<=', end);
      const orders = await query.limit(1000).execute();
      await db()
        .transaction()
        .execute(async (tx) => {
          // The latest event of each order, again: its creation or its latest update.
          for (const { id } of orders) {
            const events = await tx
              .selectFrom('order_events')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('order_id', '=', id)
              .executeTakeFirstOrThrow();
            await publishOrderChange(tx, {
              eventType: Number(events.n) > 1 ? 'labtest.order.updated' : 'labtest.order.created',
              orderId: id,
            });
          }
        });
      return { order_ids: orders.map((o) => o.id) };
    },
  );

  if (process.env.LABROUTE_WEBHOOK_DISPATCHER !== '0') {
    let timer: NodeJS.Timeout | null = null;
    let running = false;
    const counters = { delivered: () => app.metrics.webhookDeliveries.inc(), failed: () => app.metrics.webhookFailures.inc() };
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        if (running) return;
        running = true;
        dispatchDue(db(), app.deps.config, counters)
          .catch((error: unknown) => app.log.warn({ err: error }, 'webhook dispatch failed; retrying'))
          .finally(() => {
            running = false;
          });
      }, DISPATCH_INTERVAL_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
    });
  }
};
