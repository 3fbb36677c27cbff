// Team use case: the results of an order, merged from every delivery attached to it (Junction's Get Lab Test
// Result Raw and Metadata); 404 results_not_ready until a delivery has been attached.
import { AppError } from '../../domain/errors.js';
import { labBySlug } from '../../domain/labs-catalogue.js';
import { buildLabResults } from './build-lab-results.js';
import { type OrderDocumentOptions, readableOrder } from './order-documents.js';
import { attachedDeliveries } from './results.repository.js';

/** Results and metadata as Junction's LabResultsRaw carries them. */
export async function getOrderResults(options: OrderDocumentOptions) {
  const order = await readableOrder(options);
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
