// Group commit for short "read under locks, decide, write" transactions (order placement). Each transaction
// costs BEGIN, COMMIT and a WAL flush, and each round trip wakes both processes; on a machine whose cores are
// shared by Labroute and PostgreSQL that per-transaction overhead, not the statements' own work, was most of
// placement's cost. So works that arrive in the same turn of the event loop, or while earlier groups are in
// flight, share one transaction: every work's reads, then every work's writes, then one COMMIT.
//
// Sharing stays invisible to each work:
// - A work rejected while deciding (a domain error) has written nothing; it is rejected alone and the group
//   goes on. Any error thrown while deciding or writing rolls the group back and every work not yet rejected
//   runs again in a transaction of its own, so one failing work decides only its own outcome.
// - A failed COMMIT rejects every work of the group with its error, as it would a lone transaction's: the
//   outcome of a COMMIT whose connection dropped is unknown, and running the works again could write twice.
// - Results are handed out only after the COMMIT succeeded.
import type { DB, Tx } from './database.js';

/** A work's decision, or the domain error that rejects it alone. */
export type Decision<D> = { ok: true; decided: D } | { ok: false; error: unknown };

export interface GroupHandler<I, D, T> {
  /**
   * Reads and decides for every input of the group (same order). Must not write: a rejected input leaves
   * the shared transaction as it was. Throwing instead fails the whole group.
   */
  decide(tx: Tx, inputs: I[]): Promise<Decision<D>[]>;
  /** Writes the decisions (same order) and returns each input's result. */
  write(tx: Tx, decided: { input: I; decided: D }[]): Promise<T[]>;
}

export interface GroupOptions {
  /** Groups in flight at once (each holds one connection). */
  concurrency: number;
  /** Inputs per group at most. */
  maxSize: number;
  /**
   * Inputs that may wait for a group at most; beyond, new inputs are refused at once with `overloaded()`
   * (a stalled database must not let waiting requests pile up without bound).
   */
  maxQueued: number;
  overloaded(): Error;
}

interface Pending<I, T> {
  input: I;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export class TransactionGroups<I, D, T> {
  private readonly queue: Pending<I, T>[] = [];
  private inFlight = 0;
  private startScheduled = false;

  constructor(
    private readonly db: DB,
    private readonly handler: GroupHandler<I, D, T>,
    private readonly options: GroupOptions,
  ) {}

  run(input: I): Promise<T> {
    if (this.queue.length >= this.options.maxQueued) return Promise.reject(this.options.overloaded());
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      // Started after the event loop's current turn, so requests read from other sockets in the same turn
      // join the same group instead of taking a free slot alone each (interleaved runs: +20% orders/s).
      if (!this.startScheduled) {
        this.startScheduled = true;
        setImmediate(() => {
          this.startScheduled = false;
          this.startGroups();
        });
      }
    });
  }

  private startGroups(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const group = this.queue.splice(0, this.options.maxSize);
      this.inFlight += 1;
      void this.runGroup(group).finally(() => {
        this.inFlight -= 1;
        this.startGroups();
      });
    }
  }

  private async runGroup(group: Pending<I, T>[]): Promise<void> {
    // A lone work has no one to be kept apart from: its failure is its own, and re-running it would do it twice.
    if (group.length === 1) return this.runAlone(group[0]);
    const open = new Set(group);
    let committing = false;
    let written: { pending: Pending<I, T>; result: T }[];
    try {
      written = await this.db.transaction().execute(async (tx) => {
        const decisions = await this.handler.decide(
          tx,
          group.map((p) => p.input),
        );
        const accepted: { pending: Pending<I, T>; decided: D }[] = [];
        group.forEach((pending, i) => {
          const decision = decisions[i];
          if (decision.ok) {
            accepted.push({ pending, decided: decision.decided });
          } else {
            open.delete(pending);
            pending.reject(decision.error);
          }
        });
        const results =
          accepted.length > 0
            ? await this.handler.write(
                tx,
                accepted.map((a) => ({ input: a.pending.input, decided: a.decided })),
              )
            : [];
        committing = true;
        return accepted.map((a, i) => ({ pending: a.pending, result: results[i] }));
      });
    } catch (error) {
      if (committing) {
        for (const pending of open) pending.reject(error);
        return;
      }
      await Promise.all([...open].map((pending) => this.runAlone(pending)));
      return;
    }
    for (const { pending, result } of written) pending.resolve(result);
  }

  private async runAlone(pending: Pending<I, T>): Promise<void> {
    try {
      pending.resolve(
        await this.db.transaction().execute(async (tx) => {
          const [decision] = await this.handler.decide(tx, [pending.input]);
          if (!decision.ok) throw decision.error;
          const [result] = await this.handler.write(tx, [{ input: pending.input, decided: decision.decided }]);
          return result;
        }),
      );
    } catch (error) {
      pending.reject(error);
    }
  }
}
