// Queries for orders, their events and transactions. Reads are scoped to the calling team and environment.

import type { ExpressionBuilder, Selectable } from 'kysely';
import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Queryable } from '../../db/database.js';
import type { Database, OrdersTable } from '../../db/schema.js';

/** A stored order as read (jsonb columns parsed). */
export type OrderRow = Selectable<OrdersTable>;

/** An order's tests: stored for orders of several tests (or with add-ons), else the one test of lab_test (migration 0009). */
export function orderLabTests(row: Pick<OrderRow, 'lab_test' | 'lab_tests'>): Record<string, unknown>[] {
  return row.lab_tests ?? [row.lab_test];
}

export interface EventRow {
  id: string | number;
  order_id: string;
  /** A Date, or an ISO string when read through a JSON aggregate. */
  created_at: Date | string;
  status: string;
  status_detail: string | null;
}

export interface TransactionMember {
  id: string;
  status_low: string;
  origin: string;
  parent_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  last_event_at: Date | string | null;
}

export interface TransactionView {
  id: string;
  status: string;
  orders: TransactionMember[];
}

/** An order with everything its ClientFacingOrder shows, read in one query. */
export type OrderViewRow = OrderRow & { events: EventRow[]; order_transaction: TransactionView | null };

const COLUMNS = [
  'id',
  'seq',
  'org_id',
  'team_id',
  'env',
  'region',
  'user_id',
  'lab_account_id',
  'lab_account_resolution',
  'lab',
  'collection_method',
  'sample_id',
  'status_top',
  'status_low',
  'lab_test',
  'lab_tests',
  'patient_details',
  'patient_address',
  'patient_name',
  'physician',
  'billing_type',
  'icd_codes',
  'clinical_notes',
  'priority',
  'activate_by',
  'passthrough',
  'order_transaction_id',
  'details_id',
  'origin',
  'parent_id',
  'interpretation',
  'has_missing_results',
  'created_at',
  'updated_at',
] as const;

/**
 * The order's events and its transaction (with every member order) as JSON columns of the order's own row:
 * a view, or a page of them, costs one round trip.
 */
function viewColumns(eb: ExpressionBuilder<Database, 'orders'>) {
  return [
    jsonArrayFrom(
      eb
        .selectFrom('order_events')
        .select([
          'order_events.id',
          'order_events.order_id',
          'order_events.created_at',
          'order_events.status',
          'order_events.status_detail',
        ])
        .whereRef('order_events.order_id', '=', 'orders.id')
        .orderBy('order_events.id', 'asc'),
    ).as('events'),
    jsonObjectFrom(
      eb
        .selectFrom('order_transactions')
        .select((t) => [
          'order_transactions.id',
          'order_transactions.status',
          jsonArrayFrom(
            t
              .selectFrom('orders as member')
              .select((m) => [
                'member.id',
                'member.status_low',
                'member.origin',
                'member.parent_id',
                'member.created_at',
                'member.updated_at',
                m
                  .selectFrom('order_events')
                  .select((e) => e.fn.max('order_events.created_at').as('at'))
                  .whereRef('order_events.order_id', '=', 'member.id')
                  .as('last_event_at'),
              ])
              .whereRef('member.order_transaction_id', '=', 'order_transactions.id')
              .orderBy('member.created_at', 'asc'),
          ).as('orders'),
        ])
        .whereRef('order_transactions.id', '=', 'orders.order_transaction_id'),
    ).as('order_transaction'),
  ];
}

export interface TeamScope {
  teamId: string;
  env: string;
}

export async function findOrder(db: Queryable, scope: TeamScope, id: string, lock = false): Promise<OrderRow | undefined> {
  const query = db
    .selectFrom('orders')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('team_id', '=', scope.teamId)
    .where('env', '=', scope.env);
  return (await (lock ? query.forUpdate() : query).executeTakeFirst()) as OrderRow | undefined;
}

/** Any order by id, for the operator (no tenant scope). */
export async function findOrderById(db: Queryable, id: string, lock = false): Promise<OrderRow | undefined> {
  const query = db.selectFrom('orders').select(COLUMNS).where('id', '=', id);
  return (await (lock ? query.forUpdate() : query).executeTakeFirst()) as OrderRow | undefined;
}

