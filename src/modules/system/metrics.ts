// Prometheus metrics for operators (CONTRACT.md "Served documents"): request counts and latency by route and
// status, orders created, webhook deliveries and failures, outbox backlog. One registry per app instance so
// tests that build many apps do not share counters.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface AppMetrics {
  registry: Registry;
  ordersCreated: Counter;
  webhookDeliveries: Counter;
  webhookFailures: Counter;
  /** Set by the webhook work: returns the number of deliveries waiting. */
  setBacklogSource(source: () => Promise<number>): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

export function registerMetrics(app: FastifyInstance): AppMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'labroute_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'labroute_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const ordersCreated = new Counter({ name: 'labroute_orders_created_total', help: 'Orders created', registers: [registry] });
  const webhookDeliveries = new Counter({
    name: 'labroute_webhook_deliveries_total',
    help: 'Webhook deliveries that succeeded',
    registers: [registry],
  });
  const webhookFailures = new Counter({
    name: 'labroute_webhook_failures_total',
    help: 'Webhook delivery attempts that failed',
    registers: [registry],
  });
  let backlogSource: (() => Promise<number>) | null = null;
  new Gauge({
    name: 'labroute_webhook_outbox_backlog',
    help: 'Webhook deliveries waiting to be sent',
    registers: [registry],
    async collect() {
      this.set(backlogSource ? await backlogSource().catch(() => 0) : 0);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: bounded label values and no identifiers or PHI in metrics.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { route, method: request.method, status: String(reply.statusCode) };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });

  const metrics: AppMetrics = {
    registry,
    ordersCreated,
    webhookDeliveries,
    webhookFailures,
    setBacklogSource: (source) => {
      backlogSource = source;
    },
  };
  app.decorate('metrics', metrics);
  app.get('/metrics', { config: { auth: { kind: 'none' } }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return reply.serializer((payload: unknown) => String(payload)).send(await registry.metrics());
  });
  return metrics;
}
