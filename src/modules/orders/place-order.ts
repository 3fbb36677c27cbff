// POST /v3/order and its dry run: checks the request, resolves the lab account (SPEC.md §3) and — unless
// it is a dry run — stores the order with its first events, all in one transaction that holds the team's cell
// accounts locked FOR SHARE so an unlink or suspension cannot interleave with the commit. Placements that
// arrive together share that transaction (grouped-transactions.ts): one context read, one write and one
// COMMIT for the group, each order decided and answered on its own.
import { randomUUID } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Config } from '../../config.js';
import type { DB, Tx } from '../../db/database.js';
import { type Decision, TransactionGroups } from '../../db/grouped-transactions.js';
import { type Placeholders, precompiled } from '../../db/precompiled-query.js';
import type { OrdersTable, OrderTransactionsTable } from '../../db/schema.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import {
  type Candidate,
  type CandidateAccount,
  type OrderFacts,
  type Resolution,
  resolveLabAccount,
} from '../../domain/lab-account-resolution.js';
import { insuranceRule, minorRule, newSampleId, selectLabAndMethod } from '../../domain/order-rules.js';
import { statusString } from '../../domain/order-status.js';
import { overloadedError } from '../../http/pool-shedding.js';
import { RequestValidationError } from '../../http/request-validation.js';
import { auditRow } from '../audit/audit.repository.js';
import { actorOf, type TeamPrincipal } from '../auth/principal.js';
import { labAccountCache } from '../lab-accounts/lab-account-cache.js';
import { type LabAccountRecord, toClientFacing } from '../lab-accounts/lab-accounts.repository.js';
import type { ClientFacingLabAccount } from '../lab-accounts/lab-accounts.schemas.js';
import {
  accountsForLab,
  cachedTeamCell,
  findTeamVisibleAccount,
  type TeamCellAccounts,
  teamCellFromDb,
} from '../lab-accounts/team-visibility.js';
import { findLabTests, type LabTestRow, toClientFacingLabTest } from '../lab-tests/lab-tests.repository.js';
import type { ClientFacingLabTest } from '../lab-tests/lab-tests.schemas.js';
import { cellMatches, type OrderContext, readOrderContexts } from './order-context.js';
import type { OrderEvents } from './order-events.js';
import { toClientFacingOrder } from './order-view.js';
import type { EventRow, OrderRow } from './orders.repository.js';
import { type ClientFacingOrder, type CreateOrderRequest, US_ZIP_PATTERN } from './orders.schemas.js';

export interface PlaceOrderOptions {
  db: DB;
  principal: TeamPrincipal;
  body: CreateOrderRequest;
  config: Config;
  /** Where a placed order is announced (labtest.order.created), in its transaction. */
  orderEvents: OrderEvents;
  /** The clock's "today" (YYYY-MM-DD) for minors and scheduled orders; tests may fix it. */
  today?: string;
  /** Runs inside the order's transaction just before it commits (the idempotency record is written there). */
  beforeCommit?: (tx: Tx, order: ClientFacingOrder) => Promise<void>;
}

export interface ResolvedAccount {
  account: ClientFacingLabAccount;
  resolution: Resolution;
  candidates: Candidate[];
}

/** Checks that zod cannot express because they depend on the cell: US zip codes. */
function assertCellRules(options: PlaceOrderOptions): void {
  const zip = options.body.patient_address.zip;
  if (options.principal.region === 'us' && !US_ZIP_PATTERN.test(zip)) {
    const pattern = US_ZIP_PATTERN.source;
    throw new RequestValidationError([
      {
        type: 'string_pattern_mismatch',
        loc: ['body', 'patient_address', 'zip'],
        msg: `String should match pattern '${pattern}'`,
        ctx: { pattern },
      },
    ]);
  }
}

function testsOf(body: CreateOrderRequest): string[] {
  const ids = body.order_set?.lab_test_ids ?? (body.lab_test_id ? [body.lab_test_id] : []);
  return [...new Set(ids)];
}

