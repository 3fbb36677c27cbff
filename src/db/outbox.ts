// The outbox (DESIGN.md "Outbox"): one table of messages for named consumers — `webhook` today, lab
// transmission next — and the claim loop that hands them to each consumer.
//
// Contract. A producer calls `enqueue(tx, consumer, payload)` inside the transaction of the change it announces,
// so a rolled-back change sends nothing and a committed one is never lost (a restart finds its rows). A worker
// `claim`s due messages of one consumer with FOR UPDATE SKIP LOCKED and a lease: the claim pushes the message's
// due time `leaseSeconds` ahead and stamps it with a token, so several instances never hold one message at
// once, and a crashed holder's message becomes due again when its lease runs out. `complete` and `fail` apply
// only while the token still holds (a holder whose lease ran out learns it lost the message); `fail` reschedules
// by the consumer's retry schedule — attempt k+1 runs schedule[k] seconds after attempt k fails, and the message
// is `failed` once the schedule has no entry left or the consumer says the failure is final. A consumer that is
// `orderedBySubject` gets a subject's messages one at a time, in the order they were written. Delivery is at
// least once: a message can be handled again only after its holder's lease ran out without an answer.
//
// Webhook deliveries are this table's `webhook` rows (migration 0012): the outbox row is the queue entry and
// the delivery's status; what only webhooks have (the HTTP status and duration of each attempt) stays in the
// webhook module's attempt log.
import { randomUUID } from 'node:crypto';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { DB, Queryable } from './database.js';
import type { Database } from './schema.js';

/** A claimed message, as its consumer sees it. */
export interface OutboxMessage {
  id: string;
  consumer: string;
  /** What the message is about, as the producer named it (the webhook endpoint's id); null when nothing. */
  subject: string | null;
  /** The producer's serialised message (a webhook's exact request body). */
  payload: string;
  /** Attempts that ended before this one. */
  attempts: number;
  /** The claim's token: `complete` and `fail` apply only while it holds. */
  lease: string;
}

/** A failed attempt: retried by the consumer's schedule, unless `final`. */
export interface OutboxFailure {
  error: string;
  final?: boolean;
}

/** A named consumer: how its messages are retried and leased, and what handles them. */
export interface OutboxConsumer<Context = unknown> {
  name: string;
  /** Seconds before each attempt after the first (CONTRACT.md's webhook schedule); its length bounds the attempts. */
  retryScheduleSeconds: readonly number[];
  /** How long a claim holds a message: longer than one attempt can take. */
  leaseSeconds: number;
  /** Messages one instance handles at once. */
  concurrency: number;
  /** When true, a subject's messages are handed out one at a time, oldest first. */
  orderedBySubject?: boolean;
  /** Reads what a claimed batch needs in one go (the webhook endpoints of the batch). */
  prepare?(messages: readonly OutboxMessage[]): Promise<Context>;
  /**
   * Handles one message: resolves to null when it is done, to a failure otherwise (throwing counts as a
   * retryable failure). `signal` aborts when the instance shuts down; the message is then released, not failed.
   */
  handle(message: OutboxMessage, context: Context, signal: AbortSignal): Promise<OutboxFailure | null>;
}

export interface EnqueueOptions {
  /** What the message is about (see OutboxMessage.subject). */
  subject?: string | null;
  /**
   * One message per row of this query (a column `subject`), in one INSERT … SELECT: a fan-out (one webhook
   * delivery per matching endpoint) costs the producer one statement. Overrides `subject`.
   */
  subjects?: SelectQueryBuilder<Database, keyof Database, { subject: string }>;
  /** Not due before this many seconds from now. */
  delaySeconds?: number;
}

export interface OutboxInput {
  payload: string;
  subject?: string | null;
}

export type FailResult = 'retry' | 'failed' | 'lost';

export interface Outbox {
  /** The registered consumers' names. */
  readonly consumers: readonly string[];
  /** Writes `payload` for `consumer` in the producer's transaction; returns how many messages were written. */
  enqueue(tx: Queryable, consumer: string, payload: string, options?: EnqueueOptions): Promise<number>;
  /** Writes several messages for `consumer` in one statement. */
  enqueueMany(tx: Queryable, consumer: string, messages: readonly OutboxInput[]): Promise<number>;
  /** Claims up to `n` due messages of `consumer` for this caller (see the contract above). */
  claim(consumer: string, n: number): Promise<OutboxMessage[]>;
  /** Marks a claimed message done; false when its lease was lost. */
  complete(message: OutboxMessage): Promise<boolean>;
  /** Records a failed attempt: rescheduled by the consumer's schedule, or failed for good. */
  fail(message: OutboxMessage, failure: OutboxFailure): Promise<FailResult>;
  /** Gives a claimed message back without counting an attempt (shutdown). */
  release(message: OutboxMessage): Promise<void>;
  /** Fails every pending message of `consumer` about `subject` (a deleted webhook endpoint), in the caller's transaction. */
  cancel(tx: Queryable, consumer: string, subject: string, reason: string): Promise<number>;
  /** Pending messages per registered consumer. */
  backlog(): Promise<Map<string, number>>;
  /** Claims and handles due messages of `consumer` until none is due and none is in flight; returns how many were handled. */
  drain(consumer: string): Promise<number>;
  /** Polls the named consumers every `intervalMs` (and refills as messages finish) until `stop`. */
  start(consumers: readonly string[], options: { intervalMs: number; onError: (error: unknown, consumer: string) => void }): void;
  /** Stops polling, aborts the messages in flight and waits until they are released. */
  stop(): Promise<void>;
}

