// Wire shapes of webhooks: endpoints (Management API, CONTRACT.md "Webhook endpoints"), the event types they
// may subscribe to, and Junction's resend_events body and response (Team API).
import { z } from 'zod';
import { Env, OrgParams, Uuid } from '../../http/wire.js';

export const WEBHOOK_EVENT_TYPES = [
  'labtest.order.created',
  'labtest.order.updated',
  'labtest.result.critical',
  'lab_account.updated',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WebhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    env: Env,
    team_id: z.string().nullable(),
    event_types: z.array(z.string()).nullable(),
    secret: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointList = z.object({ data: z.array(WebhookEndpoint) });

export const CreateWebhookEndpointBody = z
  .object({
    url: z.string().min(1).max(2000),
    env: Env,
    team_id: Uuid.nullish(),
    event_types: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).nullish(),
  })
  .meta({ id: 'CreateWebhookEndpointBody' });
export type CreateWebhookEndpointBody = z.infer<typeof CreateWebhookEndpointBody>;

export const WebhookEndpointParams = OrgParams.extend({ endpoint_id: Uuid });

export const DeleteWebhookEndpointResponse = z.object({ success: z.boolean() });

export const ResendWebhookBody = z
  .object({
    order_ids: z.array(Uuid).max(1000).nullish(),
    start_at: z.iso.datetime({ offset: true }).nullish(),
    end_at: z.iso.datetime({ offset: true }).nullish(),
  })
  .meta({ id: 'ResendWebhookBody' });
export type ResendWebhookBody = z.infer<typeof ResendWebhookBody>;

export const ResendWebhookResponse = z.object({ order_ids: z.array(z.string()) }).meta({ id: 'ResendWebhookResponse' });
