// The outbox's contract (src/db/outbox.ts) for any consumer, on both backends: nothing for a rolled-back
// producer, leases that exclude other claims and expire, retries by the consumer's schedule, final failures,
// per-subject order, cancel, backlog, and a drain that hands every message to its consumer once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/db/database.js';
import { createOutbox, type OutboxConsumer, type OutboxFailure, type OutboxMessage } from '../../src/db/outbox.js';
import { openTestDatabase } from '../support/test-app.js';

/** A consumer whose handler answers from `answer` and remembers what it saw. */
function recorder(
  name: string,
  options: Partial<OutboxConsumer> & { answer?: (m: OutboxMessage) => OutboxFailure | null } = {},
): OutboxConsumer & { seen: OutboxMessage[] } {
  const seen: OutboxMessage[] = [];
  return {
    name,
    retryScheduleSeconds: [0, 0, 0],
    leaseSeconds: 60,
    concurrency: 4,
    ...options,
    seen,
    handle: async (message) => {
      seen.push(message);
      return options.answer?.(message) ?? null;
    },
  };
}

describe('outbox', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await openTestDatabase();
  });
  after(async () => database.close());

  const rowOf = (id: string) => database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('writes nothing for a rolled-back producer and a due message for a committed one', async () => {
    const outbox = createOutbox(database.db, [recorder('c1')]);
    await database.db
      .transaction()
      .execute(async (tx) => {
        await outbox.enqueue(tx, 'c1', 'lost');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await database.db.transaction().execute((tx) => outbox.enqueue(tx, 'c1', 'kept', { subject: 's' }));
    const claimed = await outbox.claim('c1', 10);
    assert.deepEqual(
      claimed.map((m) => [m.payload, m.subject, m.attempts]),
      [['kept', 's', 0]],
    );
    await assert.rejects(
      database.db.transaction().execute((tx) => outbox.enqueue(tx, 'nobody', 'x')),
      /unknown outbox consumer/,
    );
  });

  it('a lease keeps other claims off until it runs out; the holder that lost it learns so', async () => {
    const outbox = createOutbox(database.db, [recorder('c2', { leaseSeconds: 3600 }), recorder('c3', { leaseSeconds: 0 })]);
    await database.db.transaction().execute(async (tx) => {
      await outbox.enqueue(tx, 'c2', 'a');
      await outbox.enqueue(tx, 'c3', 'b');
    });
    const [held] = await outbox.claim('c2', 1);
    assert.deepEqual(await outbox.claim('c2', 1), [], 'a leased message is not claimed again');
    assert.equal(await outbox.complete(held), true);
    assert.equal((await rowOf(held.id)).status, 'done');
    assert.equal(await outbox.complete(held), false, 'done once');

    // A zero-second lease runs out at once: a second claim takes the message, the first holder has lost it.
    const [first] = await outbox.claim('c3', 1);
    const [second] = await outbox.claim('c3', 1);
    assert.equal(second.id, first.id);
    assert.equal(await outbox.fail(first, { error: 'late' }), 'lost');
    assert.equal(await outbox.complete(second), true);
  });

  it('reschedules failures by the schedule and fails a message when it is exhausted or the failure is final', async () => {
    const outbox = createOutbox(database.db, [recorder('c4', { retryScheduleSeconds: [0, 0, 3600] })]);
    await database.db.transaction().execute(async (tx) => {
      await outbox.enqueue(tx, 'c4', 'retried', { subject: 'r' });
      await outbox.enqueue(tx, 'c4', 'final', { subject: 'f' });
    });
    const claimed = await outbox.claim('c4', 10);
    const retried = claimed.find((m) => m.subject === 'r')!;
    const final = claimed.find((m) => m.subject === 'f')!;
    assert.equal(await outbox.fail(final, { error: 'rejected', final: true }), 'failed');
    assert.equal(await outbox.fail(retried, { error: 'once' }), 'retry');
    const [again] = await outbox.claim('c4', 10);
    assert.equal(again.id, retried.id);
    assert.equal(again.attempts, 1);
    assert.equal(await outbox.fail(again, { error: 'twice' }), 'retry');
    assert.deepEqual(await outbox.claim('c4', 10), [], 'the third attempt waits an hour (schedule[2])');
    const row = await rowOf(retried.id);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, 'twice');
    assert.ok(new Date(row.due_at).getTime() > Date.now() + 3_000_000);

    const exhausted = createOutbox(database.db, [recorder('c5', { retryScheduleSeconds: [0] })]);
    await database.db.transaction().execute((tx) => exhausted.enqueue(tx, 'c5', 'one try'));
    const [only] = await exhausted.claim('c5', 1);
    assert.equal(await exhausted.fail(only, { error: 'no' }), 'failed');
    assert.equal((await rowOf(final.id)).status, 'failed');
  });

  it('hands a subject’s messages out one at a time, oldest first, when the consumer is ordered', async () => {
    const outbox = createOutbox(database.db, [recorder('c6', { orderedBySubject: true })]);
    await database.db.transaction().execute(async (tx) => {
      await outbox.enqueue(tx, 'c6', 'new order', { subject: 'order-1' });
      await outbox.enqueue(tx, 'c6', 'cancel', { subject: 'order-1' });
      await outbox.enqueue(tx, 'c6', 'other', { subject: 'order-2' });
    });
    const first = await outbox.claim('c6', 10);
    assert.deepEqual(first.map((m) => m.payload).sort(), ['new order', 'other']);
    assert.equal(await outbox.fail(first.find((m) => m.payload === 'new order')!, { error: 'refused' }), 'retry');
    const retry = await outbox.claim('c6', 10);
    assert.deepEqual(
      retry.map((m) => m.payload),
      ['new order'],
      'the cancel waits for the order it follows',
    );
    await outbox.complete(retry[0]);
    assert.deepEqual(
      (await outbox.claim('c6', 10)).map((m) => m.payload),
      ['cancel'],
    );
  });

  it('cancels a subject’s pending messages, counts the backlog per consumer, and drains each message once', async () => {
    const flaky = new Set<string>();
    const consumer = recorder('c7', {
      concurrency: 3,
      answer: (m) => {
        // Each message fails once before it goes through.
        if (flaky.has(m.id)) return null;
        flaky.add(m.id);
        return { error: 'try again' };
      },
    });
    const outbox = createOutbox(database.db, [consumer, recorder('c8')]);
    await database.db.transaction().execute(async (tx) => {
      await outbox.enqueueMany(
        tx,
        'c7',
        Array.from({ length: 10 }, (_, i) => ({ payload: `m${i}`, subject: i === 0 ? 'gone' : null })),
      );
      await outbox.enqueue(tx, 'c8', 'waiting', { delaySeconds: 3600 });
    });
    assert.equal(await database.db.transaction().execute((tx) => outbox.cancel(tx, 'c7', 'gone', 'endpoint deleted')), 1);
    assert.deepEqual(Object.fromEntries(await outbox.backlog()), { c7: 9, c8: 1 });
    assert.equal(await outbox.drain('c7'), 18, 'nine messages, two attempts each');
    assert.equal(new Set(consumer.seen.map((m) => m.id)).size, 9);
    assert.deepEqual(Object.fromEntries(await outbox.backlog()), { c7: 0, c8: 1 });
    await outbox.stop();
  });

  it('gives messages in flight back on stop, without counting an attempt', async () => {
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: OutboxConsumer = {
      name: 'c9',
      retryScheduleSeconds: [0, 0],
      leaseSeconds: 3600,
      concurrency: 1,
      handle: (_message, _context, signal) =>
        new Promise((resolve) => {
          release();
          signal.addEventListener('abort', () => resolve({ error: 'aborted' }));
        }),
    };
    const outbox = createOutbox(database.db, [slow]);
    await database.db.transaction().execute((tx) => outbox.enqueue(tx, 'c9', 'slow'));
    outbox.start(['c9'], { intervalMs: 10, onError: (error) => assert.fail(String(error)) });
    await started;
    await outbox.stop();
    const [row] = await database.db.selectFrom('outbox').selectAll().where('consumer', '=', 'c9').execute();
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 0);
    assert.equal(row.lease, null);
    assert.ok(new Date(row.due_at).getTime() <= Date.now() + 1000, 'due again at once');
  });
});
