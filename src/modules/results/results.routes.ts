// Routes of the results module: the operator's result intake and unmatched queue, the Team API's result
// documents (raw, metadata, PDFs), the requisition PDF and the unmatched-results review endpoints.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CursorParam } from '../../http/cursor.js';
import { errorResponses } from '../../http/error-responses.js';
import { Labs, queryInt, queryInt as queryInteger, queryOne, Uuid } from '../../http/wire.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { ClientFacingOrder, OrderStatus } from '../orders/orders.schemas.js';
import { acceptUnmatchedResult } from './accept-unmatched.js';
import { deliverResult } from './deliver-result.js';
import { getOrderResults } from './get-order-results.js';
import { getRequisitionPdf } from './get-requisition-pdf.js';
import { getResultPdf } from './get-result-pdf.js';
import { getUnmatchedResult } from './get-unmatched-result.js';
import { listOperatorUnmatchedResults } from './list-operator-unmatched-results.js';
import { listUnmatchedResults } from './list-unmatched-results.js';
import { resolveUnmatchedResult } from './resolve-unmatched.js';
import {
  LabResultsMetadata,
  LabResultsRaw,
  MatchDecisionCode,
  MatchReviewStatus,
  ResultDeliveryBody,
  ResultDeliveryResponse,
  UnmatchedResult,
} from './results.schemas.js';
import { simulateOrder } from './simulate-order.js';

const OrderParams = z.object({ order_id: Uuid });
const UnmatchedParams = z.object({ raw_result_id: Uuid });
const ListUnmatchedResultResponse = z
  .object({ data: z.array(UnmatchedResult), next_cursor: z.string().nullable(), total: z.int() })
  .meta({ id: 'ListUnmatchedResultResponse' });
const ListQuery = z.object({
  limit: queryInt({ min: 1, max: 100, default: 50 }),
  next_cursor: queryOne(CursorParam),
  decision_code: queryOne(MatchDecisionCode),
  lab_slug: queryOne(Labs),
  status: queryOne(MatchReviewStatus),
  created_at_start: queryOne(z.iso.date()),
  created_at_end: queryOne(z.iso.date()),
  search_input: queryOne(z.string().max(200)),
});
const AcceptBody = z
  .object({ user_id: Uuid.nullish(), order_id: Uuid.nullish(), note: z.string().max(2000).nullish() })
  .meta({ id: 'AcceptUnmatchedResultBody' });
const SimulationFlagsBody = z
  .object({
    interpretation: z.enum(['normal', 'abnormal', 'critical', 'unknown']).optional(),
    result_types: z.array(z.enum(['numeric', 'range', 'comment', 'coded_value'])).nullish(),
    has_missing_results: z.boolean().nullish(),
  })
  .nullish()
  .meta({ id: 'SimulationFlags' });
const ResolveBody = z
  .object({ action: z.enum(['reject', 'unsure']), note: z.string().max(2000).nullish() })
  .meta({ id: 'ResolveUnmatchedResultBody' });

const teamOf = (principal: unknown): TeamPrincipal => principal as TeamPrincipal;
/** A PDF answer as Junction documents it (its description, `application/pdf` as a binary string). */
const pdfResponse = (description: string) => ({
  200: { description, content: { 'application/pdf': { schema: z.custom<Buffer>().meta({ type: 'string', format: 'binary' }) } } },
});

