// Junction's idempotency for write routes (reference §8.8, SPEC.md §3): the first outcome of a key is stored
// for 24 h and replayed; a concurrent duplicate or a reused key with another body gets a 409.
import type { DB, Queryable } from '../../db/database.js';
import { AppError, RawBodyError } from '../../domain/errors.js';
import { errorBody } from '../../http/error-handler.js';
import {
  completeClaim,
  deleteExpired,
  findRecord,
  type IdempotencyScope,
  insertClaim,
  releaseClaim,
  takeOverClaim,
} from './idempotency.repository.js';
import { requestHash } from './request-hash.js';

export type { IdempotencyScope } from './idempotency.repository.js';

/** What the route sends: the fresh or the stored status and body. */
export interface IdempotentOutcome {
  status: number;
  body: unknown;
  /** True when the outcome was stored by an earlier request (the reply carries `Idempotent-Replayed: true`). */
  replayed: boolean;
}

export interface RunIdempotentOptions {
  /** The ROOT handle: every statement here commits on its own; `execute` owns its own transaction. */
  db: DB;
  scope: IdempotencyScope;
  /** X-Idempotency-Key; undefined → just execute. */
  key: string | undefined;
  /** X-Idempotency-Error: no-cache → only successes are stored. */
  noCacheErrors: boolean;
  /** The validated body; hashed canonically to detect a key reused with another body. */
  requestBody: unknown;
  /** Goes into rendered error bodies, as the error handler would put it. */
  requestId: string;
  /**
   * Runs the request. A write that must happen at most once calls `complete(tx, outcome)` inside its own
   * transaction, so the stored outcome commits or rolls back with the write itself: a crash after the commit
   * can then never make a retry run the write again.
   */
  execute: (complete: CompleteInTransaction) => Promise<{ status: number; body: unknown }>;
  /** Chance of purging expired keys after a claim (default 1 in 100). Tests pass 0 or 1. */
  purgeProbability?: number;
}

/** Stores the outcome in the caller's transaction; throws (rolling it back) if the claim was taken over. */
export type CompleteInTransaction = (tx: Queryable, outcome: { status: number; body: unknown }) => Promise<void>;

const DEFAULT_PURGE_PROBABILITY = 0.01;
const PURGE_BATCH = 1000;
// A claim can disappear or change between our insert and our read (released, taken over); a few rounds settle it.
const MAX_ROUNDS = 5;

function inProgress(): AppError {
  return new AppError('idempotency_request_in_progress', 'A request with this X-Idempotency-Key is still being processed; retry later');
}

/** Outcomes a client must be able to retry are never stored: server faults and load shedding. */
function isTransient(status: number): boolean {
  return status >= 500 || status === 429;
}

/** JSON round trip: the first response and every replay then go through the serializer with the same input. */
function toStored(body: unknown): string {
  return JSON.stringify(body) ?? 'null';
}

/**
 * Claims `key` in `scope` and returns the lease of our claim, or a stored outcome to replay. Throws 409
 * `idempotency_key_reused` (another body) or `idempotency_request_in_progress` (the first is still running).
 */
async function claim(
  db: DB,
  scope: IdempotencyScope,
  key: string,
  hash: string,
): Promise<{ lease: string } | { replay: IdempotentOutcome }> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const lease = await insertClaim(db, scope, key, hash);
    if (lease) return { lease };
    const record = await findRecord(db, scope, key);
    if (!record) continue; // released between our insert and our read: try to insert again
    if (record.expired) {
      // Past retention the key is as good as absent: a reused pruned key executes again (§8.8).
      const taken = await takeOverClaim(db, scope, key, record.lease, hash);
      if (taken) return { lease: taken };
      continue;
    }
    if (record.request_hash !== hash) {
      throw new AppError('idempotency_key_reused', 'This X-Idempotency-Key was already used with a different request body');
    }
    if (record.state === 'done') {
      return { replay: { status: record.status_code ?? 200, body: JSON.parse(record.response_body ?? 'null'), replayed: true } };
    }
    if (!record.abandoned) throw inProgress();
    // The first request's process died before finishing: its transaction rolled back, so run it again.
    const taken = await takeOverClaim(db, scope, key, record.lease, hash);
    if (taken) return { lease: taken };
  }
  throw inProgress();
}

/**
 * Runs `execute` at most once per (team, env, route, key) within 24 h and replays its outcome.
 * AppError / RawBodyError thrown by `execute` become the stored outcome (unless `noCacheErrors`); any other
 * error, and any 5xx/429, releases the key and is not stored, so the client may retry.
 */
export async function runIdempotent(options: RunIdempotentOptions): Promise<IdempotentOutcome> {
  const { db, scope, key } = options;
  if (key === undefined) {
    const fresh = await options.execute(async () => undefined);
    return { status: fresh.status, body: fresh.body, replayed: false };
  }

  const claimed = await claim(db, scope, key, requestHash(options.requestBody));
  if ('replay' in claimed) return claimed.replay;
  const { lease } = claimed;

  const purgeProbability = options.purgeProbability ?? DEFAULT_PURGE_PROBABILITY;
  if (purgeProbability > 0 && Math.random() < purgeProbability) {
    // Housekeeping must never fail the request.
    await purgeExpiredIdempotencyKeys(db).catch(() => undefined);
  }

  let status: number;
  let body: unknown;
  // Set when `execute` stored its outcome in its own transaction and then returned (so that transaction
  // committed): the outcome is stored, and storing it again would only cost a round trip.
  let storedByExecute = false;
  const complete: CompleteInTransaction = async (tx, outcome) => {
    if (!(await completeClaim(tx, scope, key, lease, outcome.status, toStored(outcome.body)))) {
      // Taken over as abandoned while we ran: the other request owns the key now; undo our write.
      throw inProgress();
    }
    storedByExecute = true;
  };
  try {
    const fresh = await options.execute(complete);
    status = fresh.status;
    body = fresh.body;
  } catch (error) {
    storedByExecute = false; // whatever `complete` wrote rolled back with the transaction that threw
    if (error instanceof AppError && !isTransient(error.status)) {
      status = error.status;
      body = errorBody(error, options.requestId);
    } else if (error instanceof RawBodyError && !isTransient(error.status)) {
      status = error.status;
      body = error.body;
    } else {
      await releaseClaim(db, scope, key, lease);
      throw error;
    }
  }

  const stored = toStored(body);
  const outcome: IdempotentOutcome = { status, body: JSON.parse(stored), replayed: false };
  if (isTransient(status) || (options.noCacheErrors && status >= 400)) {
    await releaseClaim(db, scope, key, lease);
  } else if (!storedByExecute) {
    // False only if our claim was taken over as abandoned; the taker's outcome stands, ours is still answered.
    await completeClaim(db, scope, key, lease, status, stored);
  }
  return outcome;
}

/**
 * Deletes expired idempotency keys in batches (every team). Called opportunistically by runIdempotent;
 * also usable from maintenance jobs. Returns how many rows were removed.
 */
export async function purgeExpiredIdempotencyKeys(db: DB, options: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const batch = options.batch ?? PURGE_BATCH;
  const maxBatches = options.maxBatches ?? 10;
  let total = 0;
  for (let i = 0; i < maxBatches; i += 1) {
    const n = await deleteExpired(db, batch);
    total += n;
    if (n < batch) break;
  }
  return total;
}
