// Queries for result deliveries, the unmatched-results queue, the order fields results need and the sandbox
// simulation's stored steps. Every function takes the handle it runs on (root or transaction) from the use case.
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { Cell } from '../../domain/enums.js';
import type { StatusChange } from '../../domain/result-statuses.js';
import { fullStatus } from '../../domain/result-statuses.js';

export async function findDeliveryByReport(
  db: Queryable,
  key: { env: string; region: string; lab: string; providerAccountId: string; reportId: string },
) {
  return db
    .selectFrom('result_deliveries')
    .select(['id', 'order_id', 'unmatched_result_id', 'outcome'])
    .where('env', '=', key.env)
    .where('region', '=', key.region)
    .where('lab', '=', key.lab)
    .where('provider_account_id', '=', key.providerAccountId)
    .where('report_id', '=', key.reportId)
    .executeTakeFirst();
}

export async function findAccountByNumber(db: Queryable, cell: Cell, lab: string, providerAccountId: string) {
  return db
    .selectFrom('lab_accounts')
    .select(['id', 'org_id', 'provider_account_id', 'account_name'])
    .where('env', '=', cell.env)
    .where('region', '=', cell.region)
    .where('lab', '=', lab)
    .where('provider_account_id', '=', providerAccountId)
    .executeTakeFirst();
}

const ORDER_FIELDS = [
  'orders.id',
  'orders.org_id',
  'orders.team_id',
  'orders.env',
  'orders.region',
  'orders.user_id',
  'orders.lab',
  'orders.lab_account_id',
  'orders.collection_method',
  'orders.sample_id',
  'orders.status_top',
  'orders.status_low',
  'orders.interpretation',
] as const;

/** The order a delivery quotes, in the delivery's cell: by id first, else by sample id. */
export async function findQuotedOrder(db: Queryable, cell: Cell, quote: { orderId?: string | null; sampleId?: string | null }) {
  let query = db.selectFrom('orders').select(ORDER_FIELDS).where('orders.env', '=', cell.env).where('orders.region', '=', cell.region);
  if (quote.orderId) query = query.where('orders.id', '=', quote.orderId);
  else if (quote.sampleId) query = query.where('orders.sample_id', '=', quote.sampleId);
  else return undefined;
  const order = await query.executeTakeFirst();
  // Both quoted but naming different orders: trust neither.
  if (order && quote.orderId && quote.sampleId && order.sample_id !== quote.sampleId) return undefined;
  return order;
}

/** Locks the order row for a status change (FOR UPDATE on PostgreSQL; PGlite runs one transaction at a time). */
export async function lockOrder(db: Queryable, orderId: string) {
  return db.selectFrom('orders').select(ORDER_FIELDS).where('orders.id', '=', orderId).forUpdate().executeTakeFirst();
}

/** An order visible to a team key: same team and env. */
export async function findTeamOrder(db: Queryable, scope: { teamId: string; env: string }, orderId: string) {
  return db
    .selectFrom('orders')
    .innerJoin('lab_accounts', 'lab_accounts.id', 'orders.lab_account_id')
    .select([
      ...ORDER_FIELDS,
      'orders.patient_details',
      'orders.patient_address',
      'orders.physician',
      'orders.lab_test',
      'orders.lab_tests',
      'orders.billing_type',
      'orders.icd_codes',
      'orders.clinical_notes',
      'orders.created_at',
      'lab_accounts.provider_account_id',
      'lab_accounts.account_name',
      'lab_accounts.delegated_flow',
      'lab_accounts.default_clinical_notes',
    ])
    .where('orders.id', '=', orderId)
    .where('orders.team_id', '=', scope.teamId)
    .where('orders.env', '=', scope.env)
    .executeTakeFirst();
}