/** The tests and add-on markers of the order, or the test-selection error (reference §3.5 messages). */
async function loadSelection(tx: Tx, options: PlaceOrderOptions, tests: LabTestRow[]) {
  const { body, principal } = options;
  const addOn = body.order_set?.add_on ?? null;
  if (addOn) {
    if (!body.collection_method) throw new AppError('add_on_invalid', 'collection_method must be set if add_on is set');
    const hasIds = (addOn.marker_ids?.length ?? 0) > 0;
    const hasProviders = (addOn.provider_ids?.length ?? 0) > 0;
    if (!hasIds && !hasProviders) throw new AppError('add_on_invalid', 'marker_ids or provider_ids must be set in add_on');
    if (hasIds && hasProviders) throw new AppError('add_on_invalid', 'cannot set both marker_ids and provider_ids in add_on');
  }
  const ids = testsOf(body);
  const missing = ids.filter((id) => !tests.some((t) => t.id === id));
  if (missing.length > 0) throw new AppError('lab_test_not_found', `Lab test ${missing[0]} not found`, { lab_test_ids: missing });
  const inactive = tests.filter((t) => t.status !== 'active');
  if (inactive.length > 0) throw new AppError('bad_request', `Lab test ${inactive[0].id} is not active`);
  let addOnTests: LabTestRow[] = [];
  let addOnMarkers: ClientFacingLabTest['markers'] = [];
  if (addOn) {
    const markerIds = addOn.marker_ids ?? undefined;
    const providerIds = addOn.provider_ids ?? undefined;
    addOnTests = await findLabTests(tx, principal, { markerIds, providerIds, statuses: ['active'] });
    const all = addOnTests.flatMap((t) => t.markers.map((m) => ({ ...m, lab: t.lab })));
    const wanted = markerIds ?? providerIds ?? [];
    const found = wanted.map((w) => all.find((m) => (markerIds ? m.id === w : m.provider_id === w)));
    const absent = wanted.filter((_, i) => !found[i]);
    if (absent.length > 0)
      throw new AppError('lab_test_not_found', `Marker ${String(absent[0])} not found in this environment's catalogue`);
    addOnMarkers = found.map((m) => {
      const { lab: _lab, ...marker } = m!;
      return marker;
    });
  }
  const selection = selectLabAndMethod(
    tests.map((t) => ({ id: t.id, lab: t.lab, method: t.method, name: t.name, slug: t.slug })),
    addOnTests.map((t) => t.lab),
    body.collection_method,
  );
  if (!selection.ok) throw new AppError(selection.code, selection.message);
  return { tests, addOnMarkers, lab: selection.lab, method: selection.method as CollectionMethod };
}

/**
 * The order's lab_test: its single test (the same object as `views[0]`), or a composite named after every
 * test with all their markers.
 */
function compositeTest(
  tests: LabTestRow[],
  views: ClientFacingLabTest[],
  addOnMarkers: NonNullable<ClientFacingLabTest['markers']>,
  lab: string,
  method: string,
): ClientFacingLabTest {
  if (views.length === 1 && addOnMarkers.length === 0) return views[0];
  const markers = [...views.flatMap((v) => v.markers ?? []), ...addOnMarkers];
  const names = [...views.map((v) => v.name), ...addOnMarkers.map((m) => m.name)];
  const template = views[0];
  return {
    id: randomUUID(),
    slug: [...views.map((v) => v.slug), ...addOnMarkers.map((m) => m.slug)].join('+'),
    name: names.join(' + '),
    sample_type: template?.sample_type ?? 'serum',
    method: method as ClientFacingLabTest['method'],
    price: views.reduce((sum, v) => sum + v.price, 0),
    is_active: true,
    status: 'active',
    fasting: views.some((v) => v.fasting),
    lab: template?.lab ?? toClientFacingLabTest({ ...tests[0], lab } as LabTestRow).lab,
    markers,
    is_delegated: false,
    auto_generated: false,
    has_collection_instructions: null,
    common_tat_days: null,
    worst_case_tat_days: null,
  };
}

const asCandidate = (a: LabAccountRecord): CandidateAccount => ({
  id: a.id,
  org_id: a.org_id,
  lab: a.lab,
  status: a.status,
  delegated_flow: a.delegated_flow,
  account_name: a.account_name,
  allowed_billing: a.allowed_billing,
});

/**
 * Resolves the account (SPEC.md §3) over the accounts of the team's cell. Placement passes the cached cell
 * when it matches the rows `readOrderContext` locked FOR SHARE, else the locked rows themselves: either way a
 * concurrent PATCH (FOR UPDATE) has committed before — and is seen — or waits for this transaction.
 */
