// A placed order's rows as they are inserted, and its answer built from them and what the database filled in,
// so nothing is read back after the insert.
import { randomUUID } from 'node:crypto';
import { newSampleId } from '../../domain/order-rules.js';
import { statusString } from '../../domain/order-status.js';
import { auditRow } from '../audit/audit.repository.js';
import { actorOf, type TeamPrincipal } from '../auth/principal.js';
import { toClientFacingLabTest } from '../lab-tests/lab-tests.repository.js';
import type { ResolvedAccount } from './order-lab-account.js';
import { compositeTest, type TestSelection } from './order-test-selection.js';
import { toClientFacingOrder } from './order-view.js';
import type { OrderRow } from './orders.repository.js';
import type { ClientFacingOrder, CreateOrderRequest } from './orders.schemas.js';
import type { NewOrder, StoredOrder } from './placement.repository.js';

/** What a new order is made of: the request, what placement decided, and the patient's user. */
export interface NewOrderInput {
  principal: TeamPrincipal;
  body: CreateOrderRequest;
  selection: TestSelection;
  resolved: ResolvedAccount;
  userId: string;
  /** "Today" (YYYY-MM-DD): an activate_by after it makes the order scheduled. */
  today: string;
}

/** The new order's rows, and its row as the answer shows it before the database fills in seq and times. */
export function newOrderRows(input: NewOrderInput): { newOrder: NewOrder; row: Omit<OrderRow, 'seq' | 'created_at' | 'updated_at'> } {
  const { principal, body, selection, resolved, userId, today } = input;
  const { tests, lab, method } = selection;
  const orderId = randomUUID();
  const transactionId = randomUUID();
  const details = body.patient_details;
  const scheduled = Boolean(body.activate_by && body.activate_by > today);
  const testViews = tests.map(toClientFacingLabTest);
  const labTest = compositeTest(selection, testViews);
  // Production orders get their requisition at once, or on activate_by; sandbox orders wait for simulation.
  const lowStatuses = principal.env === 'production' && !scheduled ? (['ordered', 'requisition_created'] as const) : (['ordered'] as const);
  const row = {
    id: orderId,
    org_id: principal.orgId,
    team_id: principal.teamId,
    env: principal.env,
    region: principal.region,
    user_id: userId,
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
  const newOrder: NewOrder = {
    transaction: { id: transactionId, team_id: principal.teamId, status: 'active' },
    order: {
      ...row,
      // An order of one test stores it once: its lab_tests is [lab_test] (migration 0009).
      lab_test: JSON.stringify(row.lab_test),
      lab_tests: labTest === testViews[0] ? null : JSON.stringify(row.lab_tests),
      patient_details: JSON.stringify(row.patient_details),
      patient_address: JSON.stringify(row.patient_address),
      physician: JSON.stringify(row.physician),
      icd_codes: JSON.stringify(row.icd_codes),
      consents: JSON.stringify(row.consents),
      aoe_answers: JSON.stringify(row.aoe_answers),
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
  return { newOrder, row };
}

/** The new order as the API shows it, from its row and what the insert returned. */
export function newOrderView(row: Omit<OrderRow, 'seq' | 'created_at' | 'updated_at'>, stored: StoredOrder): ClientFacingOrder {
  const full: OrderRow = { ...row, seq: stored.seq, created_at: stored.created_at, updated_at: stored.updated_at };
  const events = stored.events;
  return toClientFacingOrder(full, events, {
    id: full.order_transaction_id,
    status: 'active',
    orders: [
      {
        id: full.id,
        status_low: full.status_low,
        origin: full.origin,
        parent_id: null,
        created_at: stored.created_at,
        updated_at: stored.updated_at,
        last_event_at: events[events.length - 1].created_at,
      },
    ],
  });
}
