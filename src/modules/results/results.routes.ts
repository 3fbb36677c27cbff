// Routes of the results module: the operator's result intake and unmatched queue, the Team API's result
// documents (raw, metadata, PDFs), the requisition PDF and the unmatched-results review endpoints.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import { deliverResult } from './deliver-result.js';
import { ResultDeliveryBody, ResultDeliveryResponse } from './result.schema.js';

export const resultsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/operator/v1/results', {
    config: { auth: { kind: 'operator' } },
    schema: {
      operationId: 'operator_deliver_result',
      summary: 'Deliver a lab result (acting for the lab)',
      tags: ['Operator'],
      body: ResultDeliveryBody,
      response: { 200: ResultDeliveryResponse },
    },
  }, async (request) => deliverResult({ db: app.deps.database.db, principal: request.principal, delivery: request.body }));
};