function resolveAccount(options: PlaceOrderOptions, cell: TeamCellAccounts, lab: string): ResolvedAccount {
  const { body, principal } = options;
  const top = body.lab_account_id ?? null;
  const inSet = body.order_set?.lab_account_id ?? null;
  if (top && inSet && top !== inSet) {
    throw new AppError('lab_account_conflict', 'order_set.lab_account_id and lab_account_id name different lab accounts');
  }
  const explicitId = top ?? inSet;
  const facts: OrderFacts = {
    lab,
    billingType: body.billing_type ?? 'client_bill',
    state: body.patient_address.state.toUpperCase(),
    region: principal.region,
    hasPhysician: Boolean(body.physician),
  };
  if (explicitId) {
    const visible = findTeamVisibleAccount(cell, principal, explicitId);
    if (!visible) throw new AppError('lab_account_not_found', 'Lab account not found');
    return settle(resolveLabAccount({ explicit: asCandidate(visible), linked: [], platform: null, facts }), [visible]);
  }
  const { linked, platform } = accountsForLab(cell, principal, lab);
  const outcome = resolveLabAccount({
    explicit: null,
    linked: linked.map(asCandidate),
    platform: platform ? asCandidate(platform) : null,
    facts,
  });
  return settle(outcome, [...linked, ...(platform ? [platform] : [])]);
}

/** The chosen account, or the resolution's error with its candidates (SPEC.md §3). */
function settle(outcome: ReturnType<typeof resolveLabAccount>, accounts: readonly LabAccountRecord[]): ResolvedAccount {
  if (!outcome.ok) {
    throw new AppError(
      outcome.code,
      outcome.message,
      outcome.candidates && outcome.candidates.length > 0 ? { candidates: outcome.candidates } : {},
    );
  }
  const chosen = accounts.find((a) => a.id === outcome.account.id)!;
  return { account: toClientFacing(chosen), resolution: outcome.resolution, candidates: outcome.candidates };
}

/** Rules checked after the account: minors and insurance (SPEC.md §3 "Other order rules"). */
function assertPatientRules(options: PlaceOrderOptions, today: string, settings: { minor_ordering_enabled?: boolean | null } | null): void {
  const { body } = options;
  const minor = minorRule({
    dob: body.patient_details.dob,
    today,
    minorOrderingEnabled: Boolean(settings?.minor_ordering_enabled),
    hasMedicalProxy: Boolean(body.patient_details.medical_proxy),
  });
  if (minor) throw new AppError(minor.code, minor.message);
  const insurance = insuranceRule(body.billing_type ?? 'client_bill', body.icd_codes);
  if (insurance) throw new AppError(insurance.code, insurance.message);
}

/** A placement waiting for its group: the request, the cached cell it resolves against, and "today". */
interface Placement {
  options: PlaceOrderOptions;
  cached: TeamCellAccounts;
  today: string;
}

/** What placement decided before writing: the tests, the account, the patient. */
interface Decided {
  selection: Awaited<ReturnType<typeof loadSelection>>;
  resolved: ResolvedAccount;
  user: { id: string; clientUserId: string | null };
  hasWebhookEndpoints: boolean;
}

async function decide(tx: Tx, { options, cached, today }: Placement, context: OrderContext): Promise<Decided> {
  const { principal } = options;
  if (!context.user) throw new AppError('user_not_found', 'User not found');
  const selection = await loadSelection(tx, options, context.tests);
  let cell = cached;
  if (!cellMatches(cached, context.accountVersions)) {
    // The cache is behind a committed change (another instance's, not yet notified): use the locked rows.
    labAccountCache(options.db).invalidate(principal.orgId);
    labAccountCache(options.db).invalidate(null);
    cell = await teamCellFromDb(tx, principal);
  }
  const resolved = resolveAccount(options, cell, selection.lab);
  assertPatientRules(options, today, context.settings);
  return { selection, resolved, user: context.user, hasWebhookEndpoints: context.hasWebhookEndpoints };
}

/** Reads the contexts of all placements in one statement, then decides each; domain errors reject one alone. */
async function decideAll(tx: Tx, placements: Placement[]): Promise<Decision<Decided>[]> {
  const contexts = await readOrderContexts(
    tx,
    placements.map(({ options }) => ({
      principal: options.principal,
      userId: options.body.user_id,
      testIds: testsOf(options.body),
    })),
  );
  const decisions: Decision<Decided>[] = [];
  for (const [i, placement] of placements.entries()) {
    try {
      decisions.push({ ok: true, decided: await decide(tx, placement, contexts[i]) });
    } catch (error) {
      if (!(error instanceof AppError || error instanceof RequestValidationError)) throw error;
      decisions.push({ ok: false, error });
    }
  }
  return decisions;
}

