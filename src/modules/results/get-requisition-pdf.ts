// Team use case: the requisition of an order as a PDF (Junction's Get Order Requisition PDF): the order's
// physician for delegated accounts, else the platform physician, and the account's default clinical notes.
import { labBySlug } from '../../domain/labs-catalogue.js';
import { orderLabTests } from '../orders/orders.repository.js';
import { type OrderDocumentOptions, readableOrder } from './order-documents.js';
import { renderRequisitionPdf } from './pdf/render-requisition-pdf.js';

/** Requisition notes: the account's default clinical notes, a newline, then the order's own notes (SPEC.md §3). */
export function requisitionNotes(accountDefault: string | null, orderNotes: string | null): string | null {
  const parts = [accountDefault, orderNotes].filter((p): p is string => Boolean(p && p.length > 0));
  return parts.length > 0 ? parts.join('\n') : null;
}

/** The requisition's bytes; 404 order_not_found for orders the team may not read. */
export async function getRequisitionPdf(options: OrderDocumentOptions): Promise<Buffer> {
  const order = await readableOrder(options);
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
