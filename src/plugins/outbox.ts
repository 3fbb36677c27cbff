// The outbox service (src/db/outbox.ts) of this instance, decorated as `app.outbox`, with its consumers
// registered — `webhook` (src/modules/webhooks/deliver-webhook.ts) today. Once the app is ready it polls the
// consumers this process runs (the webhook consumer unless LABROUTE_WEBHOOK_DISPATCHER=0) every 250 ms, and
// refills a consumer's free slots as soon as a message finishes; on close it stops and gives back the messages
// in flight. /metrics gets the pending messages per consumer (and the webhook backlog under its old name).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { createOutbox, type Outbox } from '../db/outbox.js';
import { webhookConsumer } from '../modules/webhooks/deliver-webhook.js';
import { WEBHOOK_CONSUMER } from '../modules/webhooks/webhook-events.js';

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox;
  }
}

/** How often due messages are looked for (a message written by any instance waits at most this long). */
const POLL_INTERVAL_MS = 250;
/** One backlog count serves the scrape's gauges. */
const BACKLOG_TTL_MS = 1000;

async function outboxPlugin(app: FastifyInstance): Promise<void> {
  const { config, database } = app.deps;
  const outbox = createOutbox(database.db, [
    webhookConsumer({
      db: database.db,
      retryScheduleSeconds: config.webhookRetryScheduleSeconds,
      timeoutMs: config.webhookTimeoutMs,
      allowPrivate: config.webhookAllowPrivate,
      counters: { delivered: () => app.metrics.webhookDeliveries.inc(), failed: () => app.metrics.webhookFailures.inc() },
    }),
  ]);
  app.decorate('outbox', outbox);

  let backlog: { at: number; counts: Promise<Map<string, number>> } | null = null;
  const counts = (): Promise<Map<string, number>> => {
    if (!backlog || Date.now() - backlog.at > BACKLOG_TTL_MS) backlog = { at: Date.now(), counts: outbox.backlog() };
    return backlog.counts;
  };
  app.metrics.setBacklogSource(async () => (await counts()).get(WEBHOOK_CONSUMER) ?? 0);
  new Gauge({
    name: 'labroute_outbox_backlog',
    help: 'Outbox messages waiting, by consumer',
    labelNames: ['consumer'],
    registers: [app.metrics.registry],
    async collect() {
      const pending = await counts().catch(() => new Map<string, number>());
      for (const consumer of outbox.consumers) this.set({ consumer }, pending.get(consumer) ?? 0);
    },
  });

  const running = config.webhookDispatcher ? [WEBHOOK_CONSUMER] : [];
  app.addHook('onReady', async () => {
    outbox.start(running, {
      intervalMs: POLL_INTERVAL_MS,
      onError: (error, consumer) => app.log.warn({ err: error, consumer }, 'outbox delivery round failed; retrying'),
    });
  });
  app.addHook('onClose', async () => {
    await outbox.stop();
  });
}

export default fp(outboxPlugin, { name: 'outbox', fastify: '5.x', decorators: { fastify: ['deps', 'metrics'] } });
