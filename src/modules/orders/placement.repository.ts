// Every statement of order placement, and the boundary that batches them. A placement is a unit of work —
// read its context, decide, insert the order, finish (events, idempotency record) — run in a transaction that
// holds the team's cell accounts locked FOR SHARE, so an unlink or suspension cannot interleave with the commit.
//
// Contract of `OrderPlacements.place` (what a caller may rely on, and all it needs to know): the unit's steps
// run in that order in one transaction; `decide` may read but must not write, and a domain error thrown by it
// (or by the checks before it) rejects this placement alone with that error; any other error, or an error in
// `finish`, fails the transaction and the placement with it; the promise resolves only after COMMIT succeeded,
// and a failed COMMIT rejects it (its outcome is then unknown, so it is never run again). What the caller does
// not see: placements that arrive together share one transaction (grouped-transactions.ts) — one context read
// and one insert statement for the group, one COMMIT — and a group whose transaction failed for a reason not
// its own is run again placement by placement, so one placement's failure decides only its own outcome.
//
// The context read returns, for each placement, the team's settings, the patient, the ordered tests, whether
// webhook endpoints exist for the team's order events, and the id and version of every lab account of the
// team's cell (its org's and the platform's) under FOR SHARE. Comparing those with the lab-account cache tells
// whether resolution may use the cache: every change to an account or its links bumps its version and a new
// account adds a row (team-visibility.ts `cellMatches`).
import { type Insertable, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB, Tx } from '../../db/database.js';
import { type Decision, TransactionGroups } from '../../db/grouped-transactions.js';
import { compilableOn, type Placeholders, precompiled } from '../../db/precompiled-query.js';
import type { OrdersTable, OrderTransactionsTable, TeamEnvironmentSettings } from '../../db/schema.js';
import { isDomainError, overloaded } from '../../domain/errors.js';
import type { auditRow } from '../audit/audit.repository.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { LAB_TEST_COLUMNS, type LabTestRow } from '../lab-tests/lab-tests.repository.js';
import type { EventRow } from './orders.repository.js';
import type { ClientFacingOrder } from './orders.schemas.js';

export interface OrderContext {
  settings: TeamEnvironmentSettings | null;
  user: { id: string; clientUserId: string | null } | undefined;
  /** The ordered tests found in the team's cell, oldest first. */
  tests: LabTestRow[];
  /** Locked accounts of the cell (org's and platform's): id → version. */
  accountVersions: Map<string, number>;
  /** Whether any webhook endpoint could receive the team's order events (none: nothing to enqueue). */
  hasWebhookEndpoints: boolean;
}

/** One placement's identity in a group's context read. */
export interface ContextRequest {
  principal: TeamPrincipal;
  userId: string;
  testIds: string[];
}

interface ContextRow {
  i: number;
  team: { sandbox: TeamEnvironmentSettings | null; production: TeamEnvironmentSettings | null } | null;
  user: { id: string; client_user_id: string | null } | null;
  tests: LabTestRow[];
  locked: { id: string; version: number }[];
  has_webhook_endpoints: boolean;
}

// The requests travel as one JSON parameter, so the statement's text (and its prepared plan) is the same for
// a group of any size. The locked set covers every requested cell; each request sees only its own cell's rows.
// Built once (precompiled-query.ts).
const contextQuery = precompiled(
  (): string => '',
  (db, _shape, p: Placeholders<{ requests: string }>) =>
    compilableOn(
      db,
      sql<ContextRow>`
  with req as materialized (
    select * from jsonb_to_recordset(${p.value('requests')}::jsonb)
      as r(i int, org_id uuid, team_id uuid, env text, region text, user_id uuid, test_ids uuid[])
  ), locked as (
    -- Each request's org accounts and its cell's platform accounts, probed per request through their indexes
    -- (a correlated subquery cannot be turned into a join over every account), then locked by primary key.
    select lab_accounts.id, lab_accounts.version, lab_accounts.org_id, lab_accounts.env, lab_accounts.region
    from lab_accounts
    where lab_accounts.id = any(array(
      select unnest(array(
        select cell.id from lab_accounts as cell
        where cell.org_id = req.org_id and cell.env = req.env and cell.region = req.region
        union all
        select cell.id from lab_accounts as cell
        where cell.org_id is null and cell.env = req.env and cell.region = req.region))
      from req))
    order by lab_accounts.id
    for share
  )
  -- One row per request; every lookup is a per-request subquery, so each stays an index probe whatever the
  -- planner guesses for the number of requests (a function scan counts as 100 rows).
  select req.i,
    (select json_build_object('sandbox', teams.sandbox, 'production', teams.production) from teams
      where teams.id = req.team_id) as team,
    (select json_build_object('id', users.id, 'client_user_id', users.client_user_id) from users
      where users.id = req.user_id and users.team_id = req.team_id and users.env = req.env) as user,
    (select coalesce(json_agg(agg), '[]') from (
      select ${sql.join(LAB_TEST_COLUMNS.map((c) => sql.ref(`lab_tests.${c}`)))} from lab_tests
      where lab_tests.env = req.env and lab_tests.region = req.region and lab_tests.id = any(req.test_ids)
      order by lab_tests.seq) as agg) as tests,
    (select coalesce(json_agg(json_build_object('id', locked.id, 'version', locked.version)), '[]') from locked
      where locked.env = req.env and locked.region = req.region and (locked.org_id = req.org_id or locked.org_id is null)) as locked,
    exists (select from webhook_endpoints
      where webhook_endpoints.org_id = req.org_id and webhook_endpoints.env = req.env and webhook_endpoints.deleted_at is null
        and (webhook_endpoints.team_id is null or webhook_endpoints.team_id = req.team_id)) as has_webhook_endpoints
  from req
  order by req.i`,
    ),
);

