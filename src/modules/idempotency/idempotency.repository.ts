// Short, self-committing statements on `idempotency_keys`: claiming a key, taking over an abandoned or expired
// claim, storing the outcome, releasing it. Each runs on its own so no transaction is held across the request.
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';

/** Where a key lives: keys never collide across teams, environments or routes. */
export interface IdempotencyScope {
  teamId: string;
  env: string;
  route: string;
}

/** How long an outcome is kept and replayed. */
export const RETENTION = sql`interval '24 hours'`;
/** A `running` claim older than this is treated as abandoned (its process crashed) and may be taken over. */
export const ABANDONED_AFTER = sql`interval '60 seconds'`;

/** The stored row as the use case needs it. `lease` is the claim's created_at as exact text (µs precision). */
export interface IdempotencyRecord {
  request_hash: string;
  state: 'running' | 'done';
  status_code: number | null;
  response_body: string | null;
  expired: boolean;
  abandoned: boolean;
  lease: string;
}

// created_at doubles as the claim's lease token; as text it keeps PostgreSQL's microseconds, which a JS Date
// would round to milliseconds.
const leaseText = sql<string>`created_at::text`;

/**
 * Inserts a `running` claim unless the key already exists (`on conflict do nothing`). Returns the lease of the
 * new claim, or null when another row holds the key.
 *
 * The claim commits without waiting for its WAL to reach disk (`synchronous_commit` off for this statement's
 * own transaction only): it is visible to every other session at once, which is all a claim is for. A crash of
 * the database can lose it only together with everything after it — the request's own write, whose durable
 * commit flushes the WAL up to and including the claim, has then not committed either — so a retry simply
 * runs again. Every other statement keeps durable commits. Call it on the root handle: inside a transaction the
 * setting would hold until that transaction ends.
 */
export async function insertClaim(db: Queryable, scope: IdempotencyScope, key: string, requestHash: string): Promise<string | null> {
  const row = await db
    .with('async_commit', (q) => q.selectNoFrom(sql<string>`set_config('synchronous_commit', 'off', true)`.as('setting')))
    .insertInto('idempotency_keys')
    .columns(['team_id', 'env', 'route', 'key', 'request_hash', 'state', 'created_at', 'expires_at'])
    .expression((eb) =>
      eb
        .selectFrom('async_commit')
        .select([
          sql`${scope.teamId}::uuid`.as('team_id'),
          sql`${scope.env}::text`.as('env'),
          sql`${scope.route}::text`.as('route'),
          sql`${key}::text`.as('key'),
          sql`${requestHash}::text`.as('request_hash'),
          sql.lit('running').as('state'),
          sql`now()`.as('created_at'),
          sql`now() + ${RETENTION}`.as('expires_at'),
        ]),
    )
    .onConflict((oc) => oc.columns(['team_id', 'env', 'route', 'key']).doNothing())
    .returning(leaseText.as('lease'))
    .executeTakeFirst();
  return row?.lease ?? null;
}

/** Reads the row holding `key` in `scope`, with its expiry and abandonment judged by the database clock. */
export async function findRecord(db: Queryable, scope: IdempotencyScope, key: string): Promise<IdempotencyRecord | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .select([
      'request_hash',
      'state',
      'status_code',
      'response_body',
      sql<boolean>`expires_at <= now()`.as('expired'),
      sql<boolean>`state = 'running' and created_at <= now() - ${ABANDONED_AFTER}`.as('abandoned'),
      leaseText.as('lease'),
    ])
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .where('route', '=', scope.route)
    .where('key', '=', key)
    .executeTakeFirst();
}

/**
 * Replaces an expired or abandoned row with a fresh `running` claim, only if it still carries `lease` (so of
 * several concurrent takers exactly one wins). Returns the new lease, or null when someone else won.
 */
export async function takeOverClaim(
  db: Queryable,
  scope: IdempotencyScope,
  key: string,
  lease: string,
  requestHash: string,
): Promise<string | null> {
  const row = await db
    .updateTable('idempotency_keys')
    .set({
      request_hash: requestHash,
      state: 'running',
      status_code: null,
      response_body: null,
      created_at: sql`clock_timestamp()`,
      expires_at: sql`now() + ${RETENTION}`,
    })
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .where('route', '=', scope.route)
    .where('key', '=', key)
    .where(sql<boolean>`created_at = ${lease}::timestamptz`)
    .where(sql<boolean>`(expires_at <= now() or (state = 'running' and created_at <= now() - ${ABANDONED_AFTER}))`)
    .returning(leaseText.as('lease'))
    .executeTakeFirst();
  return row?.lease ?? null;
}

/** Marks our claim `done` with the outcome. Returns false when the claim was taken over meanwhile. */
export async function completeClaim(
  db: Queryable,
  scope: IdempotencyScope,
  key: string,
  lease: string,
  statusCode: number,
  responseBody: string,
): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', status_code: statusCode, response_body: responseBody })
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .where('route', '=', scope.route)
    .where('key', '=', key)
    .where('state', '=', 'running')
    .where(sql<boolean>`created_at = ${lease}::timestamptz`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes our claim (the outcome must not be kept), unless it was taken over meanwhile. */
export async function releaseClaim(db: Queryable, scope: IdempotencyScope, key: string, lease: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env)
    .where('route', '=', scope.route)
    .where('key', '=', key)
    .where('state', '=', 'running')
    .where(sql<boolean>`created_at = ${lease}::timestamptz`)
    .execute();
}

/**
 * Deletes up to `limit` expired rows of every team (maintenance: the caller is the service, not a tenant, and
 * expired rows are already invisible to every lookup). Returns how many were deleted.
 */
export async function deleteExpired(db: Queryable, limit: number): Promise<number> {
  const result = await sql<{ n: number }>`
    with gone as (
      delete from idempotency_keys
      where ctid in (select ctid from idempotency_keys where expires_at <= now() limit ${limit})
      returning 1
    )
    select count(*)::int as n from gone
  `.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
