// The lab-test catalogue: the operator adds tests to a cell; teams browse their cell's catalogue (Junction's
// list, cursor-paged list, one test, labs), optionally narrowed to the lab of a lab account they may use.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CursorParam } from '../../http/cursor.js';
import { errorResponses } from '../../http/error-responses.js';
import { Labs, LabTestCollectionMethod, LabTestStatus, queryArray, queryBool, queryInt, queryOne, Uuid } from '../../http/wire.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { createLabTest } from './create-lab-test.js';
import { getLabTest } from './get-lab-test.js';
import type { LabTestCriteria } from './lab-test-filter.js';
import { ClientFacingLab, ClientFacingLabTest, CreateLabTestBody, LabTestResourcesResponse } from './lab-tests.schemas.js';
import { listLabTests } from './list-lab-tests.js';
import { listLabs } from './list-labs.js';
import { listPaginatedLabTests } from './list-paginated-lab-tests.js';

const MarkerIds = queryArray(z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.int()));
const FilterQuery = z.object({
  lab_account_id: queryOne(Uuid),
  generation_method: queryOne(z.enum(['auto', 'manual', 'all'])),
  lab_slug: queryOne(Labs),
  collection_method: queryOne(LabTestCollectionMethod),
  status: queryOne(LabTestStatus),
  marker_ids: MarkerIds,
  provider_ids: queryArray(z.string().max(100)),
  name: queryOne(z.string().max(200)),
  order_key: queryOne(z.enum(['price', 'created_at', 'updated_at'])),
  order_direction: queryOne(z.enum(['asc', 'desc'])),
});
type FilterQuery = z.infer<typeof FilterQuery>;

const team = (principal: unknown): TeamPrincipal => principal as TeamPrincipal;

/** The catalogue criteria in a list's query string. */
function criteriaOf(q: FilterQuery): LabTestCriteria {
  return {
    labAccountId: q.lab_account_id,
    generationMethod: q.generation_method,
    lab: q.lab_slug,
    collectionMethod: q.collection_method,
    status: q.status,
    markerIds: q.marker_ids,
    providerIds: q.provider_ids,
    name: q.name,
    orderKey: q.order_key,
    orderDirection: q.order_direction,
  };
}

export const labTestsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.deps.database.db;

  app.post(
    '/operator/v1/lab_tests',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_create_lab_test',
        summary: 'Add a lab test to a cell’s catalogue',
        tags: ['Operator'],
        body: CreateLabTestBody,
        response: { 201: ClientFacingLabTest, ...errorResponses(400, 401, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const test = await createLabTest({ db: db(), principal: request.principal, body: request.body });
      return reply.code(201).send(test);
    },
  );

  app.get(
    '/v3/lab_tests',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_lab_tests_for_team_v3_lab_tests_get',
        summary: 'Get Lab Tests For Team',
        tags: ['lab_tests'],
        querystring: FilterQuery,
        response: { 200: z.array(ClientFacingLabTest), ...errorResponses(401, 404, 422) },
      },
    },
    async (request) =>
      listLabTests({
        db: db(),
        labAccountCache: app.labAccountCache,
        principal: team(request.principal),
        criteria: criteriaOf(request.query),
      }),
  );

  app.get(
    '/v3/lab_test',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_paginated_lab_tests_for_team_v3_lab_test_get',
        summary: 'Get Paginated Lab Tests For Team',
        tags: ['lab_tests'],
        querystring: FilterQuery.extend({
          lab_test_limit: queryInt({ min: 1, max: 500, default: 50 }),
          next_cursor: queryOne(CursorParam),
          include_pricing: queryBool(false),
        }),
        response: { 200: LabTestResourcesResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) =>
      listPaginatedLabTests({
        db: db(),
        labAccountCache: app.labAccountCache,
        principal: team(request.principal),
        criteria: criteriaOf(request.query),
        limit: request.query.lab_test_limit ?? 50,
        nextCursor: request.query.next_cursor,
      }),
  );

  app.get(
    '/v3/lab_tests/labs',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_labs_v3_lab_tests_labs_get',
        summary: 'Get Labs',
        tags: ['lab_tests'],
        response: { 200: z.array(ClientFacingLab), ...errorResponses(401) },
      },
    },
    async () => listLabs(),
  );

  app.get(
    '/v3/lab_tests/:lab_test_id',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_lab_test_for_team_v3_lab_tests__lab_test_id__get',
        summary: 'Get Lab Test For Team',
        tags: ['lab_tests'],
        params: z.object({ lab_test_id: Uuid }),
        querystring: z.object({ lab_account_id: queryOne(Uuid) }),
        response: { 200: ClientFacingLabTest, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) =>
      getLabTest({
        db: db(),
        labAccountCache: app.labAccountCache,
        principal: team(request.principal),
        labTestId: request.params.lab_test_id,
        labAccountId: request.query.lab_account_id,
      }),
  );
};