/** The context of each request (same order), read in one statement under the cells' FOR SHARE locks. */
export async function readOrderContexts(tx: Tx, requests: readonly ContextRequest[]): Promise<OrderContext[]> {
  const rows = await contextQuery(tx, undefined, {
    requests: JSON.stringify(
      requests.map(({ principal, userId, testIds }, i) => ({
        i,
        org_id: principal.orgId,
        team_id: principal.teamId,
        env: principal.env,
        region: principal.region,
        user_id: userId,
        test_ids: testIds,
      })),
    ),
  });
  return requests.map(({ principal }, i) => {
    const row = rows.find((r) => r.i === i);
    if (!row?.team) throw new Error(`team ${principal.teamId} vanished`);
    return {
      settings: principal.env === 'sandbox' ? row.team.sandbox : row.team.production,
      user: row.user ? { id: row.user.id, clientUserId: row.user.client_user_id } : undefined,
      tests: row.tests,
      accountVersions: new Map(row.locked.map((a) => [a.id, a.version])),
      hasWebhookEndpoints: row.has_webhook_endpoints,
    };
  });
}

/** The rows one placement inserts. */
export interface NewOrder {
  transaction: Insertable<OrderTransactionsTable>;
  order: Insertable<OrdersTable> & { id: string };
  /** The statuses of the order's first events, oldest first. */
  events: string[];
  audit: ReturnType<typeof auditRow>;
}

/** What the database filled in for an inserted order. */
export interface StoredOrder {
  id: string;
  seq: string;
  created_at: Date;
  updated_at: Date;
  events: EventRow[];
}

/**
 * One statement writes the transactions, the orders, their first events and the audit rows of a whole group,
 * adds the orders to their teams' counts, and returns what the responses need. Built once per number of orders
 * (precompiled-query.ts); the events go as two arrays, so their number does not change the statement.
 */
const insertOrdersQuery = precompiled(
  (count: number) => String(count),
  (db, count, p: Placeholders<Record<string, unknown>>) =>
    db
      .with('new_transaction', (q) =>
        q
          .insertInto('order_transactions')
          .values(Array.from({ length: count }, (_, i) => p.row(`transaction${i}`) as Insertable<OrderTransactionsTable>)),
      )
      .with('new_order', (q) =>
        q
          .insertInto('orders')
          .values(Array.from({ length: count }, (_, i) => p.row(`order${i}`) as Insertable<OrdersTable>))
          .returning(['id', 'seq', 'created_at', 'updated_at', 'team_id', 'env']),
      )
      // Each team's kept order count (migration 0011): this backend's part, which no concurrent transaction writes.
      .with('counted', (q) =>
        q
          .insertInto('order_counts')
          .columns(['team_id', 'env', 'shard', 'n'])
          .expression(sql`select team_id, env, pg_backend_pid(), count(*) from new_order group by team_id, env`)
          .onConflict((oc) => oc.columns(['team_id', 'env', 'shard']).doUpdateSet({ n: sql`order_counts.n + excluded.n` })),
      )
      // Inserted in the arrays' order, so each order's events get ascending ids.
      .with('new_events', (q) =>
        q
          .insertInto('order_events')
          .columns(['order_id', 'status'])
          .expression(sql`select order_id, status from unnest(${p.value('eventOrderIds')}::uuid[], ${p.value('eventStatuses')}::text[])
      with ordinality as event(order_id, status, n) order by n`)
          .returning(['id', 'order_id', 'created_at', 'status', 'status_detail']),
      )
      .with('new_audit', (q) =>
        q.insertInto('audit_log').values(Array.from({ length: count }, (_, i) => p.row(`audit${i}`) as ReturnType<typeof auditRow>)),
      )
      .selectFrom('new_order')
      .select(['new_order.id', 'new_order.seq', 'new_order.created_at', 'new_order.updated_at'])
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('new_events')
            .select(['new_events.id', 'new_events.order_id', 'new_events.created_at', 'new_events.status', 'new_events.status_detail'])
            .whereRef('new_events.order_id', '=', 'new_order.id')
            .orderBy('new_events.id'),
        ).as('events'),
      ),
);

