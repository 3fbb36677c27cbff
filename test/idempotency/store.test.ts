// runIdempotent against the database directly: concurrent claims, expiry, takeover of abandoned claims, a
// slow first request that lost its claim, purging, scope isolation and the canonical body hash.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.js';
import { AppError } from '../../src/domain/errors.js';
import { insertClaim } from '../../src/modules/idempotency/idempotency.repository.js';
import { canonicalJson, requestHash } from '../../src/modules/idempotency/request-hash.js';
import {
  type IdempotencyScope,
  purgeExpiredIdempotencyKeys,
  type RunIdempotentOptions,
  runIdempotent,
} from '../../src/modules/idempotency/run-idempotent.js';
import { openTestDatabase } from '../support/test-app.js';

const scopeOf = (): IdempotencyScope => ({ teamId: randomUUID(), env: 'sandbox', route: 'POST /v3/order' });

/** Polls `condition` until it holds (or fails the test after `ms`). */
async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof AppError && error.code === code);
}

describe('runIdempotent', () => {
  let database: DatabaseHandle;
  let runs = 0;

  const run = (overrides: Partial<RunIdempotentOptions> & Pick<RunIdempotentOptions, 'scope' | 'key'>) =>
    runIdempotent({
      db: database.db,
      noCacheErrors: false,
      requestBody: { a: 1 },
      requestId: randomUUID(),
      purgeProbability: 0,
      execute: async () => {
        runs += 1;
        return { status: 200, body: { run: runs } };
      },
      ...overrides,
    });
  const row = async (scope: IdempotencyScope, key: string) =>
    database.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('team_id', '=', scope.teamId)
      .where('env', '=', scope.env)
      .where('route', '=', scope.route)
      .where('key', '=', key)
      .executeTakeFirst();
  const age = async (scope: IdempotencyScope, key: string, column: 'created_at' | 'expires_at', seconds: number) => {
    await database.db
      .updateTable('idempotency_keys')
      .set({ [column]: sql`now() - make_interval(secs => ${seconds})` })
      .where('team_id', '=', scope.teamId)
      .where('key', '=', key)
      .execute();
  };

  before(async () => {
    database = await openTestDatabase();
  });
  after(async () => database.close());

  it('without a key just executes, errors propagate as thrown', async () => {
    const scope = scopeOf();
    const outcome = await run({ scope, key: undefined });
    assert.equal(outcome.replayed, false);
    await rejectsWith(
      run({
        scope,
        key: undefined,
        execute: async () => {
          throw new AppError('sandbox_only', 'x');
        },
      }),
      'sandbox_only',
    );
  });

  it('stores the first outcome and replays it; Dates in the body are stored as JSON', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    const at = new Date('2026-01-02T03:04:05.000Z');
    const first = await run({ scope, key, execute: async () => ({ status: 200, body: { at, skip: undefined } }) });
    assert.deepEqual(first, { status: 200, body: { at: at.toISOString() }, replayed: false });
    const again = await run({ scope, key, execute: async () => assert.fail('must not run') });
    assert.deepEqual(again, { status: 200, body: { at: at.toISOString() }, replayed: true });
    const stored = await row(scope, key);
    assert.equal(stored?.state, 'done');
    assert.equal(stored?.request_hash, requestHash({ a: 1 }));
  });

  it('N concurrent calls with one key execute once; the others are in progress, later ones replay', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    let executed = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const execute = async () => {
      executed += 1;
      await released;
      return { status: 200, body: { ok: true } };
    };
    const attempts = Array.from({ length: 8 }, () => run({ scope, key, execute }));
    const settled: { index: number; value?: unknown; reason?: unknown }[] = [];
    attempts.forEach((attempt, index) => {
      attempt.then(
        (value) => settled.push({ index, value }),
        (reason: unknown) => settled.push({ index, reason }),
      );
    });
    // Whichever claimed the key is held in execute; every other attempt must answer without waiting for it.
    await waitFor(() => settled.length === attempts.length - 1);
    assert.equal(executed, 1);
    for (const result of settled) assert.equal((result.reason as AppError).code, 'idempotency_request_in_progress');
    release();
    const winner = attempts.findIndex((_, index) => !settled.some((s) => s.index === index));
    assert.deepEqual(await attempts[winner], { status: 200, body: { ok: true }, replayed: false });
    assert.equal((await run({ scope, key, execute })).replayed, true);
    assert.equal(executed, 1);
  });

  it('another body under the same key is idempotency_key_reused, in every state', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    await run({ scope, key, requestBody: { a: 1, b: [1, 2] } });
    await run({ scope, key, requestBody: { b: [1, 2], a: 1 } }); // same body, other order: a replay
    await rejectsWith(run({ scope, key, requestBody: { a: 1, b: [2, 1] } }), 'idempotency_key_reused');
    await rejectsWith(run({ scope, key, requestBody: undefined }), 'idempotency_key_reused');
  });

  it('the same key in another team, env or route is independent', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    const first = await run({ scope, key });
    for (const other of [
      { ...scope, teamId: randomUUID() },
      { ...scope, env: 'production' },
      { ...scope, route: 'POST /v3/other' },
    ]) {
      const outcome = await run({ scope: other, key, requestBody: { different: true } });
      assert.equal(outcome.replayed, false);
      assert.notDeepEqual(outcome.body, first.body);
    }
    assert.deepEqual((await run({ scope, key })).body, first.body);
  });

  it('an expired key is treated as absent: it executes again and is stored anew', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    const first = await run({ scope, key });
    await age(scope, key, 'expires_at', 1);
    const second = await run({ scope, key, requestBody: { another: 'body' } });
    assert.equal(second.replayed, false);
    assert.notDeepEqual(second.body, first.body);
    const stored = await row(scope, key);
    assert.equal(stored?.request_hash, requestHash({ another: 'body' }));
    assert.ok(new Date(stored!.expires_at).getTime() > Date.now() + 23 * 3600_000);
    assert.equal((await run({ scope, key, requestBody: { another: 'body' } })).replayed, true);
  });

  it('a running claim younger than 60 s blocks; an abandoned one (older than 60 s) is taken over', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    await database.db
      .insertInto('idempotency_keys')
      .values({
        team_id: scope.teamId,
        env: scope.env,
        route: scope.route,
        key,
        request_hash: requestHash({ a: 1 }),
        state: 'running',
        expires_at: sql`now() + interval '24 hours'`,
      })
      .execute();
    await age(scope, key, 'created_at', 59);
    await rejectsWith(run({ scope, key }), 'idempotency_request_in_progress');
    // An abandoned claim is still the key's: another body is a reuse, not a takeover.
    await age(scope, key, 'created_at', 61);
    await rejectsWith(run({ scope, key, requestBody: { a: 2 } }), 'idempotency_key_reused');
    const taken = await run({ scope, key });
    assert.equal(taken.replayed, false);
    assert.equal((await row(scope, key))?.state, 'done');
    assert.equal((await run({ scope, key })).replayed, true);
  });

  it('a first request that lost its claim as abandoned does not overwrite the taker’s stored outcome', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    let enter!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((resolve) => {
      enter = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = run({
      scope,
      key,
      execute: async () => {
        enter();
        await released;
        return { status: 200, body: { who: 'slow' } };
      },
    });
    await entered;
    await age(scope, key, 'created_at', 61);
    const taker = await run({ scope, key, execute: async () => ({ status: 200, body: { who: 'taker' } }) });
    assert.deepEqual(taker.body, { who: 'taker' });
    release();
    assert.deepEqual((await slow).body, { who: 'slow' });
    assert.deepEqual((await run({ scope, key })).body, { who: 'taker' });
  });

  it("an outcome stored in execute's transaction stands; one rolled back with it is replaced by the error", async () => {
    const scope = scopeOf();
    const key = randomUUID();
    const stored = await run({
      scope,
      key,
      execute: async (complete) => {
        await database.db.transaction().execute(async (tx) => complete(tx, { status: 200, body: { in: 'transaction' } }));
        return { status: 200, body: { in: 'transaction' } };
      },
    });
    assert.deepEqual(stored, { status: 200, body: { in: 'transaction' }, replayed: false });
    assert.deepEqual(JSON.parse((await row(scope, key))?.response_body ?? 'null'), { in: 'transaction' });

    const other = randomUUID();
    const failed = await run({
      scope,
      key: other,
      execute: async (complete) =>
        database.db.transaction().execute(async (tx) => {
          await complete(tx, { status: 200, body: { in: 'transaction' } });
          throw new AppError('sandbox_only', 'after complete');
        }),
    });
    assert.equal(failed.status, 400);
    const replay = await run({ scope, key: other });
    assert.equal(replay.replayed, true);
    assert.equal((replay.body as { code: string }).code, 'sandbox_only');
  });

  it('a claim commits without waiting for a disk flush (synchronous_commit off for its own transaction only)', async () => {
    const scope = scopeOf();
    const setting = async (db: Parameters<typeof insertClaim>[0]) =>
      (await sql<{ value: string }>`select current_setting('synchronous_commit') as value`.execute(db)).rows[0].value;
    const sessionDefault = await setting(database.db);
    await database.db.transaction().execute(async (tx) => {
      await sql`select set_config('synchronous_commit', 'on', true)`.execute(tx);
      assert.ok(await insertClaim(tx, scope, randomUUID(), requestHash({ a: 1 })));
      assert.equal(await setting(tx), 'off');
    });
    assert.equal(await setting(database.db), sessionDefault);
  });

  it('an unexpected exception removes the claim and rethrows', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    await assert.rejects(
      run({
        scope,
        key,
        execute: async () => {
          throw new TypeError('bug');
        },
      }),
      TypeError,
    );
    assert.equal(await row(scope, key), undefined);
    assert.equal((await run({ scope, key })).replayed, false);
  });

  it('noCacheErrors: an error is answered but not stored; a later success is stored', async () => {
    const scope = scopeOf();
    const key = randomUUID();
    const failed = await run({
      scope,
      key,
      noCacheErrors: true,
      execute: async () => {
        throw new AppError('icd_codes_required', 'need codes');
      },
    });
    assert.equal(failed.status, 400);
    assert.equal((failed.body as { code: string }).code, 'icd_codes_required');
    assert.equal(await row(scope, key), undefined);
    const ok = await run({ scope, key, noCacheErrors: true });
    assert.equal(ok.status, 200);
    assert.equal((await run({ scope, key, noCacheErrors: true })).replayed, true);
  });

  it('purge removes expired keys of every team and keeps live ones; runIdempotent purges opportunistically', async () => {
    const live = scopeOf();
    const dead = scopeOf();
    const liveKey = randomUUID();
    const deadKeys = [randomUUID(), randomUUID(), randomUUID()];
    await run({ scope: live, key: liveKey });
    for (const key of deadKeys) {
      await run({ scope: dead, key });
      await age(dead, key, 'expires_at', 5);
    }
    const removed = await purgeExpiredIdempotencyKeys(database.db, { batch: 2 });
    assert.ok(removed >= 3, `removed ${removed}`);
    for (const key of deadKeys) assert.equal(await row(dead, key), undefined);
    assert.ok(await row(live, liveKey));

    const other = randomUUID();
    await run({ scope: dead, key: other });
    await age(dead, other, 'expires_at', 5);
    await run({ scope: live, key: randomUUID(), purgeProbability: 1 });
    assert.equal(await row(dead, other), undefined);
  });

  it('hashes bodies canonically', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
    assert.equal(canonicalJson({ a: undefined, b: new Date(0) }), '{"b":"1970-01-01T00:00:00.000Z"}');
    assert.equal(requestHash({ x: 1, y: 2 }), requestHash({ y: 2, x: 1 }));
    assert.notEqual(requestHash({ x: '1' }), requestHash({ x: 1 }));
    assert.notEqual(requestHash([1, 2]), requestHash([2, 1]));
  });
});