const todayUtc = (): string => new Date().toISOString().slice(0, 10);

async function placementOf(options: PlaceOrderOptions): Promise<Placement> {
  assertCellRules(options);
  return { options, cached: await cachedTeamCell(options.db, options.principal), today: options.today ?? todayUtc() };
}

/** Dry run of placement: the account that would be used and why, or the error placement would give. */
export async function resolveOrderLabAccount(options: PlaceOrderOptions): Promise<ResolvedAccount> {
  const placement = await placementOf(options);
  // The same reads and locks as placement, in a transaction that writes nothing.
  return options.db.transaction().execute(async (tx) => {
    const [decision] = await decideAll(tx, [placement]);
    if (!decision.ok) throw decision.error;
    return decision.decided.resolved;
  });
}

/** The rows one placement writes, and the order as the response shows it before the database fills in times. */
function rowsOf({ options, today }: Placement, decided: Decided) {
  const { body, principal } = options;
  const { selection, resolved, user } = decided;
  const { tests, addOnMarkers, lab, method } = selection;
  const orderId = randomUUID();
  const transactionId = randomUUID();
  const details = body.patient_details;
  const scheduled = Boolean(body.activate_by && body.activate_by > today);
  const testViews = tests.map(toClientFacingLabTest);
  const labTest = compositeTest(tests, testViews, addOnMarkers ?? [], lab, method);
  // Production orders get their requisition at once, or on activate_by; sandbox orders wait for simulation.
  const lowStatuses = principal.env === 'production' && !scheduled ? (['ordered', 'requisition_created'] as const) : (['ordered'] as const);
  const values = {
    id: orderId,
    org_id: principal.orgId,
    team_id: principal.teamId,
    env: principal.env,
    region: principal.region,
    user_id: user.id,
    lab_account_id: resolved.account.id,
    lab_account_resolution: resolved.resolution,
    lab,
    collection_method: method,
    sample_id: newSampleId(),
    status_top: 'received',
    status_low: lowStatuses[lowStatuses.length - 1] as string,
    lab_test: labTest as unknown as Record<string, unknown>,
    lab_tests: testViews as unknown as Record<string, unknown>[],
    patient_details: details as unknown as Record<string, unknown>,
    patient_address: { receiver_name: '', ...body.patient_address } as Record<string, unknown>,
    patient_name: `${details.first_name} ${details.last_name}`,
    physician: (body.physician ?? null) as Record<string, unknown> | null,
    billing_type: body.billing_type ?? 'client_bill',
    icd_codes: body.icd_codes ?? null,
    clinical_notes: body.clinical_notes ?? null,
    priority: body.priority ?? false,
    activate_by: body.activate_by ?? null,
    passthrough: body.passthrough ?? null,
    consents: (body.consents ?? null) as unknown[] | null,
    aoe_answers: (body.aoe_answers ?? null) as unknown[] | null,
    order_transaction_id: transactionId,
    details_id: randomUUID(),
    origin: 'initial',
    parent_id: null,
    interpretation: null,
    has_missing_results: null,
  };
  const write: OrderWrite = {
    transaction: { id: transactionId, team_id: principal.teamId, status: 'active' },
    order: {
      ...values,
      // An order of one test stores it once: its lab_tests is [lab_test] (migration 0009).
      lab_test: JSON.stringify(values.lab_test),
      lab_tests: labTest === testViews[0] ? null : JSON.stringify(values.lab_tests),
      patient_details: JSON.stringify(values.patient_details),
      patient_address: JSON.stringify(values.patient_address),
      physician: JSON.stringify(values.physician),
      icd_codes: JSON.stringify(values.icd_codes),
      consents: JSON.stringify(values.consents),
      aoe_answers: JSON.stringify(values.aoe_answers),
    },
    events: lowStatuses.map((low) => statusString(method, low)),
    audit: auditRow({
      orgId: principal.orgId,
      subjectType: 'order',
      subjectId: orderId,
      actor: actorOf(principal),
      action: 'order.created',
      before: null,
      after: { lab_account_id: resolved.account.id, lab_account_resolution: resolved.resolution, lab, collection_method: method },
    }),
  };
  return { values, write };
}

