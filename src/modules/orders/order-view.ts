// Builds Junction's ClientFacingOrder (with Labroute's attribution fields) from a stored order with its
// events and transaction (read with it in one query, or just written).
import type { Queryable } from '../../db/database.js';
import {
  type EventRow,
  findOrderView,
  type OrderRow,
  type OrderViewRow,
  orderLabTests,
  type TransactionView,
} from './orders.repository.js';
import type { ClientFacingOrder } from './orders.schemas.js';

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

function toEvent(event: EventRow): ClientFacingOrder['events'][number] {
  return {
    id: Number(event.id),
    created_at: iso(event.created_at),
    status: event.status,
    status_detail: (event.status_detail as ClientFacingOrder['events'][number]['status_detail']) ?? null,
  };
}

function detailsData(row: OrderRow): Record<string, unknown> {
  const base = { id: row.details_id, created_at: iso(row.created_at), updated_at: iso(row.updated_at) };
  switch (row.collection_method) {
    case 'testkit':
      return { ...base, shipment: null };
    case 'walk_in_test':
    case 'at_home_phlebotomy':
      return { ...base, appointment_id: null };
    default:
      return base;
  }
}

function address(value: Record<string, unknown> | undefined | null) {
  if (!value) return null;
  return {
    first_line: String(value.first_line ?? ''),
    second_line: (value.second_line as string | null) ?? null,
    country: String(value.country ?? ''),
    zip: String(value.zip ?? ''),
    city: String(value.city ?? ''),
    state: String(value.state ?? ''),
    access_notes: (value.access_notes as string | null) ?? null,
  };
}

export function toClientFacingOrder(row: OrderRow, events: EventRow[], transaction: TransactionView | null): ClientFacingOrder {
  const d = row.patient_details;
  const a = row.patient_address;
  const proxy = d.medical_proxy as Record<string, unknown> | null | undefined;
  const mapped = events.map(toEvent);
  const physician = row.physician as { first_name: string; last_name: string; npi: string } | null;
  return {
    user_id: row.user_id,
    id: row.id,
    team_id: row.team_id,
    patient_details: {
      first_name: (d.first_name as string) ?? null,
      last_name: (d.last_name as string) ?? null,
      dob: `${String(d.dob).slice(0, 10)}T00:00:00+00:00`,
      gender: String(d.gender ?? 'unknown'),
      phone_number: (d.phone_number as string | null) ?? null,
      email: (d.email as string | null) ?? null,
      medical_proxy: proxy
        ? {
            first_name: String(proxy.first_name),
            last_name: String(proxy.last_name),
            address: address(proxy.address as Record<string, unknown>)!,
            phone_number: String(proxy.phone_number),
            household_income: (proxy.household_income as number | null) ?? null,
            household_size: (proxy.household_size as number | null) ?? null,
            email: (proxy.email as string | null) ?? null,
          }
        : null,
      race: (d.race as string | null) ?? null,
      ethnicity: (d.ethnicity as string | null) ?? null,
      sexual_orientation: (d.sexual_orientation as string | null) ?? null,
      gender_identity: (d.gender_identity as string | null) ?? null,
    },
    patient_address: {
      receiver_name: String(a.receiver_name ?? ''),
      first_line: String(a.first_line),
      second_line: (a.second_line as string | null) ?? null,
      city: String(a.city),
      state: String(a.state),
      zip: String(a.zip),
      country: String(a.country),
      access_notes: (a.access_notes as string | null) ?? null,
      phone_number: (a.phone_number as string | null) ?? null,
    },
    lab_test: row.lab_test as ClientFacingOrder['lab_test'],
    details: { type: row.collection_method as ClientFacingOrder['details']['type'], data: detailsData(row) },
    sample_id: row.sample_id,
    notes: null,
    clinical_notes: row.clinical_notes,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    events: mapped,
    status: row.status_top as ClientFacingOrder['status'],
    last_event: mapped[mapped.length - 1],
    physician: physician ? { first_name: physician.first_name, last_name: physician.last_name, npi: physician.npi } : null,
    health_insurance_id: null,
    requisition_form_url: `/v3/order/${row.id}/requisition/pdf`,
    priority: row.priority,
    shipping_details: null,
    activate_by: row.activate_by,
    passthrough: row.passthrough,
    billing_type: row.billing_type as ClientFacingOrder['billing_type'],
    icd_codes: row.icd_codes,
    has_abn: false,
    interpretation: (row.interpretation as ClientFacingOrder['interpretation']) ?? null,
    has_missing_results: row.has_missing_results,
    expected_result_by_date: null,
    worst_case_result_by_date: null,
    origin: row.origin as ClientFacingOrder['origin'],
    order_transaction: transaction
      ? {
          id: transaction.id,
          status: transaction.status as 'active' | 'completed' | 'cancelled',
          orders: transaction.orders.map((o) => ({
            id: o.id,
            low_level_status: o.status_low,
            low_level_status_created_at: o.last_event_at ? iso(o.last_event_at) : null,
            origin: o.origin,
            parent_id: o.parent_id,
            created_at: iso(o.created_at),
            updated_at: iso(o.updated_at),
          })),
        }
      : null,
    lab_account_id: row.lab_account_id,
    lab_account_resolution: row.lab_account_resolution as ClientFacingOrder['lab_account_resolution'],
    lab_tests: orderLabTests(row) as ClientFacingOrder['lab_tests'],
  };
}

/** The wire view of an order read with `findOrderView` or `listOrders`. */
export function viewOf(row: OrderViewRow): ClientFacingOrder {
  return toClientFacingOrder(row, row.events, row.order_transaction);
}

/** Loads and serializes one order by id (no scope: callers have already checked visibility). */
export async function loadClientFacingOrder(db: Queryable, id: string): Promise<ClientFacingOrder> {
  const row = await findOrderView(db, id);
  if (!row) throw new Error(`order ${id} vanished`);
  return viewOf(row);
}
