// `app.orderEvents`: what order changes announce, passed to the use cases that change orders. Today an order
// change announces webhooks (src/modules/webhooks/order-webhooks.ts), written to the outbox in the change's
// transaction.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { OrderEvents } from '../modules/orders/order-events.js';
import { orderWebhooks } from '../modules/webhooks/order-webhooks.js';

declare module 'fastify' {
  interface FastifyInstance {
    orderEvents: OrderEvents;
  }
}

async function orderEventsPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('orderEvents', orderWebhooks(app.outbox));
}

export default fp(orderEventsPlugin, { name: 'order-events', fastify: '5.x', dependencies: ['outbox'] });
