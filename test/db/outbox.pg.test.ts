// The outbox across instances on one PostgreSQL (what lab transmission's "once with two instances" rests on):
// four outboxes over two pools drain one consumer's messages at once, and each message is handled exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type DatabaseHandle, type DB } from '../../src/db/database.js';
import { createOutbox, type OutboxConsumer } from '../../src/db/outbox.js';
import { freshPostgresUrl } from '../support/test-app.js';

describe('outbox across instances (PostgreSQL)', () => {
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  before(async () => {
    const url = await freshPostgresUrl();
    a = await createDatabase({ databaseUrl: url, poolSize: 4 });
    await a.migrate();
    b = await createDatabase({ databaseUrl: url, poolSize: 4 });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('hands each message to exactly one of several concurrent instances', async () => {
    const handled = new Map<string, number>();
    const consumer = (): OutboxConsumer => ({
      name: 'transmission',
      retryScheduleSeconds: [0],
      leaseSeconds: 60,
      concurrency: 5,
      orderedBySubject: true,
      handle: async (message) => {
        handled.set(message.payload, (handled.get(message.payload) ?? 0) + 1);
        // Yield, so that the instances' claims interleave.
        await new Promise((resolve) => setTimeout(resolve, 1));
        return null;
      },
    });
    const instance = (db: DB) => createOutbox(db, [consumer()]);
    const outboxes = [instance(a.db), instance(b.db), instance(a.db), instance(b.db)];
    const total = 200;
    await a.db.transaction().execute((tx) =>
      outboxes[0].enqueueMany(
        tx,
        'transmission',
        Array.from({ length: total }, (_, i) => ({ payload: `m${i}`, subject: `order-${i % 40}` })),
      ),
    );
    const counts = await Promise.all(outboxes.map((outbox) => outbox.drain('transmission')));
    assert.equal(
      counts.reduce((x, y) => x + y, 0),
      total,
    );
    assert.equal(handled.size, total);
    assert.ok(
      [...handled.values()].every((n) => n === 1),
      'each message handled once',
    );
    assert.equal((await outboxes[1].backlog()).get('transmission'), 0);
  });
});
