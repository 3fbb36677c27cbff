// Queries for orders, their events and transactions. Reads are scoped to the calling team and environment.
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { OrdersTable } from '../../db/schema.js';

/** A stored order as read (jsonb columns parsed). */
export type OrderRow = Selectable<OrdersTable>;

export interface EventRow {
  id: string;
  order_id: string;
  created_at: Date;
  status: string;
  status_detail: string | null;
}

const COLUMNS = [
  'id', 'seq', 'org_id', 'team_id', 'env', 'region', 'user_id', 'lab_account_id', 'lab_account_resolution', 'lab', 'collection_method',
  'sample_id', 'status_top', 'status_low', 'lab_test', 'lab_tests', 'patient_details', 'patient_address', 'patient_name', 'physician',
  'billing_type', 'icd_codes', 'clinical_notes', 'priority', 'activate_by', 'passthrough', 'order_transaction_id', 'details_id', 'origin',
  'parent_id', 'interpretation', 'has_missing_results', 'created_at', 'updated_at',
] as const;

export interface TeamScope {
  teamId: string;
  env: string;
}

export async function findOrder(db: Queryable, scope: TeamScope, id: string, lock = false): Promise<OrderRow | undefined> {
  const query = db.selectFrom('orders').select(COLUMNS).where('id', '=', id).where('team_id', '=', scope.teamId).where('env', '=', scope.env);
  return (await (lock ? query.forUpdate() : query).executeTakeFirst()) as OrderRow | undefined;
}

/** Any order by id, for the operator (no tenant scope). */
export async function findOrderById(db: Queryable, id: string, lock = false): Promise<OrderRow | undefined> {
  const query = db.selectFrom('orders').select(COLUMNS).where('id', '=', id);
  return (await (lock ? query.forUpdate() : query).executeTakeFirst()) as OrderRow | undefined;
}

export async function findOrdersByIds(db: Queryable, ids: string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('orders').select(COLUMNS).where('id', 'in', ids).execute()) as OrderRow[];
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

export async function listOrders(db: Queryable, scope: TeamScope, f: OrderListFilter): Promise<{ rows: OrderRow[]; total: number }> {
  let query = db.selectFrom('orders').where('team_id', '=', scope.teamId).where('env', '=', scope.env);
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
    query = f.isCritical ? query.where('interpretation', '=', 'critical') : query.where((eb) => eb.or([eb('interpretation', 'is', null), eb('interpretation', '!=', 'critical')]));
  }
  if (f.patientName) query = query.where('patient_name', 'ilike', `%${escapeLike(f.patientName)}%`);
  if (f.search) {
    const term = f.search;
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(term);
    query = query.where((eb) => eb.or([
      eb('patient_name', 'ilike', `%${escapeLike(term)}%`),
      eb('sample_id', '=', term.toUpperCase()),
      ...(isUuid ? [eb('id', '=', term), eb('user_id', '=', term)] : []),
      ...(/^\d{4}-\d{2}-\d{2}$/.test(term) ? [sql<boolean>`patient_details->>'dob' = ${term}`] : []),
    ]));
  }
  if (f.activation?.length === 1) {
    query = f.activation[0] === 'scheduled'
      ? query.where('activate_by', '>', sql<string>`current_date`)
      : query.where((eb) => eb.or([eb('activate_by', 'is', null), eb('activate_by', '<=', sql<string>`current_date`)]));
  }
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const key = f.orderKey === 'patient_name' ? 'patient_name' : f.orderKey === 'last_status' ? 'status_low' : 'created_at';
  const rows = await query.select(COLUMNS).orderBy(key, f.direction).orderBy('seq', f.direction).offset(f.offset).limit(f.limit).execute();
  return { rows: rows as OrderRow[], total: Number(total.n) };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Events of several orders in one query, grouped by order, in order. */
export async function eventsOf(db: Queryable, orderIds: string[]): Promise<Map<string, EventRow[]>> {
  const byOrder = new Map<string, EventRow[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db.selectFrom('order_events').select(['id', 'order_id', 'created_at', 'status', 'status_detail'])
    .where('order_id', 'in', orderIds).orderBy('id', 'asc').execute();
  for (const row of rows) {
    const list = byOrder.get(row.order_id) ?? [];
    list.push(row as EventRow);
    byOrder.set(row.order_id, list);
  }
  return byOrder;
}

/** Transactions with their member orders, for several transaction ids. */
export async function transactionsOf(db: Queryable, transactionIds: string[]) {
  const map = new Map<string, { id: string; status: string; orders: { id: string; status_low: string; origin: string; parent_id: string | null; created_at: Date; updated_at: Date; last_event_at: Date | null }[] }>();
  if (transactionIds.length === 0) return map;
  const txs = await db.selectFrom('order_transactions').select(['id', 'status']).where('id', 'in', transactionIds).execute();
  for (const t of txs) map.set(t.id, { id: t.id, status: t.status, orders: [] });
  const members = await db.selectFrom('orders')
    .select(['orders.id', 'orders.order_transaction_id', 'orders.status_low', 'orders.origin', 'orders.parent_id', 'orders.created_at', 'orders.updated_at',
      (eb) => eb.selectFrom('order_events').select((e) => e.fn.max('order_events.created_at').as('at')).whereRef('order_events.order_id', '=', 'orders.id').as('last_event_at')])
    .where('orders.order_transaction_id', 'in', transactionIds).orderBy('orders.created_at', 'asc').execute();
  for (const m of members) {
    map.get(m.order_transaction_id)?.orders.push({
      id: m.id, status_low: m.status_low, origin: m.origin, parent_id: m.parent_id, created_at: m.created_at, updated_at: m.updated_at,
      last_event_at: (m.last_event_at as Date | null) ?? null,
    });
  }
  return map;
}

/** Appends an event and moves the order's current status (no transition check: callers decide legality). */
export async function writeEvent(db: Queryable, orderId: string, event: { status: string; top: string; low: string; detail?: string | null }): Promise<void> {
  await db.insertInto('order_events').values({ order_id: orderId, status: event.status, status_detail: event.detail ?? null }).execute();
  await db.updateTable('orders').set({ status_top: event.top, status_low: event.low, updated_at: sql<Date>`now()` }).where('id', '=', orderId).execute();
}

/** Keeps a transaction's status in line with its orders (all cancelled → cancelled; none in flight → completed). */
export async function refreshTransactionStatus(db: Queryable, transactionId: string): Promise<void> {
  const rows = await db.selectFrom('orders').select('status_top').where('order_transaction_id', '=', transactionId).execute();
  const tops = rows.map((r) => r.status_top);
  const status = tops.every((t) => t === 'cancelled') ? 'cancelled'
    : tops.some((t) => t !== 'completed' && t !== 'cancelled' && t !== 'failed') ? 'active' : 'completed';
  await db.updateTable('order_transactions').set({ status }).where('id', '=', transactionId).execute();
}