/** Inserts the orders (same order as given) and returns what the database filled in for each. */
async function insertOrders(tx: Tx, orders: readonly NewOrder[]): Promise<StoredOrder[]> {
  const values: Record<string, unknown> = {
    eventOrderIds: orders.flatMap((o) => o.events.map(() => o.order.id)),
    eventStatuses: orders.flatMap((o) => o.events),
  };
  orders.forEach((o, i) => {
    values[`transaction${i}`] = o.transaction;
    values[`order${i}`] = o.order;
    values[`audit${i}`] = o.audit;
  });
  const stored = (await insertOrdersQuery(tx, orders.length, values)) as unknown as StoredOrder[];
  return orders.map((o) => {
    const written = stored.find((w) => w.id === o.order.id);
    if (!written) throw new Error(`order ${o.order.id} was not written`);
    return written;
  });
}

/** A placement's decision: whatever the use case keeps, and the order it inserts. */
export interface DecisionWithOrder {
  newOrder: NewOrder;
}

/** One placement as the use case describes it (see the contract at the top of this file). */
export interface PlacementUnit<D extends DecisionWithOrder> {
  /** Whose placement it is and what it orders: what the context read needs. */
  context: ContextRequest;
  /** Decides from the context; may read, must not write. A domain error rejects this placement alone. */
  decide(tx: Tx, context: OrderContext): Promise<D>;
  /** Runs after the insert in the same transaction and gives the answer; may write (events, idempotency). */
  finish(tx: Tx, decided: D, stored: StoredOrder): Promise<ClientFacingOrder>;
}

type AnyUnit = PlacementUnit<DecisionWithOrder>;

// Two groups in flight: interleaved runs of `POST /v3/order` on PostgreSQL (ten clients, 2026-12-03) gave
// medians of ~1,000 orders/s with two against ~920 with three, ~820 with one and ~680 without grouping (and
// with groups started after the event loop's turn, two again beat one and three). On PGlite, whose one
// connection runs a transaction at a time, grouping changed nothing measurable. Sixteen orders bound the
// statements' size and the time the cells stay locked. Placements waiting for a group do not wait for a pool
// connection, so the pool's load shedding does not see them: beyond four full groups waiting (a stalled
// database), a new placement is answered 503 `overloaded` at once, as the pool's shedding would.
const PLACEMENT_GROUPS = { concurrency: 2, maxSize: 16, maxQueued: 64, overloaded };

/** Order placement's unit of work on one database (see the contract at the top of this file). */
export class OrderPlacements {
  private readonly groups: TransactionGroups<AnyUnit, DecisionWithOrder, ClientFacingOrder>;

  constructor(private readonly db: DB) {
    this.groups = new TransactionGroups(db, { decide: decideAll, write: writeAll }, PLACEMENT_GROUPS);
  }

  /** Places one order; resolves after its transaction committed. */
  place<D extends DecisionWithOrder>(unit: PlacementUnit<D>): Promise<ClientFacingOrder> {
    return this.groups.run(unit as unknown as AnyUnit);
  }

  /** The unit's decision with the same reads and locks as placement, in a transaction that writes nothing. */
  decideOnly<D extends DecisionWithOrder>(unit: Pick<PlacementUnit<D>, 'context' | 'decide'>): Promise<D> {
    return this.db.transaction().execute(async (tx) => {
      const [context] = await readOrderContexts(tx, [unit.context]);
      return unit.decide(tx, context);
    });
  }
}

/** Reads the contexts of all units in one statement, then lets each decide; a domain error rejects one alone. */
async function decideAll(tx: Tx, units: AnyUnit[]): Promise<Decision<DecisionWithOrder>[]> {
  const contexts = await readOrderContexts(
    tx,
    units.map((u) => u.context),
  );
  const decisions: Decision<DecisionWithOrder>[] = [];
  for (const [i, unit] of units.entries()) {
    try {
      decisions.push({ ok: true, decided: await unit.decide(tx, contexts[i]) });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      decisions.push({ ok: false, error });
    }
  }
  return decisions;
}

/** Inserts every decided unit's order in one statement, then finishes each in turn. */
async function writeAll(tx: Tx, decided: { input: AnyUnit; decided: DecisionWithOrder }[]): Promise<ClientFacingOrder[]> {
  const stored = await insertOrders(
    tx,
    decided.map(({ decided: d }) => d.newOrder),
  );
  const answers: ClientFacingOrder[] = [];
  // One after the other: they share the transaction's one connection.
  for (const [i, { input, decided: d }] of decided.entries()) answers.push(await input.finish(tx, d, stored[i]));
  return answers;
}