export async function insertDelivery(
  db: Queryable,
  row: {
    id: string;
    env: string;
    region: string;
    lab: string;
    providerAccountId: string;
    reportId: string | null;
    labAccountId: string | null;
    quotedOrderId: string | null;
    quotedSampleId: string | null;
    status: 'final' | 'partial';
    interpretation: string | null;
    results: unknown[];
    orderId: string | null;
    unmatchedResultId: string | null;
    outcome: 'matched' | 'corrected' | 'unmatched';
  },
): Promise<void> {
  await db
    .insertInto('result_deliveries')
    .values({
      id: row.id,
      env: row.env,
      region: row.region,
      lab: row.lab,
      provider_account_id: row.providerAccountId,
      report_id: row.reportId,
      lab_account_id: row.labAccountId,
      quoted_order_id: row.quotedOrderId,
      quoted_sample_id: row.quotedSampleId,
      status: row.status,
      interpretation: row.interpretation,
      results: JSON.stringify(row.results),
      order_id: row.orderId,
      unmatched_result_id: row.unmatchedResultId,
      outcome: row.outcome,
    })
    .execute();
}

export async function insertUnmatched(
  db: Queryable,
  row: {
    id: string;
    deliveryId: string;
    env: string;
    region: string;
    lab: string;
    status: string;
    decisionCode: string;
    subReasonCodes: string[];
    reason: string;
    visibleTeamId: string | null;
    visibleLabAccountId: string | null;
    quotedOrderId: string | null;
  },
): Promise<void> {
  await db
    .insertInto('unmatched_results')
    .values({
      id: row.id,
      delivery_id: row.deliveryId,
      env: row.env,
      region: row.region,
      lab: row.lab,
      status: row.status,
      decision_code: row.decisionCode,
      sub_reason_codes: JSON.stringify(row.subReasonCodes),
      reason: row.reason,
      visible_team_id: row.visibleTeamId,
      visible_lab_account_id: row.visibleLabAccountId,
      quoted_order_id: row.quotedOrderId,
    })
    .execute();
}

/** Attaches an unmatched delivery to the order a reviewer chose. */
export async function attachDelivery(
  db: Queryable,
  deliveryId: string,
  attach: { orderId: string; outcome: 'matched' | 'corrected' },
): Promise<void> {
  await db
    .updateTable('result_deliveries')
    .set({ order_id: attach.orderId, outcome: attach.outcome })
    .where('id', '=', deliveryId)
    .execute();
}

