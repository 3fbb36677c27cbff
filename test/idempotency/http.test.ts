// Idempotency through HTTP: a test-only route wired like POST /v3/order (team auth, IdempotencyHeaders,
// runIdempotent, sendIdempotent) on a full Labroute app, so headers, 422s, error rendering and replay headers
// are exercised end to end on both backends.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { AppError, RawBodyError } from '../../src/domain/errors.js';
import { IdempotencyHeaders, readIdempotencyHeaders, sendIdempotent } from '../../src/modules/idempotency/idempotency.http.js';
import { runIdempotent } from '../../src/modules/idempotency/run-idempotent.js';
import { seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { openTestDatabase } from '../support/test-app.js';

/** A latch the test opens to let a blocked execute finish. */
function latch(): { entered: Promise<void>; enter: () => void; release: () => void; released: Promise<void> } {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((resolve) => {
    enter = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { entered, enter, release, released };
}

const calls = new Map<string, number>();
const latches = new Map<string, ReturnType<typeof latch>>();
const count = (tag: string): number => calls.get(tag) ?? 0;

const Body = z.object({
  tag: z.string(),
  mode: z.enum(['ok', 'app_error', 'raw_error', 'crash', 'overloaded', 'block']).default('ok'),
  n: z.number().optional(),
});
const Answer = z.object({ tag: z.string(), run: z.number(), n: z.number().nullable() });

const testRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/test/idempotent/:variant',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        params: z.object({ variant: z.enum(['a', 'b']) }),
        headers: IdempotencyHeaders,
        body: Body,
        response: { 200: Answer },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal?.kind !== 'team') throw new AppError('forbidden', 'team only');
      const { key, noCacheErrors } = readIdempotencyHeaders(request);
      const body = request.body;
      const outcome = await runIdempotent({
        db: app.deps.database.db,
        scope: { teamId: principal.teamId, env: principal.env, route: `POST /test/idempotent/${request.params.variant}` },
        key,
        noCacheErrors,
        requestBody: body,
        requestId: request.id,
        purgeProbability: 0,
        execute: async () => {
          const run = count(body.tag) + 1;
          calls.set(body.tag, run);
          switch (body.mode) {
            case 'app_error':
              throw new AppError('minor_not_allowed', `run ${run}: minors not allowed`, { run });
            case 'raw_error':
              throw new RawBodyError(409, { team_id: `run-${run}` });
            case 'crash':
              throw new Error('boom');
            case 'overloaded':
              throw new AppError('overloaded', 'busy', {}, { 'retry-after': '1' });
            case 'block': {
              const gate = latches.get(body.tag)!;
              gate.enter();
              await gate.released;
              break;
            }
            default:
              break;
          }
          return { status: 200, body: { tag: body.tag, run, n: body.n ?? null } };
        },
      });
      return sendIdempotent(reply, outcome);
    },
  );
};

