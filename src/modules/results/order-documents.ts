// The documents of an order a team may read: its results (raw and metadata), the result report PDF and the
// requisition PDF. Results exist only once a delivery has been attached (404 results_not_ready before).
import type { Config } from '../../config.js';
import type { DB } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { labBySlug } from '../../domain/labs-catalogue.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { orderLabTests } from '../orders/orders.repository.js';
import { buildLabResults } from './build-lab-results.js';
import { renderRequisitionPdf } from './pdf/render-requisition-pdf.js';
import { renderResultPdf } from './pdf/render-result-pdf.js';
import { attachedDeliveries, findTeamOrder } from './results.repository.js';

interface Options {
  db: DB;
  principal: TeamPrincipal;
  orderId: string;
  config: Config;
}

async function loadOrder(options: Options) {
  const order = await findTeamOrder(options.db, { teamId: options.principal.teamId, env: options.principal.env }, options.orderId);
  if (!order) throw new AppError('order_not_found', 'Order not found');
  return order;
}

export async function getOrderResults(options: Options) {
  const order = await loadOrder(options);
  const deliveries = await attachedDeliveries(options.db, order.id);
  if (deliveries.length === 0) throw new AppError('results_not_ready', 'No results have been received for this order yet');
  return buildLabResults({
    order: {
      id: order.id,
      sample_id: order.sample_id,
      user_id: order.user_id,
      patient_details: order.patient_details,
      physician: order.physician,
      delegated_flow: order.delegated_flow,
      provider_account_id: order.provider_account_id,
    },
    deliveries: deliveries.map((d) => ({
      status: d.status,
      interpretation: d.interpretation,
      results: d.results,
      created_at: d.created_at,
    })),
    labName: labBySlug(order.lab).name,
    platformPhysician: options.config.platformPhysician,
  });
}

export async function getResultPdf(options: Options): Promise<Buffer> {
  const order = await loadOrder(options);
  const { metadata, results } = await getOrderResults(options);
  const details = order.patient_details;
  return renderResultPdf({
    orderId: order.id,
    sampleId: order.sample_id,
    status: metadata.status === 'partial' ? 'partial' : 'final',
    interpretation: metadata.interpretation,
    dateReported: metadata.date_reported,
    labName: labBySlug(order.lab).name,
    account: { provider_account_id: order.provider_account_id, account_name: order.account_name },
    patient: { name: metadata.patient, dob: metadata.dob, gender: String(details.gender ?? '') },
    results: results.map((r) => ({
      name: r.name,
      result: r.result,
      unit: r.unit,
      reference_range: r.reference_range,
      interpretation: r.interpretation,
    })),
  });
}

/** Requisition notes: the account's default clinical notes, a newline, then the order's own notes (SPEC.md §3). */
export function requisitionNotes(accountDefault: string | null, orderNotes: string | null): string | null {
  const parts = [accountDefault, orderNotes].filter((p): p is string => Boolean(p && p.length > 0));
  return parts.length > 0 ? parts.join('\n') : null;
}

export async function getRequisitionPdf(options: Options): Promise<Buffer> {
  const order = await loadOrder(options);
  const details = order.patient_details;
  const address = order.patient_address;
  const delegated = order.delegated_flow === 'order_delegated' || order.delegated_flow === 'fully_delegated';
  const physician =
    delegated && order.physician
      ? (order.physician as { first_name: string; last_name: string; npi: string })
      : options.config.platformPhysician;
  const tests = orderLabTests(order).map((t) => ({
    name: String(t.name ?? ''),
    markers: ((t.markers as { name: string }[] | null) ?? []).map((m) => m.name),
  }));
  return renderRequisitionPdf({
    orderId: order.id,
    sampleId: order.sample_id,
    createdAt: new Date(order.created_at).toISOString(),
    labName: labBySlug(order.lab).name,
    account: { provider_account_id: order.provider_account_id, account_name: order.account_name, delegated_flow: order.delegated_flow },
    physician,
    physicianSource: delegated && order.physician ? 'order' : 'platform',
    patient: {
      name: `${String(details.first_name ?? '')} ${String(details.last_name ?? '')}`.trim(),
      dob: String(details.dob ?? '').slice(0, 10),
      gender: String(details.gender ?? ''),
      phone: (details.phone_number as string | null) ?? null,
      address: [address.first_line, address.second_line, address.city, `${String(address.state ?? '')} ${String(address.zip ?? '')}`.trim()]
        .filter((p) => p && String(p).length > 0)
        .join(', '),
    },
    tests,
    collectionMethod: order.collection_method,
    billingType: order.billing_type,
    icdCodes: (order.icd_codes as string[] | null) ?? [],
    clinicalNotes: requisitionNotes(order.default_clinical_notes, order.clinical_notes),
  });
}
