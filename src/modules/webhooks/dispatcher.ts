// Delivers outbox rows: claims due deliveries with a lease (FOR UPDATE SKIP LOCKED, so several instances on
// one PostgreSQL never send one attempt twice), POSTs them Svix-signed with a timeout, records each attempt,
// and reschedules failures by the configured retry schedule until it is exhausted. Endpoints are independent:
// a slow or failing endpoint never holds up another's deliveries.
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/database.js';
import { signPayload } from './svix-signature.js';
import { webhookUrlProblem } from './url-safety.js';

export interface DispatchCounters {
  delivered: () => void;
  failed: () => void;
}

const BATCH = 20;

interface Claimed {
  id: string;
  endpoint_id: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
}

/** Claims due deliveries by pushing their next attempt past the request timeout (a crashed sender's lease expires). */
async function claim(db: DB, timeoutMs: number): Promise<Claimed[]> {
  const leaseSeconds = Math.ceil(timeoutMs / 1000) + 30;
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .orderBy('next_attempt_at')
      .limit(BATCH)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await tx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
      .where('id', 'in', ids)
      .execute();
    return tx
      .selectFrom('webhook_deliveries')
      .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
      .select([
        'webhook_deliveries.id',
        'webhook_deliveries.endpoint_id',
        'webhook_deliveries.payload',
        'webhook_deliveries.attempts',
        'webhook_endpoints.url',
        'webhook_endpoints.secret',
      ])
      .where('webhook_deliveries.id', 'in', ids)
      .execute();
  });
}

async function send(delivery: Claimed, config: Config): Promise<{ statusCode: number | null; error: string | null; ms: number }> {
  const started = Date.now();
  const problem = await webhookUrlProblem(delivery.url, config.webhookAllowPrivate);
  if (problem) return { statusCode: null, error: problem, ms: Date.now() - started };
  const id = `msg_${delivery.id.replace(/-/g, '')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Labroute-Webhooks/1',
        'svix-id': id,
        'svix-timestamp': String(timestamp),
        'svix-signature': signPayload(delivery.secret, id, timestamp, delivery.payload),
      },
      body: delivery.payload,
      signal: AbortSignal.timeout(config.webhookTimeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    // Only 2xx counts; a 3xx is a failure, as with Svix.
    return { statusCode: res.status, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`, ms: Date.now() - started };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `timed out after ${config.webhookTimeoutMs} ms` : (e.cause?.code ?? e.message);
    return { statusCode: null, error: reason, ms: Date.now() - started };
  }
}

async function record(
  db: DB,
  delivery: Claimed,
  outcome: Awaited<ReturnType<typeof send>>,
  schedule: number[],
  counters?: DispatchCounters,
): Promise<void> {
  const attempts = delivery.attempts + 1;
  await db
    .insertInto('webhook_attempts')
    .values({ delivery_id: delivery.id, status_code: outcome.statusCode, error: outcome.error, duration_ms: outcome.ms })
    .execute();
  if (!outcome.error) {
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered', attempts, last_status_code: outcome.statusCode, last_error: null, delivered_at: sql<Date>`now()` })
      .where('id', '=', delivery.id)
      .execute();
    counters?.delivered();
    return;
  }
  counters?.failed();
  const exhausted = attempts >= schedule.length;
  await db
    .updateTable('webhook_deliveries')
    .set({
      attempts,
      last_status_code: outcome.statusCode,
      last_error: outcome.error.slice(0, 500),
      ...(exhausted ? { status: 'failed' as const } : { next_attempt_at: sql<Date>`now() + make_interval(secs => ${schedule[attempts]})` }),
    })
    .where('id', '=', delivery.id)
    .execute();
}

/** One round: claims and sends every due delivery (in parallel). Returns how many attempts were made. */
export async function dispatchDue(db: DB, config: Config, counters?: DispatchCounters): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await claim(db, config.webhookTimeoutMs);
    if (batch.length === 0) return total;
    await Promise.all(
      batch.map(async (delivery) => record(db, delivery, await send(delivery, config), config.webhookRetryScheduleSeconds, counters)),
    );
    total += batch.length;
  }
}

export async function outboxBacklog(db: DB): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
