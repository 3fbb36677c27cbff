// Routes of orders: create (idempotent), dry-run lab-account resolution, get, list, cancel (Team API), and the
// operator's lifecycle events.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-responses.js';
import { LabTestCollectionMethod, queryArray, queryBool, queryInt, queryOne, Uuid } from '../../http/wire.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { IdempotencyHeaders, readIdempotencyHeaders, sendIdempotent } from '../idempotency/idempotency.http.js';
import { runIdempotent } from '../idempotency/run-idempotent.js';
import { cancelOrder } from './cancel-order.js';
import { getOrder } from './get-order.js';
import { listOrders } from './list-orders.js';
import {
  ClientFacingOrder,
  CreateOrderRequestCompatible,
  GetOrdersResponse,
  OrderLowLevelStatus,
  OrderStatus,
  OrderStatusDetail,
  PostOrderResponse,
  ResolveLabAccountResponse,
} from './orders.schemas.js';
import { placeOrder } from './place-order.js';
import { OrderPlacements } from './placement.repository.js';
import { recordOrderEvent } from './record-order-event.js';
import { resolveOrderLabAccount } from './resolve-order-lab-account.js';

const OrderParams = z.object({ order_id: Uuid });
const team = (principal: unknown): TeamPrincipal => principal as TeamPrincipal;
const DateTimeOrDate = z.union([z.iso.datetime({ offset: true }), z.iso.datetime(), z.iso.date()]);

