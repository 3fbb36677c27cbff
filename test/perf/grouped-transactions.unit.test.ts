// Group commit (src/db/grouped-transactions.ts): works that arrive in the same turn of the event loop, or
// queue while the groups in flight run, share a transaction, and sharing never changes a work's outcome — a rejected work is rejected alone, a failing
// write sends the others to transactions of their own, a failed COMMIT fails the whole group once.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle, type Tx } from '../../src/db/database.js';
import { type GroupHandler, TransactionGroups } from '../../src/db/grouped-transactions.js';

interface Work {
  id: number;
  /** Decide rejects it with this error (a domain error). */
  reject?: string;
  /** Its write inserts its row, then throws. */
  failWrite?: boolean;
  /** Reading the group's context fails (a database error, not a rejection) whenever it is in the group. */
  failRead?: boolean;
  /** A value for the deferred unique column: two works with the same value fail at COMMIT. */
  deferred?: number;
  /** Its decision waits for this (keeps its group in flight). */
  hold?: Promise<void>;
}

class Rejected extends Error {}
class Overloaded extends Error {}
const overloaded = () => new Overloaded('overloaded');

describe('grouped transactions', () => {
  let database: DatabaseHandle;
  let decided: number[];
  let transactionOf: Map<number, string>;

  const handler: GroupHandler<Work, Work, string> = {
    async decide(tx, works) {
      await sql`select 1`.execute(tx);
      await Promise.all(works.map((work) => work.hold));
      if (works.some((work) => work.failRead)) throw new Error(`read for ${works.map((w) => w.id).join()} failed`);
      return works.map((work) => {
        decided.push(work.id);
        return work.reject ? { ok: false, error: new Rejected(work.reject) } : { ok: true, decided: work };
      });
    },
    async write(tx: Tx, entries) {
      const results: string[] = [];
      for (const { decided: work } of entries) {
        await sql`insert into grouped_rows (id, deferred) values (${work.id}, ${work.deferred ?? null})`.execute(tx);
        if (work.failWrite) throw new Error(`write of ${work.id} failed`);
        const {
          rows: [row],
        } = await sql<{ txid: string }>`select txid_current()::text as txid`.execute(tx);
        transactionOf.set(work.id, row.txid);
        results.push(`written ${work.id}`);
      }
      return results;
    },
  };

  const rows = async () => (await sql<{ id: number }>`select id from grouped_rows order by id`.execute(database.db)).rows.map((r) => r.id);

  before(async () => {
    database = await createDatabase({});
    await sql`create table grouped_rows (id int primary key, deferred int unique deferrable initially deferred)`.execute(database.db);
  });
  after(async () => database.close());
  beforeEach(async () => {
    await sql`delete from grouped_rows`.execute(database.db);
    decided = [];
    transactionOf = new Map();
  });

  it('runs the works that arrive together in one transaction, and those queued behind it in the next', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 1, maxSize: 10, maxQueued: 100, overloaded });
    let release!: () => void;
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = [groups.run({ id: 1, hold }), groups.run({ id: 2 }), groups.run({ id: 3 })];
    await new Promise((resolve) => setImmediate(resolve));
    const second = [groups.run({ id: 4 }), groups.run({ id: 5 })];
    release();
    assert.deepEqual(
      await Promise.all([...first, ...second]),
      [1, 2, 3, 4, 5].map((id) => `written ${id}`),
    );
    assert.deepEqual(await rows(), [1, 2, 3, 4, 5]);
    assert.equal(new Set([1, 2, 3].map((id) => transactionOf.get(id))).size, 1);
    assert.equal(transactionOf.get(4), transactionOf.get(5));
    assert.notEqual(transactionOf.get(3), transactionOf.get(4));
  });

  it('never puts more than maxSize works in a group', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 1, maxSize: 2, maxQueued: 100, overloaded });
    await Promise.all([1, 2, 3, 4, 5].map((id) => groups.run({ id })));
    const txids = [1, 2, 3, 4, 5].map((id) => transactionOf.get(id));
    assert.deepEqual(
      [...new Set(txids)].map((txid) => txids.filter((t) => t === txid).length),
      [2, 2, 1],
    );
  });

  it('rejects a work its decision rejects, alone: the rest of its group commits', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 1, maxSize: 10, maxQueued: 100, overloaded });
    const outcomes = await Promise.allSettled([groups.run({ id: 1 }), groups.run({ id: 2, reject: 'no account' }), groups.run({ id: 3 })]);
    assert.equal(outcomes[0].status, 'fulfilled');
    assert.equal(outcomes[1].status, 'rejected');
    assert.ok((outcomes[1] as PromiseRejectedResult).reason instanceof Rejected);
    assert.equal(outcomes[2].status, 'fulfilled');
    assert.deepEqual(await rows(), [1, 3]);
    assert.deepEqual(decided, [1, 2, 3], 'no work was decided twice');
  });

  it('sends the other works of a group whose write failed to transactions of their own', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 1, maxSize: 10, maxQueued: 100, overloaded });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((id) => groups.run({ id, failWrite: id === 3 })));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((outcomes[2] as PromiseRejectedResult).reason), /write of 3 failed/);
    assert.deepEqual(await rows(), [1, 2, 4], 'the failed work wrote nothing and no work was written twice');
    assert.notEqual(transactionOf.get(2), transactionOf.get(4), 'after the failure each work had its own transaction');
  });

  it('sends the other works of a group whose reading failed to transactions of their own', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 1, maxSize: 10, maxQueued: 100, overloaded });
    const outcomes = await Promise.allSettled([1, 2, 3].map((id) => groups.run({ id, failRead: id === 2 })));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /read for 2 failed/, 'the failing work failed alone');
    assert.deepEqual(await rows(), [1, 3]);
    assert.notEqual(transactionOf.get(1), transactionOf.get(3));
  });

  it('fails every work of a group whose COMMIT failed, and runs none of them again', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 1, maxSize: 10, maxQueued: 100, overloaded });
    const outcomes = await Promise.allSettled([
      groups.run({ id: 1 }),
      groups.run({ id: 2, deferred: 7 }),
      groups.run({ id: 3, deferred: 7 }),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected', 'rejected'],
    );
    for (const outcome of outcomes) assert.match(String((outcome as PromiseRejectedResult).reason), /duplicate key/);
    assert.deepEqual(await rows(), []);
    assert.deepEqual(decided, [1, 2, 3], 'the group was not decided again');
  });

  it('refuses new works at once while maxQueued wait, and takes them again once the queue drains', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 1, maxSize: 2, maxQueued: 3, overloaded });
    let release!: () => void;
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = [groups.run({ id: 1, hold })];
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = [2, 3, 4].map((id) => groups.run({ id }));
    await assert.rejects(groups.run({ id: 5 }), Overloaded);
    release();
    await Promise.all([...running, ...waiting]);
    assert.equal(await groups.run({ id: 6 }), 'written 6');
    assert.deepEqual(await rows(), [1, 2, 3, 4, 6], 'the refused work was never decided or written');
    assert.ok(!decided.includes(5));
  });

  it('a lone work rejected by its decision or its write fails like a plain transaction', async () => {
    const groups = new TransactionGroups(database.db, handler, { concurrency: 4, maxSize: 10, maxQueued: 100, overloaded });
    await assert.rejects(groups.run({ id: 1, reject: 'no' }), Rejected);
    await assert.rejects(groups.run({ id: 2, failWrite: true }), /write of 2 failed/);
    assert.deepEqual(await rows(), []);
  });
});
