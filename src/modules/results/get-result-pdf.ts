// Team use case: the result report of an order as a PDF (Junction's Get Lab Test Result PDF), rendered from
// the same merged results as the raw endpoint.
import { labBySlug } from '../../domain/labs-catalogue.js';
import { getOrderResults } from './get-order-results.js';
import { type OrderDocumentOptions, readableOrder } from './order-documents.js';
import { renderResultPdf } from './pdf/render-result-pdf.js';

/** The report's bytes; 404 like the raw results. */
export async function getResultPdf(options: OrderDocumentOptions): Promise<Buffer> {
  const order = await readableOrder(options);
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
