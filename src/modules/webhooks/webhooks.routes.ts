// Webhook endpoints (Management API, CONTRACT.md) and Junction's resend_events (Team API). Thin: each handler
// calls one use case. Deliveries are the outbox's `webhook` consumer (deliver-webhook.ts, src/plugins/outbox.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-responses.js';
import { OrgParams } from '../../http/wire.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { MANAGEMENT_SECURITY, managementCaller } from '../orgs/org-access.js';
import { createWebhookEndpoint } from './create-webhook-endpoint.js';
import { deleteWebhookEndpoint } from './delete-webhook-endpoint.js';
import { listWebhookEndpoints } from './list-webhook-endpoints.js';
import { resendOrderEvents } from './resend-order-events.js';
import {
  CreateWebhookEndpointBody,
  DeleteWebhookEndpointResponse,
  ResendWebhookBody,
  ResendWebhookResponse,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointParams,
} from './webhooks.schemas.js';

export const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

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
        body: CreateWebhookEndpointBody,
        response: { 201: WebhookEndpoint, ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request, reply) => {
      const endpoint = await createWebhookEndpoint({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        body: request.body,
        allowPrivate: app.deps.config.webhookAllowPrivate,
      });
      return reply.code(201).send(endpoint);
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
        response: { 200: WebhookEndpointList, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => ({
      data: await listWebhookEndpoints({ db, principal: managementCaller(request.principal), orgId: request.params.org_id }),
    }),
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
        params: WebhookEndpointParams,
        response: { 200: DeleteWebhookEndpointResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      await deleteWebhookEndpoint({
        db,
        outbox: app.outbox,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        endpointId: request.params.endpoint_id,
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
        response: { 200: ResendWebhookResponse, ...errorResponses(400, 401, 413, 422) },
      },
    },
    async (request) => ({
      order_ids: await resendOrderEvents({ db, outbox: app.outbox, principal: request.principal as TeamPrincipal, body: request.body }),
    }),
  );
};
