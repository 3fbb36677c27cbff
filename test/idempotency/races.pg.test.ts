// PostgreSQL-only races: many runIdempotent calls for one key on separate pool connections, and from two
// separate pools (two Labroute instances), must execute the request exactly once.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { AppError } from '../../src/domain/errors.js';
import { requestHash } from '../../src/modules/idempotency/request-hash.js';
import { type IdempotentOutcome, runIdempotent } from '../../src/modules/idempotency/run-idempotent.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

const N = 24;

describe('runIdempotent races on PostgreSQL', () => {
  let first: DatabaseHandle;
  let second: DatabaseHandle;

  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    const url = await freshPostgresUrl();
    first = await createDatabase({ databaseUrl: url, poolSize: 12 });
    await first.migrate();
    second = await createDatabase({ databaseUrl: url, poolSize: 12 });
  });
  after(async () => {
    await first.close();
    await second.close();
  });

  /** Fires N calls at once, alternating between the two instances' pools; returns outcomes and error codes. */
  async function race(key: string, teamId: string, execute: () => Promise<{ status: number; body: unknown }>) {
    const results = await Promise.allSettled(
      Array.from({ length: N }, (_, i) =>
        runIdempotent({
          db: (i % 2 === 0 ? first : second).db,
          scope: { teamId, env: 'production', route: 'POST /v3/order' },
          key,
          noCacheErrors: false,
          requestBody: { user_id: teamId, tests: [1, 2] },
          requestId: randomUUID(),
          purgeProbability: 0,
          execute,
        }),
      ),
    );
    const outcomes: IdempotentOutcome[] = [];
    const codes: string[] = [];
    for (const result of results) {
      if (result.status === 'fulfilled') outcomes.push(result.value);
      else {
        assert.ok(result.reason instanceof AppError, String(result.reason));
        codes.push(result.reason.code);
      }
    }
    return { outcomes, codes };
  }

  it('N parallel calls with one key: exactly one execute, the rest in progress or replayed', async () => {
    for (let round = 0; round < 5; round += 1) {
      const teamId = randomUUID();
      let executed = 0;
      const { outcomes, codes } = await race(randomUUID(), teamId, async () => {
        executed += 1;
        // Hold the claim a little so that most callers meet it running.
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { status: 200, body: { order: executed } };
      });
      assert.equal(executed, 1, `round ${round}`);
      assert.equal(outcomes.filter((o) => !o.replayed).length, 1);
      for (const o of outcomes) assert.deepEqual(o.body, { order: 1 });
      assert.ok(
        codes.every((code) => code === 'idempotency_request_in_progress'),
        codes.join(),
      );
      assert.equal(outcomes.length + codes.length, N);
    }
    // Both pools really ran statements on several connections at once.
    assert.ok((first.poolStats()?.total ?? 0) > 1 && (second.poolStats()?.total ?? 0) > 1);
  });

  it('N parallel takeovers of an abandoned claim: exactly one execute', async () => {
    const teamId = randomUUID();
    const key = randomUUID();
    await first.db
      .insertInto('idempotency_keys')
      .values({
        team_id: teamId,
        env: 'production',
        route: 'POST /v3/order',
        key,
        request_hash: requestHash({ user_id: teamId, tests: [1, 2] }),
        state: 'running',
        created_at: sql`now() - interval '2 minutes'`,
        expires_at: sql`now() + interval '22 hours'`,
      })
      .execute();
    let executed = 0;
    const { outcomes, codes } = await race(key, teamId, async () => {
      executed += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { status: 200, body: { taken: true } };
    });
    assert.equal(executed, 1);
    assert.equal(outcomes.filter((o) => !o.replayed).length, 1);
    assert.ok(
      codes.every((code) => code === 'idempotency_request_in_progress'),
      codes.join(),
    );
  });

  it('N parallel calls on an expired key: exactly one execute, stored anew', async () => {
    const teamId = randomUUID();
    const key = randomUUID();
    await first.db
      .insertInto('idempotency_keys')
      .values({
        team_id: teamId,
        env: 'production',
        route: 'POST /v3/order',
        key,
        request_hash: 'old body',
        state: 'done',
        status_code: 400,
        response_body: '{"old":true}',
        created_at: sql`now() - interval '25 hours'`,
        expires_at: sql`now() - interval '1 hour'`,
      })
      .execute();
    let executed = 0;
    const { outcomes } = await race(key, teamId, async () => {
      executed += 1;
      return { status: 200, body: { fresh: true } };
    });
    assert.equal(executed, 1);
    for (const o of outcomes) assert.deepEqual(o.body, { fresh: true });
    const row = await second.db.selectFrom('idempotency_keys').selectAll().where('team_id', '=', teamId).executeTakeFirstOrThrow();
    assert.equal(row.state, 'done');
    assert.equal(row.status_code, 200);
  });
});
