// The outbox consumer `webhook`: delivers one webhook message to its endpoint — the target checked again (DNS
// can change), the body POSTed Svix-signed with a timeout, the attempt recorded in the attempt log. Failures
// are retried by LABROUTE_WEBHOOK_RETRY_SCHEDULE through the outbox; only 2xx counts, a 3xx is a failure (as
// with Svix). Endpoints are independent: each message holds one of the consumer's slots, so a slow or failing
// endpoint never holds up another's deliveries beyond the slot it occupies.
import type { DB } from '../../db/database.js';
import type { OutboxConsumer, OutboxMessage } from '../../db/outbox.js';
import { signPayload } from './svix-signature.js';
import { webhookUrlProblem } from './url-safety.js';
import { WEBHOOK_CONSUMER } from './webhook-events.js';
import { type DeliveryTarget, deliveryTargets, recordAttempt } from './webhooks.repository.js';

export interface WebhookDeliveryCounters {
  delivered: () => void;
  failed: () => void;
}

export interface WebhookConsumerOptions {
  db: DB;
  /** LABROUTE_WEBHOOK_RETRY_SCHEDULE. */
  retryScheduleSeconds: readonly number[];
  /** LABROUTE_WEBHOOK_TIMEOUT_MS, per attempt. */
  timeoutMs: number;
  /** LABROUTE_WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** /metrics counters. */
  counters?: WebhookDeliveryCounters;
}

/** Deliveries one instance sends at once. */
const CONCURRENCY = 20;

interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  ms: number;
}

/** The Svix message id: stable across the retries of one delivery. */
export function svixMessageId(deliveryId: string): string {
  return `msg_${deliveryId.replace(/-/g, '')}`;
}

async function post(
  message: OutboxMessage,
  target: DeliveryTarget,
  options: WebhookConsumerOptions,
  shutdown: AbortSignal,
): Promise<AttemptOutcome> {
  const started = Date.now();
  const problem = await webhookUrlProblem(target.url, options.allowPrivate);
  if (problem) return { statusCode: null, error: problem, ms: Date.now() - started };
  const id = svixMessageId(message.id);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Labroute-Webhooks/1',
        'svix-id': id,
        'svix-timestamp': String(timestamp),
        'svix-signature': signPayload(target.secret, id, timestamp, message.payload),
      },
      body: message.payload,
      signal: AbortSignal.any([shutdown, AbortSignal.timeout(options.timeoutMs)]),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { statusCode: res.status, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`, ms: Date.now() - started };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { statusCode: null, error: reason, ms: Date.now() - started };
  }
}

/** The `webhook` consumer for the outbox of `options.db`. */
export function webhookConsumer(options: WebhookConsumerOptions): OutboxConsumer<Map<string, DeliveryTarget>> {
  return {
    name: WEBHOOK_CONSUMER,
    retryScheduleSeconds: options.retryScheduleSeconds,
    // Longer than an attempt can take, so a live sender never loses its message; a crashed one's comes back.
    leaseSeconds: Math.ceil(options.timeoutMs / 1000) + 30,
    concurrency: CONCURRENCY,
    prepare: (messages) => deliveryTargets(options.db, messages.map((m) => m.subject ?? '').filter(Boolean)),
    handle: async (message, targets, shutdown) => {
      const target = message.subject ? targets.get(message.subject) : undefined;
      // Deleting an endpoint fails its pending deliveries; one claimed just before is not sent either.
      if (!target) return { error: 'endpoint deleted', final: true };
      const outcome = await post(message, target, options, shutdown);
      // Shutting down: the outbox gives the message back; this was not an attempt.
      if (shutdown.aborted) return null;
      await recordAttempt(options.db, {
        deliveryId: message.id,
        statusCode: outcome.statusCode,
        error: outcome.error,
        durationMs: outcome.ms,
      });
      if (!outcome.error) {
        options.counters?.delivered();
        return null;
      }
      options.counters?.failed();
      return { error: outcome.error };
    },
  };
}