interface OrderWrite {
  transaction: Insertable<OrderTransactionsTable>;
  order: Insertable<OrdersTable>;
  /** The statuses of the order's first events, oldest first. */
  events: string[];
  audit: ReturnType<typeof auditRow>;
}

interface WrittenOrder {
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
const writeOrders = precompiled(
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

async function writeAll(tx: Tx, decided: { input: Placement; decided: Decided }[]): Promise<ClientFacingOrder[]> {
  const rows = decided.map(({ input, decided: d }) => rowsOf(input, d));
  const values: Record<string, unknown> = {
    eventOrderIds: rows.flatMap(({ write }) => write.events.map(() => write.order.id)),
    eventStatuses: rows.flatMap(({ write }) => write.events),
  };
  rows.forEach(({ write }, i) => {
    values[`transaction${i}`] = write.transaction;
    values[`order${i}`] = write.order;
    values[`audit${i}`] = write.audit;
  });
  // With nothing to write after the orders (no webhook event, no idempotency record), COMMIT goes with them:
  // one round trip fewer per group on PostgreSQL (prepared-client.ts).
  const last = decided.every(({ input, decided: d }) => !d.hasWebhookEndpoints && !input.options.beforeCommit);
  const stored = (await writeOrders(tx, rows.length, values, { thenCommit: last })) as unknown as WrittenOrder[];
  const orders: ClientFacingOrder[] = [];
  for (const [i, { values: row0 }] of rows.entries()) {
    const {
      input: { options },
      decided: { user, hasWebhookEndpoints },
    } = decided[i];
    const { principal } = options;
    const written = stored.find((w) => w.id === row0.id);
    if (!written) throw new Error(`order ${row0.id} was not written`);
    const events = written.events;
    // The response is built from what was just written: nothing needs reading back.
    const row: OrderRow = { ...row0, seq: written.seq, created_at: written.created_at, updated_at: written.updated_at };
    const lastEventAt = events[events.length - 1].created_at;
    const order = toClientFacingOrder(row, events, {
      id: row.order_transaction_id,
      status: 'active',
      orders: [
        {
          id: row.id,
          status_low: row.status_low,
          origin: row.origin,
          parent_id: null,
          created_at: written.created_at,
          updated_at: written.updated_at,
          last_event_at: lastEventAt,
        },
      ],
    });
    if (hasWebhookEndpoints) {
      await options.orderEvents.publish(tx, {
        eventType: 'labtest.order.created',
        orderId: row.id,
        written: { order, orgId: principal.orgId, env: principal.env, clientUserId: user.clientUserId },
      });
    }
    await options.beforeCommit?.(tx, order);
    orders.push(order);
  }
  return orders;
}

// Concurrent placements share transactions (grouped-transactions.ts); one set of groups per database handle.
// Two groups in flight: interleaved runs of `POST /v3/order` on PostgreSQL (ten clients, 2026-12-03) gave
// medians of ~1,000 orders/s with two against ~920 with three, ~820 with one and ~680 without grouping (and
// with groups started after the event loop's turn, two again beat one and three). On PGlite, whose one
// connection runs a transaction at a time, grouping changed nothing measurable. Sixteen orders bound the
// statements' size and the time the cells stay locked. Placements waiting for a group do not wait for a pool
// connection, so the pool's load shedding does not see them: beyond four full groups waiting (a stalled
// database), a new placement is answered 503 `overloaded` at once, as the pool's shedding would.
const PLACEMENT_GROUPS = { concurrency: 2, maxSize: 16, maxQueued: 64, overloaded: overloadedError };
const groupsByDb = new WeakMap<DB, TransactionGroups<Placement, Decided, ClientFacingOrder>>();

function placementGroups(db: DB): TransactionGroups<Placement, Decided, ClientFacingOrder> {
  let groups = groupsByDb.get(db);
  if (!groups) {
    groups = new TransactionGroups(db, { decide: decideAll, write: writeAll }, PLACEMENT_GROUPS);
    groupsByDb.set(db, groups);
  }
  return groups;
}

export async function placeOrder(options: PlaceOrderOptions): Promise<ClientFacingOrder> {
  return placementGroups(options.db).run(await placementOf(options));
}