/**
 * An order with its events and transaction, in one query: the team's own (with `scope`), or any order by id
 * for callers that have already checked visibility.
 */
export async function findOrderView(db: Queryable, id: string, scope?: TeamScope): Promise<OrderViewRow | undefined> {
  let query = db.selectFrom('orders').select(COLUMNS).select(viewColumns).where('id', '=', id);
  if (scope) query = query.where('team_id', '=', scope.teamId).where('env', '=', scope.env);
  return (await query.executeTakeFirst()) as OrderViewRow | undefined;
}

export interface OrderListFilter {
  statuses?: string[];
  methods?: string[];
  userId?: string;
  orderIds?: string[];
  labAccountId?: string;
  transactionId?: string;
  start?: Date;
  end?: Date;
  updatedStart?: Date;
  updatedEnd?: Date;
  search?: string;
  patientName?: string;
  interpretation?: string;
  isCritical?: boolean;
  activation?: ('current' | 'scheduled')[];
  orderKey: 'created_at' | 'patient_name' | 'last_status';
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** A read that finds more per-backend parts of a team's count than this folds them (compactOrderCounts). */
export const ORDER_COUNT_PARTS_TO_FOLD = 64;

export async function listOrders(db: Queryable, scope: TeamScope, f: OrderListFilter): Promise<{ rows: OrderViewRow[]; total: number }> {
  const teamOrders = db.selectFrom('orders').where('team_id', '=', scope.teamId).where('env', '=', scope.env);
  let query = teamOrders;
  if (f.statuses?.length) query = query.where('status_low', 'in', f.statuses);
  if (f.methods?.length) query = query.where('collection_method', 'in', f.methods);
  if (f.userId) query = query.where('user_id', '=', f.userId);
  if (f.orderIds) query = f.orderIds.length ? query.where('id', 'in', f.orderIds) : query.where(sql<boolean>`false`);
  if (f.labAccountId) query = query.where('lab_account_id', '=', f.labAccountId);
  if (f.transactionId) query = query.where('order_transaction_id', '=', f.transactionId);
  if (f.start) query = query.where('created_at', '>=', f.start);
  if (f.end) query = query.where('created_at', '<=', f.end);
  if (f.updatedStart) query = query.where('updated_at', '>=', f.updatedStart);
  if (f.updatedEnd) query = query.where('updated_at', '<=', f.updatedEnd);
  if (f.interpretation) query = query.where('interpretation', '=', f.interpretation);
  if (f.isCritical !== undefined) {
    query = f.isCritical
      ? query.where('interpretation', '=', 'critical')
      : query.where((eb) => eb.or([eb('interpretation', 'is', null), eb('interpretation', '!=', 'critical')]));
  }
  if (f.patientName) query = query.where('patient_name', 'ilike', `%${escapeLike(f.patientName)}%`);
  if (f.search) {
    const term = f.search;
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(term);
    query = query.where((eb) =>
      eb.or([
        eb('patient_name', 'ilike', `%${escapeLike(term)}%`),
        eb('sample_id', '=', term.toUpperCase()),
        ...(isUuid ? [eb('id', '=', term), eb('user_id', '=', term)] : []),
        ...(/^\d{4}-\d{2}-\d{2}$/.test(term) ? [sql<boolean>`patient_details->>'dob' = ${term}`] : []),
      ]),
    );
  }
  if (f.activation?.length === 1) {
    query =
      f.activation[0] === 'scheduled'
        ? query.where('activate_by', '>', sql<string>`current_date`)
        : query.where((eb) => eb.or([eb('activate_by', 'is', null), eb('activate_by', '<=', sql<string>`current_date`)]));
  }
  // Kysely's builders are immutable, so any filter above made a new one. An unfiltered list's total is the
  // team's kept count (migration 0011) instead of a count of its rows.
  const filtered = query !== teamOrders;
  const counts = db.selectFrom('order_counts').where('team_id', '=', scope.teamId).where('env', '=', scope.env);
  const total = filtered
    ? query.select((eb) => eb.fn.countAll<string>().as('n'))
    : counts.select((eb) => eb.fn.coalesce(eb.fn.sum<string>('n'), sql<string>`0`).as('n'));
  // How many parts the kept count is read from; null when the rows are counted.
  const parts = filtered ? sql<string | null>`null` : counts.select((eb) => eb.fn.countAll<string>().as('parts'));
  const key = f.orderKey === 'patient_name' ? 'patient_name' : f.orderKey === 'last_status' ? 'status_low' : 'created_at';
  // The page and the total in one round trip: the inner query reads the page's ids from the list index, the
  // outer one adds the views of those rows only and the total as a scalar. Only a page past the end needs the
  // total on its own.
  const pageIds = query
    .select(['orders.id', 'orders.seq', sql.ref<string>(`orders.${key}`).as('sort_key')])
    .orderBy(key, f.direction)
    .orderBy('seq', f.direction)
    .offset(f.offset)
    .limit(f.limit);
  const page = await db
    .selectFrom(pageIds.as('page'))
    .innerJoin('orders', 'orders.id', 'page.id')
    .select(COLUMNS.map((c) => `orders.${c}` as const))
    .select(viewColumns)
    .select([total.as('total_count'), parts.as('count_parts')])
    .orderBy('page.sort_key', f.direction)
    .orderBy('page.seq', f.direction)
    .execute();
  if (page.length > 0) {
    if (Number(page[0].count_parts) > ORDER_COUNT_PARTS_TO_FOLD) await compactOrderCounts(db, scope);
    return {
      rows: page.map(({ total_count: _total, count_parts: _parts, ...row }) => row as unknown as OrderViewRow),
      total: Number(page[0].total_count),
    };
  }
  if (f.offset === 0) return { rows: [], total: 0 };
  return { rows: [], total: Number((await total.executeTakeFirstOrThrow()).n) };
}

/**
 * Folds the per-backend parts of a team's order count into its shard 0, in one statement (so every reader sees
 * either the parts or their sum). Parts locked by a transaction still writing are skipped, not waited for:
 * a compaction never blocks a placement, and cannot deadlock with one. Returns how many parts were folded.
 */
export async function compactOrderCounts(db: Queryable, scope: TeamScope): Promise<number> {
  const result = await sql<{ folded: string }>`
    with folded as (
      delete from order_counts where (team_id, env, shard) in (
        select team_id, env, shard from order_counts
        where team_id = ${scope.teamId}::uuid and env = ${scope.env}::text and shard <> 0 for update skip locked)
      returning n),
    kept as (
      insert into order_counts as c (team_id, env, shard, n)
        select ${scope.teamId}::uuid, ${scope.env}::text, 0, sum(n) from folded having count(*) > 0
        on conflict (team_id, env, shard) do update set n = c.n + excluded.n)
    select count(*) as folded from folded`.execute(db);
  return Number(result.rows[0].folded);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Appends an event and moves the order's current status (no transition check: callers decide legality). */
export async function writeEvent(
  db: Queryable,
  orderId: string,
  event: { status: string; top: string; low: string; detail?: string | null },
): Promise<void> {
  await db
    .insertInto('order_events')
    .values({ order_id: orderId, status: event.status, status_detail: event.detail ?? null })
    .execute();
  await db
    .updateTable('orders')
    .set({ status_top: event.top, status_low: event.low, updated_at: sql<Date>`now()` })
    .where('id', '=', orderId)
    .execute();
}

/** Keeps a transaction's status in line with its orders (all cancelled → cancelled; none in flight → completed). */
export async function refreshTransactionStatus(db: Queryable, transactionId: string): Promise<void> {
  const rows = await db.selectFrom('orders').select('status_top').where('order_transaction_id', '=', transactionId).execute();
  const tops = rows.map((r) => r.status_top);
  const status = tops.every((t) => t === 'cancelled')
    ? 'cancelled'
    : tops.some((t) => t !== 'completed' && t !== 'cancelled' && t !== 'failed')
      ? 'active'
      : 'completed';
  await db.updateTable('order_transactions').set({ status }).where('id', '=', transactionId).execute();
}
