// `app.labAccountEvents`: what lab-account changes announce, passed to the use cases that change accounts —
// the cache NOTIFY to every instance and, for org accounts, the `lab_account.updated` webhook
// (src/modules/webhooks/lab-account-webhooks.ts) written to the outbox in the change's transaction.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type LabAccountEvents, labAccountEvents } from '../modules/lab-accounts/lab-account-events.js';
import { labAccountWebhooks } from '../modules/webhooks/lab-account-webhooks.js';

declare module 'fastify' {
  interface FastifyInstance {
    labAccountEvents: LabAccountEvents;
  }
}

async function labAccountEventsPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('labAccountEvents', labAccountEvents(labAccountWebhooks(app.outbox)));
}

export default fp(labAccountEventsPlugin, { name: 'lab-account-events', fastify: '5.x', dependencies: ['outbox'] });