export const resultsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.deps.database.db;

  app.post(
    '/operator/v1/results',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_deliver_result',
        summary: 'Deliver a lab result (acting for the lab)',
        tags: ['Operator'],
        body: ResultDeliveryBody,
        response: { 200: ResultDeliveryResponse, ...errorResponses(401, 413, 422) },
      },
    },
    async (request) => deliverResult({ db: db(), orderEvents: app.orderEvents, principal: request.principal, delivery: request.body }),
  );

  app.get(
    '/operator/v1/unmatched_results',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_list_unmatched_results',
        summary: 'Unmatched results no team can see',
        tags: ['Operator'],
        response: { 200: z.object({ data: z.array(UnmatchedResult) }), ...errorResponses(401) },
      },
    },
    async () => ({ data: await listOperatorUnmatchedResults({ db: db() }) }),
  );

  app.get(
    '/v3/order/:order_id/result',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_lab_test_result_raw_v3_order__order_id__result_get',
        summary: 'Get Lab Test Result Raw',
        tags: ['lab_tests'],
        params: OrderParams,
        response: { 200: LabResultsRaw, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const results = await getOrderResults({
        db: db(),
        principal: teamOf(request.principal),
        orderId: request.params.order_id,
        config: app.deps.config,
      });
      return { ...results, missing_results: null, sample_information: null, order_transaction: null };
    },
  );

  app.get(
    '/v3/order/:order_id/result/metadata',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_lab_test_result_metadata_v3_order__order_id__result_metadata_get',
        summary: 'Get Lab Test Result Metadata',
        tags: ['lab_tests'],
        params: OrderParams,
        response: { 200: LabResultsMetadata, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const results = await getOrderResults({
        db: db(),
        principal: teamOf(request.principal),
        orderId: request.params.order_id,
        config: app.deps.config,
      });
      return results.metadata;
    },
  );

  app.get(
    '/v3/order/:order_id/result/pdf',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_lab_test_result_v3_order__order_id__result_pdf_get',
        summary: 'Get Lab Test Result PDF',
        tags: ['lab_tests'],
        params: OrderParams,
        response: { ...pdfResponse('PDF with results'), ...errorResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const pdf = await getResultPdf({
        db: db(),
        principal: teamOf(request.principal),
        orderId: request.params.order_id,
        config: app.deps.config,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="result-${request.params.order_id}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/v3/order/:order_id/requisition/pdf',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_order_requisition_url_v3_order__order_id__requisition_pdf_get',
        summary: 'Get Order Requisition PDF',
        tags: ['lab_tests'],
        params: OrderParams,
        response: { ...pdfResponse('PDF with requisition form'), ...errorResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const pdf = await getRequisitionPdf({
        db: db(),
        principal: teamOf(request.principal),
        orderId: request.params.order_id,
        config: app.deps.config,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="requisition-${request.params.order_id}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/v3/unmatched_result',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'list_unmatched_results_v3_unmatched_result_get',
        summary: 'List Unmatched Results',
        tags: ['lab_tests'],
        querystring: ListQuery,
        response: { 200: ListUnmatchedResultResponse, ...errorResponses(401, 422) },
      },
    },
    async (request) => {
      const q = request.query;
      return listUnmatchedResults({
        db: db(),
        principal: teamOf(request.principal),
        criteria: {
          decisionCode: q.decision_code,
          lab: q.lab_slug,
          status: q.status,
          createdAtStart: q.created_at_start,
          createdAtEnd: q.created_at_end,
          searchInput: q.search_input,
        },
        limit: q.limit ?? 50,
        nextCursor: q.next_cursor,
      });
    },
  );

  app.get(
    '/v3/unmatched_result/:raw_result_id',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_unmatched_result_v3_unmatched_result__raw_result_id__get',
        summary: 'Get Unmatched Result',
        tags: ['lab_tests'],
        params: UnmatchedParams,
        response: { 200: UnmatchedResult, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => getUnmatchedResult({ db: db(), principal: teamOf(request.principal), id: request.params.raw_result_id }),
  );

  app.post(
    '/v3/unmatched_result/:raw_result_id/resolve',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'resolve_unmatched_result_v3_unmatched_result__raw_result_id__resolve_post',
        summary: 'Resolve Unmatched Result',
        tags: ['lab_tests'],
        params: UnmatchedParams,
        body: ResolveBody,
        response: { 200: UnmatchedResult, ...errorResponses(400, 401, 404, 413, 422) },
      },
    },
    async (request) =>
      resolveUnmatchedResult({
        db: db(),
        principal: teamOf(request.principal),
        id: request.params.raw_result_id,
        action: request.body.action,
        note: request.body.note ?? null,
      }),
  );

  app.post(
    '/v3/unmatched_result/:raw_result_id/accept',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'accept_unmatched_result_v3_unmatched_result__raw_result_id__accept_post',
        summary: 'Accept Unmatched Result',
        tags: ['lab_tests'],
        params: UnmatchedParams,
        body: AcceptBody,
        response: { 200: ClientFacingOrder, ...errorResponses(400, 401, 404, 413, 422) },
      },
    },
    async (request) =>
      acceptUnmatchedResult({
        db: db(),
        orderEvents: app.orderEvents,
        principal: teamOf(request.principal),
        id: request.params.raw_result_id,
        orderId: request.body.order_id ?? null,
        userId: request.body.user_id ?? null,
        note: request.body.note ?? null,
      }),
  );

  app.post(
    '/v3/order/:order_id/test',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'order_process_simulate_v3_order__order_id__test_post',
        summary: 'Order Process Simulate',
        tags: ['lab_tests'],
        params: OrderParams,
        querystring: z.object({ final_status: queryOne(OrderStatus), delay: queryInteger({ min: 0, max: 3600 }) }),
        body: SimulationFlagsBody,
        response: {
          200: z.object({ order_id: z.string(), steps: z.array(z.string()), scheduled: z.boolean() }),
          ...errorResponses(400, 401, 404, 413, 422),
        },
      },
    },
    async (request) =>
      simulateOrder({
        db: db(),
        orderEvents: app.orderEvents,
        principal: teamOf(request.principal),
        orderId: request.params.order_id,
        finalStatus: request.query.final_status,
        delaySeconds: request.query.delay,
        flags: request.body ?? {},
        config: app.deps.config,
      }),
  );
};