/** The longest error text kept on a message. */
const ERROR_LENGTH = 500;

interface ConsumerState {
  consumer: OutboxConsumer;
  inFlight: Set<Promise<void>>;
  claiming: boolean;
}

/** The outbox of database `db` with its consumers (several instances may each create one over one database). */
export function createOutbox(db: DB, consumers: readonly OutboxConsumer[]): Outbox {
  const states = new Map<string, ConsumerState>();
  for (const consumer of consumers) {
    if (states.has(consumer.name)) throw new Error(`outbox consumer ${consumer.name} is registered twice`);
    if (consumer.retryScheduleSeconds.length === 0) throw new Error(`outbox consumer ${consumer.name} has an empty retry schedule`);
    states.set(consumer.name, { consumer, inFlight: new Set(), claiming: false });
  }
  const stateOf = (name: string): ConsumerState => {
    const state = states.get(name);
    if (!state) throw new Error(`unknown outbox consumer ${name}`);
    return state;
  };
  const shutdown = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let polled: ConsumerState[] = [];
  let reportError: (error: unknown, consumer: string) => void = () => undefined;

  const claim = async (name: string, n: number): Promise<OutboxMessage[]> => {
    const { consumer } = stateOf(name);
    if (n <= 0) return [];
    const lease = randomUUID();
    // Rows a subject's earlier pending message still waits for are not due yet (orderedBySubject).
    const inOrder = consumer.orderedBySubject
      ? sql`and not exists (
          select 1 from outbox as earlier
          where earlier.consumer = due.consumer and earlier.subject = due.subject and earlier.status = 'pending' and earlier.seq < due.seq
        )`
      : sql``;
    // One statement: the ids are locked (SKIP LOCKED: rows another claim holds are passed over, not waited
    // for) and leased together, so there is no window in which two claims can take one message.
    const { rows } = await sql<Omit<OutboxMessage, 'consumer' | 'lease'>>`
      update outbox set due_at = now() + make_interval(secs => ${consumer.leaseSeconds}), lease = ${lease}
      where id = any(array(
        select due.id from outbox as due
        where due.consumer = ${name} and due.status = 'pending' and due.due_at <= now() ${inOrder}
        order by due.due_at
        limit ${n}
        for update skip locked
      ))
      returning id, subject, payload, attempts`.execute(db);
    return rows.map((row) => ({ ...row, attempts: Number(row.attempts), consumer: name, lease }));
  };

  const held = (message: OutboxMessage) =>
    db.updateTable('outbox').where('id', '=', message.id).where('lease', '=', message.lease).where('status', '=', 'pending');

  const complete = async (message: OutboxMessage): Promise<boolean> => {
    const result = await held(message)
      .set({
        status: 'done',
        attempts: message.attempts + 1,
        last_error: null,
        lease: null,
        completed_at: sql<Date>`now()`,
      })
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  };

  const fail = async (message: OutboxMessage, failure: OutboxFailure): Promise<FailResult> => {
    const schedule = stateOf(message.consumer).consumer.retryScheduleSeconds;
    const attempts = message.attempts + 1;
    const exhausted = failure.final === true || attempts >= schedule.length;
    const attempt = { attempts, last_error: failure.error.slice(0, ERROR_LENGTH), lease: null };
    const result = await held(message)
      .set(
        exhausted
          ? { ...attempt, status: 'failed', completed_at: sql<Date>`now()` }
          : { ...attempt, due_at: sql<Date>`now() + make_interval(secs => ${schedule[attempts]})` },
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return 'lost';
    return exhausted ? 'failed' : 'retry';
  };

  const release = async (message: OutboxMessage): Promise<void> => {
    await held(message).set({ due_at: sql<Date>`now()`, lease: null }).execute();
  };

  /** Hands one message to its consumer and records the outcome. */
  const settle = async (state: ConsumerState, message: OutboxMessage, context: unknown): Promise<void> => {
    let failure: OutboxFailure | null;
    try {
      failure = await state.consumer.handle(message, context, shutdown.signal);
    } catch (error) {
      failure = { error: error instanceof Error ? error.message : String(error) };
    }
    if (shutdown.signal.aborted) await release(message);
    else if (failure) await fail(message, failure);
    else await complete(message);
  };

  /** Claims as many messages as the consumer has free slots and starts them; returns how many it claimed. */
  const pump = async (state: ConsumerState, onSettled?: () => void): Promise<number> => {
    const free = state.consumer.concurrency - state.inFlight.size;
    if (state.claiming || free <= 0 || shutdown.signal.aborted) return 0;
    // Until the claimed messages count as in flight, no other claim of this consumer starts here.
    state.claiming = true;
    try {
      const messages = await claim(state.consumer.name, free);
      if (messages.length === 0) return 0;
      let start: (message: OutboxMessage) => Promise<unknown>;
      try {
        const context = await state.consumer.prepare?.(messages);
        start = (message) => settle(state, message, context);
      } catch (error) {
        start = (message) => fail(message, { error: error instanceof Error ? error.message : String(error) });
      }
      for (const message of messages) {
        const run: Promise<void> = start(message)
          .then(
            () => undefined,
            // The message stays leased; when the lease runs out it is claimed again.
            (error: unknown) => reportError(error, state.consumer.name),
          )
          .finally(() => {
            state.inFlight.delete(run);
            onSettled?.();
          });
        state.inFlight.add(run);
      }
      return messages.length;
    } finally {
      state.claiming = false;
    }
  };

  const drain = async (name: string): Promise<number> => {
    const state = stateOf(name);
    let handled = 0;
    for (;;) {
      const claimed = await pump(state);
      handled += claimed;
      if (claimed > 0) continue;
      if (state.inFlight.size === 0) {
        // Another caller may be claiming right now; once it is done, check again.
        if (!state.claiming) return handled;
        await new Promise((resolve) => setTimeout(resolve, 5));
      } else await Promise.race(state.inFlight);
    }
  };

  return {
    consumers: [...states.keys()],
    enqueue: async (tx, consumer, payload, options = {}) => {
      stateOf(consumer);
      const due = options.delaySeconds ? sql<Date>`now() + make_interval(secs => ${options.delaySeconds})` : sql<Date>`now()`;
      if (options.subjects) {
        const fanOut = tx
          .selectFrom(options.subjects.as('s'))
          .select([
            sql<string>`${consumer}`.as('consumer'),
            sql.ref<string>('s.subject').as('subject'),
            sql<string>`${payload}`.as('payload'),
            due.as('due_at'),
          ]);
        const result = await tx
          .insertInto('outbox')
          .columns(['consumer', 'subject', 'payload', 'due_at'])
          .expression(fanOut)
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      await tx
        .insertInto('outbox')
        .values({ consumer, subject: options.subject ?? null, payload, due_at: due })
        .execute();
      return 1;
    },
    enqueueMany: async (tx, consumer, messages) => {
      stateOf(consumer);
      if (messages.length === 0) return 0;
      await tx
        .insertInto('outbox')
        .values(messages.map((m) => ({ consumer, subject: m.subject ?? null, payload: m.payload })))
        .execute();
      return messages.length;
    },
    claim,
    complete,
    fail,
    release,
    cancel: async (tx, consumer, subject, reason) => {
      const result = await tx
        .updateTable('outbox')
        .set({ status: 'failed', last_error: reason.slice(0, ERROR_LENGTH), lease: null, completed_at: sql<Date>`now()` })
        .where('consumer', '=', consumer)
        .where('subject', '=', subject)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    backlog: async () => {
      const rows = await db
        .selectFrom('outbox')
        .select(['consumer', (eb) => eb.fn.countAll<string>().as('n')])
        .where('status', '=', 'pending')
        .where('consumer', 'in', [...states.keys()])
        .groupBy('consumer')
        .execute();
      const backlog = new Map([...states.keys()].map((name) => [name, 0]));
      for (const row of rows) backlog.set(row.consumer, Number(row.n));
      return backlog;
    },
    drain,
    start: (names, options) => {
      if (timer) throw new Error('the outbox is already started');
      polled = names.map(stateOf);
      reportError = options.onError;
      const poll = (state: ConsumerState): void => {
        if (shutdown.signal.aborted) return;
        // A finished message frees a slot: claim again at once rather than at the next tick.
        pump(state, () => poll(state)).catch((error: unknown) => options.onError(error, state.consumer.name));
      };
      timer = setInterval(() => {
        for (const state of polled) poll(state);
      }, options.intervalMs);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = null;
      shutdown.abort();
      await Promise.all([...states.values()].flatMap((state) => [...state.inFlight]));
    },
  };
}