/** Appends the event a delivery produces and moves the order's current status and interpretation. */
export async function applyResultStatus(
  db: Queryable,
  order: { id: string; collection_method: string },
  change: StatusChange | null,
  interpretation: string | null,
): Promise<void> {
  if (change) {
    await db
      .insertInto('order_events')
      .values({ order_id: order.id, status: fullStatus(change.top, order.collection_method, change.low) })
      .execute();
  }
  await db
    .updateTable('orders')
    .set({
      ...(change ? { status_top: change.top, status_low: change.low } : {}),
      ...(interpretation ? { interpretation } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', order.id)
    .execute();
}

/** Deliveries attached to an order, oldest first. */
export async function attachedDeliveries(db: Queryable, orderId: string) {
  return db
    .selectFrom('result_deliveries')
    .select(['id', 'status', 'interpretation', 'results', 'created_at', 'outcome'])
    .where('order_id', '=', orderId)
    .orderBy('seq', 'asc')
    .execute();
}

const UNMATCHED_FIELDS = [
  'unmatched_results.id',
  'unmatched_results.seq',
  'unmatched_results.env',
  'unmatched_results.region',
  'unmatched_results.lab',
  'unmatched_results.status',
  'unmatched_results.decision_code',
  'unmatched_results.sub_reason_codes',
  'unmatched_results.reason',
  'unmatched_results.visible_team_id',
  'unmatched_results.visible_lab_account_id',
  'unmatched_results.quoted_order_id',
  'unmatched_results.resolution_action',
  'unmatched_results.resolved_user_id',
  'unmatched_results.resolved_order_id',
  'unmatched_results.note',
  'unmatched_results.created_at',
  'unmatched_results.updated_at',
  'unmatched_results.delivery_id',
  'result_deliveries.status as result_status',
  'result_deliveries.interpretation',
  'result_deliveries.results',
  'result_deliveries.provider_account_id',
  'result_deliveries.lab_account_id',
] as const;

export type UnmatchedRow = Awaited<ReturnType<typeof findUnmatchedForTeam>>;

function unmatchedBase(db: Queryable) {
  return db.selectFrom('unmatched_results').innerJoin('result_deliveries', 'result_deliveries.id', 'unmatched_results.delivery_id');
}

/**
 * Unmatched results a team may see (SPEC.md §4): those naming the team itself, else those whose delivery came
 * under an account linked to the team — in the team's cell.
 */
function teamVisibleUnmatched(db: Queryable, scope: { teamId: string; env: string; region: string }) {
  return unmatchedBase(db)
    .select(UNMATCHED_FIELDS)
    .where('unmatched_results.env', '=', scope.env)
    .where('unmatched_results.region', '=', scope.region)
    .where((eb) =>
      eb.or([
        eb('unmatched_results.visible_team_id', '=', scope.teamId),
        eb.and([
          eb('unmatched_results.visible_team_id', 'is', null),
          eb(
            'unmatched_results.visible_lab_account_id',
            'in',
            eb
              .selectFrom('lab_account_links')
              .select('lab_account_links.lab_account_id')
              .where('lab_account_links.team_id', '=', scope.teamId),
          ),
        ]),
      ]),
    );
}

export async function findUnmatchedForTeam(db: Queryable, scope: { teamId: string; env: string; region: string }, id: string) {
  return teamVisibleUnmatched(db, scope).where('unmatched_results.id', '=', id).executeTakeFirst();
}

/** Narrows a team's unmatched results (Junction's List Unmatched Results filters); every field is optional. */
export interface UnmatchedFilter {
  decisionCode?: string;
  lab?: string;
  status?: string;
  /** Created at or after this instant. */
  createdFrom?: Date;
  /** Created strictly before this instant. */
  createdBefore?: Date;
  /** Equal to the delivery's quoted sample id, its account number, or the quoted order id. */
  search?: string;
}

function filteredTeamUnmatched(db: Queryable, scope: { teamId: string; env: string; region: string }, filter: UnmatchedFilter) {
  let query = teamVisibleUnmatched(db, scope);
  if (filter.decisionCode) query = query.where('unmatched_results.decision_code', '=', filter.decisionCode);
  if (filter.lab) query = query.where('unmatched_results.lab', '=', filter.lab);
  if (filter.status) query = query.where('unmatched_results.status', '=', filter.status);
  if (filter.createdFrom) query = query.where('unmatched_results.created_at', '>=', filter.createdFrom);
  if (filter.createdBefore) query = query.where('unmatched_results.created_at', '<', filter.createdBefore);
  if (filter.search) {
    const term = filter.search;
    query = query.where((eb) =>
      eb.or([
        eb('result_deliveries.quoted_sample_id', '=', term),
        eb('result_deliveries.provider_account_id', '=', term),
        eb(eb.cast('unmatched_results.quoted_order_id', 'text'), '=', term),
      ]),
    );
  }
  return query;
}

/** How many of a team's unmatched results match `filter`. */
export async function countTeamUnmatched(
  db: Queryable,
  scope: { teamId: string; env: string; region: string },
  filter: UnmatchedFilter,
): Promise<number> {
  const row = await filteredTeamUnmatched(db, scope, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A team's unmatched results matching `filter`, newest first, below `beforeSeq` when given; at most `limit`. */
export async function listTeamUnmatched(
  db: Queryable,
  scope: { teamId: string; env: string; region: string },
  filter: UnmatchedFilter,
  page: { beforeSeq?: string; limit: number },
) {
  const query = filteredTeamUnmatched(db, scope, filter);
  return (page.beforeSeq !== undefined ? query.where('unmatched_results.seq', '<', page.beforeSeq) : query)
    .orderBy('unmatched_results.seq', 'desc')
    .limit(page.limit)
    .execute();
}

/** Unmatched results no team can see: neither a team nor an account with linked teams names them. */
function operatorOnlyUnmatched(db: Queryable) {
  return unmatchedBase(db)
    .select(UNMATCHED_FIELDS)
    .where('unmatched_results.visible_team_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb('unmatched_results.visible_lab_account_id', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('lab_account_links')
              .select('lab_account_links.team_id')
              .whereRef('lab_account_links.lab_account_id', '=', 'unmatched_results.visible_lab_account_id'),
          ),
        ),
      ]),
    );
}

/** The newest `limit` unmatched results that no team can see. */
export async function listOperatorOnlyUnmatched(db: Queryable, limit: number) {
  return operatorOnlyUnmatched(db).orderBy('unmatched_results.seq', 'desc').limit(limit).execute();
}

export async function resolveUnmatched(
  db: Queryable,
  id: string,
  values: {
    status: string;
    resolutionAction: string;
    note: string | null;
    resolvedOrderId?: string | null;
    resolvedUserId?: string | null;
  },
): Promise<void> {
  await db
    .updateTable('unmatched_results')
    .set({
      status: values.status,
      resolution_action: values.resolutionAction,
      note: values.note,
      resolved_order_id: values.resolvedOrderId ?? null,
      resolved_user_id: values.resolvedUserId ?? null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** The provider account number (the lab's own id) of a lab account. */
export async function accountNumberOf(db: Queryable, labAccountId: string): Promise<string> {
  const row = await db.selectFrom('lab_accounts').select('provider_account_id').where('id', '=', labAccountId).executeTakeFirstOrThrow();
  return row.provider_account_id;
}

/** Flags an order whose final report leaves markers out (a sandbox simulation with has_missing_results). */
export async function markMissingResults(db: Queryable, orderId: string): Promise<void> {
  await db.updateTable('orders').set({ has_missing_results: true }).where('id', '=', orderId).execute();
}

/** Stores a simulated walk's steps, numbered in order, each with the time it is due. */
export async function insertSimulationSteps(db: Queryable, orderId: string, steps: { action: unknown; dueAt: Date }[]): Promise<void> {
  await db
    .insertInto('simulation_steps')
    .values(steps.map((step, i) => ({ order_id: orderId, step: i, action: JSON.stringify(step.action), due_at: step.dueAt })))
    .execute();
}

/** The first due step not done, locked FOR UPDATE SKIP LOCKED (another instance may hold the next one). */
export async function lockDueSimulationStep(tx: Queryable) {
  return tx
    .selectFrom('simulation_steps')
    .select(['id', 'order_id', 'action'])
    .where('done_at', 'is', null)
    .where('due_at', '<=', sql<Date>`now()`)
    .orderBy('order_id')
    .orderBy('step')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Whether an earlier step of the same order is still pending (not yet due, or locked elsewhere). */
export async function hasEarlierPendingStep(tx: Queryable, step: { id: string; order_id: string }): Promise<boolean> {
  const earlier = await tx
    .selectFrom('simulation_steps')
    .select('id')
    .where('order_id', '=', step.order_id)
    .where('done_at', 'is', null)
    .where('id', '<', step.id)
    .executeTakeFirst();
  return earlier !== undefined;
}

/** Marks a claimed step done, in the transaction that claimed it. */
export async function markSimulationStepDone(tx: Queryable, stepId: string): Promise<void> {
  await tx.updateTable('simulation_steps').set({ done_at: sql<Date>`now()` }).where('id', '=', stepId).execute();
}

/** Production orders still `ordered` whose activate_by day has come, at most `limit`. */
export async function dueScheduledOrderIds(db: Queryable, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .select('id')
    .where('env', '=', 'production')
    .where('status_low', '=', 'ordered')
    .where('activate_by', '<=', sql<string>`current_date`)
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