describe('idempotency over HTTP', () => {
  let app: FastifyInstance;
  let database: DatabaseHandle;
  let teamKey: string;
  let teamId: string;
  let otherTeamKey: string;
  let productionKey: string;

  const post = (options: { key?: string; error?: string; body: unknown; variant?: string; apiKey?: string }) => {
    const headers: Record<string, string> = { 'x-vital-api-key': options.apiKey ?? teamKey };
    if (options.key !== undefined) headers['X-Idempotency-Key'] = options.key;
    if (options.error !== undefined) headers['X-Idempotency-Error'] = options.error;
    return app.inject({ method: 'POST', url: `/test/idempotent/${options.variant ?? 'a'}`, headers, payload: options.body as object });
  };
  const rows = async (key: string) => database.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).execute();

  before(async () => {
    const config = loadConfig({ LABROUTE_DEMO: '0', LOG_LEVEL: 'silent' });
    database = await openTestDatabase({ poolSize: config.dbPoolSize });
    app = await buildApp({ config, database, logger: false, strictResponses: true });
    await app.register(testRoutes);
    await app.ready();
    const org = await seedOrg(database.db);
    const team = await seedTeam(database.db, org.id);
    teamId = team.id;
    teamKey = (await seedTeamKey(database.db, team, 'sandbox')).key;
    productionKey = (await seedTeamKey(database.db, team, 'production')).key;
    const other = await seedTeam(database.db, org.id);
    otherTeamKey = (await seedTeamKey(database.db, other, 'sandbox')).key;
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  it('without a key every request executes and nothing is stored', async () => {
    const tag = randomUUID();
    const teamRows = async () =>
      (await database.db.selectFrom('idempotency_keys').select('key').where('team_id', '=', teamId).execute()).length;
    const before = await teamRows();
    const first = await post({ body: { tag } });
    const second = await post({ body: { tag } });
    assert.equal(first.statusCode, 200);
    assert.equal(second.json().run, 2);
    assert.equal(second.headers['idempotent-replayed'], undefined);
    assert.equal(await teamRows(), before);
    assert.equal(count(tag), 2);
  });

  it('stores the first success and replays the same status and body with Idempotent-Replayed: true', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    const first = await post({ key, body: { tag, n: 1 } });
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), { tag, run: 1, n: 1 });
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const [row] = await rows(key);
    assert.equal(row.state, 'done');
    assert.equal(row.status_code, 200);
    assert.equal(row.team_id, teamId);
    assert.equal(row.env, 'sandbox');
    assert.equal(row.route, 'POST /test/idempotent/a');
    assert.ok(new Date(row.expires_at).getTime() - Date.now() > 23 * 3600_000);

    const replay = await post({ key, body: { n: 1, tag } }); // same body, other key order
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.body, first.body);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.notEqual(replay.headers['x-request-id'], first.headers['x-request-id']);
    assert.equal(count(tag), 1);
  });

  it('stores an error outcome (AppError) and replays it, request_id included', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    const first = await post({ key, body: { tag, mode: 'app_error' } });
    assert.equal(first.statusCode, 400);
    assert.equal(first.json().code, 'minor_not_allowed');
    assert.equal(first.json().run, 1);
    assert.equal(first.json().request_id, first.headers['x-request-id']);
    const replay = await post({ key, body: { tag, mode: 'app_error' } });
    assert.equal(replay.statusCode, 400);
    assert.deepEqual(replay.json(), first.json());
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.match(String(replay.headers['content-type']), /application\/json/);
    assert.equal(count(tag), 1);
  });

  it('stores a RawBodyError outcome as its own status and body', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    const first = await post({ key, body: { tag, mode: 'raw_error' } });
    assert.equal(first.statusCode, 409);
    assert.deepEqual(first.json(), { team_id: 'run-1' });
    const replay = await post({ key, body: { tag, mode: 'raw_error' } });
    assert.equal(replay.statusCode, 409);
    assert.deepEqual(replay.json(), { team_id: 'run-1' });
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(count(tag), 1);
  });

  it('X-Idempotency-Error: no-cache does not store errors but still stores successes', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    const first = await post({ key, error: 'no-cache', body: { tag, mode: 'app_error' } });
    assert.equal(first.statusCode, 400);
    assert.equal((await rows(key)).length, 0);
    const second = await post({ key, error: 'no-cache', body: { tag, mode: 'app_error' } });
    assert.equal(second.json().run, 2);
    assert.equal(second.headers['idempotent-replayed'], undefined);

    const okTag = randomUUID();
    const okKey = randomUUID();
    const ok = await post({ key: okKey, error: 'no-cache', body: { tag: okTag } });
    assert.equal(ok.statusCode, 200);
    const replay = await post({ key: okKey, error: 'no-cache', body: { tag: okTag } });
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(count(okTag), 1);
  });

  it('the same key with another body is 409 idempotency_key_reused and nothing runs', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    await post({ key, body: { tag, n: 1 } });
    const reused = await post({ key, body: { tag, n: 2 } });
    assert.equal(reused.statusCode, 409);
    assert.equal(reused.json().code, 'idempotency_key_reused');
    assert.ok(reused.json().request_id);
    assert.equal(reused.headers['idempotent-replayed'], undefined);
    assert.equal(count(tag), 1);
    // The stored outcome is untouched.
    const replay = await post({ key, body: { tag, n: 1 } });
    assert.equal(replay.json().n, 1);
  });

  it('a duplicate while the first is running is 409 idempotency_request_in_progress; afterwards it replays', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    const gate = latch();
    latches.set(tag, gate);
    const first = post({ key, body: { tag, mode: 'block' } });
    await gate.entered;
    const duplicate = await post({ key, body: { tag, mode: 'block' } });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().code, 'idempotency_request_in_progress');
    // Even with another body the key is taken; reuse is reported first.
    const other = await post({ key, body: { tag, mode: 'ok' } });
    assert.equal(other.json().code, 'idempotency_key_reused');
    gate.release();
    const done = await first;
    assert.equal(done.statusCode, 200);
    const replay = await post({ key, body: { tag, mode: 'block' } });
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body, done.body);
    assert.equal(count(tag), 1);
  });

  it('keys are scoped by team, env and route', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    assert.equal((await post({ key, body: { tag } })).json().run, 1);
    const otherTeam = await post({ key, body: { tag }, apiKey: otherTeamKey });
    const otherEnv = await post({ key, body: { tag }, apiKey: productionKey });
    const otherRoute = await post({ key, body: { tag }, variant: 'b' });
    for (const res of [otherTeam, otherEnv, otherRoute]) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['idempotent-replayed'], undefined);
    }
    assert.deepEqual([otherTeam.json().run, otherEnv.json().run, otherRoute.json().run], [2, 3, 4]);
    assert.equal((await rows(key)).length, 4);
    // Another team's different body under the same key is not a reuse either.
    const otherBody = await post({ key, body: { tag, n: 9 }, apiKey: otherTeamKey, variant: 'b' });
    assert.equal(otherBody.statusCode, 200);
  });

  it('an unexpected exception is a 500, removes the key, and a retry executes again', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    const crash = await post({ key, body: { tag, mode: 'crash' } });
    assert.equal(crash.statusCode, 500);
    assert.equal(crash.json().code, 'internal_error');
    assert.equal((await rows(key)).length, 0);
    const retry = await post({ key, body: { tag, mode: 'crash' } });
    assert.equal(retry.statusCode, 500);
    assert.equal(count(tag), 2);
  });

  it('a 503 from execute is not stored and keeps its Retry-After', async () => {
    const tag = randomUUID();
    const key = randomUUID();
    const busy = await post({ key, body: { tag, mode: 'overloaded' } });
    assert.equal(busy.statusCode, 503);
    assert.equal(busy.headers['retry-after'], '1');
    assert.equal((await rows(key)).length, 0);
  });

  it('validates the headers: key 1..255 characters, error header only no-cache; nothing runs or is stored', async () => {
    const tag = randomUUID();
    const long = 'k'.repeat(256);
    const tooLong = await post({ key: long, body: { tag } });
    assert.equal(tooLong.statusCode, 422);
    assert.deepEqual(
      tooLong.json().detail.map((d: { loc: unknown; type: string }) => [d.loc, d.type]),
      [[['header', 'x-idempotency-key'], 'string_too_long']],
    );
    assert.deepEqual(tooLong.json().detail[0].ctx, { max_length: 255 });
    const empty = await post({ key: '', body: { tag } });
    assert.equal(empty.statusCode, 422);
    assert.equal(empty.json().detail[0].type, 'string_too_short');
    assert.deepEqual(empty.json().detail[0].loc, ['header', 'x-idempotency-key']);
    const badError = await post({ key: randomUUID(), error: 'cache', body: { tag } });
    assert.equal(badError.statusCode, 422);
    assert.deepEqual(badError.json().detail[0].loc, ['header', 'x-idempotency-error']);
    assert.equal(badError.json().detail[0].input, 'cache');
    assert.equal(count(tag), 0);
    assert.equal((await rows(long)).length, 0);

    const max = 'k'.repeat(255);
    const ok = await post({ key: max, body: { tag } });
    assert.equal(ok.statusCode, 200);
    assert.equal((await rows(max)).length, 1);
  });

  it('a body validation failure never reaches execute and stores nothing', async () => {
    const key = randomUUID();
    const bad = await post({ key, body: { tag: 5 } });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['body', 'tag']);
    assert.equal((await rows(key)).length, 0);
  });

  it('auth comes first: no team key is 401 and stores nothing', async () => {
    const key = randomUUID();
    const res = await app.inject({
      method: 'POST',
      url: '/test/idempotent/a',
      headers: { 'X-Idempotency-Key': key },
      payload: { tag: 'x' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal((await rows(key)).length, 0);
  });

  it('documents both headers in the OpenAPI document', async () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    const names = (doc.paths['/test/idempotent/{variant}']?.post?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    assert.ok(names.includes('x-idempotency-key'), JSON.stringify(names));
    assert.ok(names.includes('x-idempotency-error'), JSON.stringify(names));
  });
});