/** A bare date means the start of that day, or its end for the upper bound of a range (reference §3.6). */
function boundOf(value: string | undefined, end: boolean): Date | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T${end ? '23:59:59.999' : '00:00:00'}Z`);
  return new Date(value);
}

const ListQuery = z.object({
  search_input: queryOne(z.string().max(200)),
  start_date: queryOne(DateTimeOrDate),
  end_date: queryOne(DateTimeOrDate),
  updated_start_date: queryOne(DateTimeOrDate),
  updated_end_date: queryOne(DateTimeOrDate),
  status: queryArray(OrderLowLevelStatus),
  order_key: queryOne(z.enum(['created_at', 'patient_name', 'last_status'])),
  order_direction: queryOne(z.enum(['asc', 'desc'])),
  order_type: queryArray(LabTestCollectionMethod),
  is_critical: queryBool(),
  interpretation: queryOne(z.enum(['normal', 'abnormal', 'critical', 'unknown'])),
  order_activation_types: queryArray(z.enum(['current', 'scheduled'])),
  user_id: queryOne(Uuid),
  patient_name: queryOne(z.string().max(200)),
  shipping_recipient_name: queryOne(z.string().max(200)),
  order_ids: queryArray(Uuid),
  order_transaction_id: queryOne(Uuid),
  lab_account_id: queryOne(Uuid),
  page: queryInt({ min: 1, default: 1 }),
  size: queryInt({ min: 1, max: 100, default: 50 }),
});

export const ordersRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.deps.database.db;
  // This app's placements on its database (placement.repository.ts batches the ones that arrive together).
  const placements = new OrderPlacements(db());

  app.post(
    '/v3/order',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'create_order_v3_order_post',
        summary: 'Create Order',
        tags: ['lab_tests'],
        headers: IdempotencyHeaders,
        body: CreateOrderRequestCompatible,
        response: { 200: PostOrderResponse, ...errorResponses(400, 401, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const p = team(request.principal);
      const { key, noCacheErrors } = readIdempotencyHeaders(request);
      const outcome = await runIdempotent({
        db: db(),
        scope: { teamId: p.teamId, env: p.env, route: 'POST /v3/order' },
        key,
        noCacheErrors,
        requestBody: request.body,
        requestId: request.id,
        execute: async (complete) => {
          const respond = (order: unknown) => ({ order, status: 'success', message: 'Order created successfully' });
          const order = await placeOrder({
            placements,
            labAccountCache: app.labAccountCache,
            orderEvents: app.orderEvents,
            principal: p,
            body: request.body,
            beforeCommit: (tx, created) => complete(tx, { status: 200, body: respond(created) }),
          });
          app.metrics.ordersCreated.inc();
          return { status: 200, body: respond(order) };
        },
      });
      return sendIdempotent(reply, outcome);
    },
  );

  app.post(
    '/v3/order/resolve_lab_account',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'resolve_order_lab_account',
        summary: 'Which lab account an order would use, and why (Labroute extension; writes nothing)',
        tags: ['lab_tests'],
        body: CreateOrderRequestCompatible,
        response: { 200: ResolveLabAccountResponse, ...errorResponses(400, 401, 404, 413, 422) },
      },
    },
    async (request) => {
      const resolved = await resolveOrderLabAccount({
        placements,
        labAccountCache: app.labAccountCache,
        principal: team(request.principal),
        body: request.body,
      });
      return {
        lab_account_id: resolved.account.id,
        lab_account_resolution: resolved.resolution,
        lab_account: resolved.account,
        candidates: resolved.candidates,
      };
    },
  );

  app.get(
    '/v3/order/:order_id',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_order_v3_order__order_id__get',
        summary: 'Get Order',
        tags: ['lab_tests'],
        params: OrderParams,
        response: { 200: ClientFacingOrder, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => getOrder({ db: db(), principal: team(request.principal), orderId: request.params.order_id }),
  );

  app.get(
    '/v3/orders',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_orders_v3_orders_get',
        summary: 'Get Orders',
        tags: ['lab_tests'],
        querystring: ListQuery,
        response: { 200: GetOrdersResponse, ...errorResponses(401, 422) },
      },
    },
    async (request) => {
      const q = request.query;
      const page = q.page ?? 1;
      const size = q.size ?? 50;
      const { orders, total } = await listOrders({
        db: db(),
        principal: team(request.principal),
        filter: {
          statuses: q.status,
          methods: q.order_type,
          userId: q.user_id,
          orderIds: q.order_ids,
          labAccountId: q.lab_account_id,
          transactionId: q.order_transaction_id,
          start: boundOf(q.start_date, false),
          end: boundOf(q.end_date, true),
          updatedStart: boundOf(q.updated_start_date, false),
          updatedEnd: boundOf(q.updated_end_date, true),
          search: q.search_input,
          patientName: q.patient_name ?? q.shipping_recipient_name,
          interpretation: q.interpretation,
          isCritical: q.is_critical,
          activation: q.order_activation_types,
          orderKey: q.order_key ?? 'created_at',
          direction: q.order_direction ?? 'desc',
          offset: (page - 1) * size,
          limit: size,
        },
      });
      return { orders, total, page, size };
    },
  );

  app.post(
    '/v3/order/:order_id/cancel',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'cancel_order_v3_order__order_id__cancel_post',
        summary: 'Cancel Order',
        tags: ['lab_tests'],
        params: OrderParams,
        response: { 200: PostOrderResponse, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const order = await cancelOrder({
        db: db(),
        orderEvents: app.orderEvents,
        principal: team(request.principal),
        orderId: request.params.order_id,
      });
      return { order, status: 'success', message: 'Order cancelled successfully' };
    },
  );

  app.post(
    '/operator/v1/orders/:order_id/events',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_record_order_event',
        summary: 'Move an order along its lifecycle (acting for the lab)',
        tags: ['Operator'],
        params: OrderParams,
        body: z.object({ status: OrderStatus, status_detail: OrderStatusDetail.nullish() }),
        response: { 200: ClientFacingOrder, ...errorResponses(400, 401, 404, 413, 422) },
      },
    },
    async (request) =>
      recordOrderEvent({
        db: db(),
        orderEvents: app.orderEvents,
        principal: request.principal,
        orderId: request.params.order_id,
        status: request.body.status,
        statusDetail: request.body.status_detail ?? null,
      }),
  );
};
