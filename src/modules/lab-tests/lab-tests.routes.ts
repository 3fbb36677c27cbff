// The lab-test catalogue: the operator adds tests to a cell; teams browse their cell's catalogue (Junction's
// list, cursor-paged list, one test, labs), optionally narrowed to the lab of a lab account they may use.

import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { LAB_CATALOGUE, labBySlug } from '../../domain/labs-catalogue.js';
import { CursorParam, decodeCursor, encodeCursor } from '../../http/cursor.js';
import { errorResponses } from '../../http/error-responses.js';
import { Labs, LabTestCollectionMethod, LabTestStatus, queryArray, queryBool, queryInt, queryOne, Uuid } from '../../http/wire.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { actorOf } from '../auth/principal.js';
import { cachedTeamCell, findTeamVisibleAccount } from '../lab-accounts/team-visibility.js';
import { isUniqueViolation } from '../teams/teams.repository.js';
import { findLabTests, insertLabTest, type LabTestFilter, nextMarkerIds, toClientFacingLabTest } from './lab-tests.repository.js';
import { ClientFacingLab, ClientFacingLabTest, CreateLabTestBody, LabTestResourcesResponse } from './lab-tests.schemas.js';

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

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export const labTestsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.deps.database.db;

  /** Turns query filters into repository filters; lab_account_id narrows to that account's lab (404 if not usable). */
  async function filterOf(p: TeamPrincipal, q: FilterQuery): Promise<LabTestFilter | null> {
    let lab = q.lab_slug;
    if (q.lab_account_id) {
      const account = findTeamVisibleAccount(await cachedTeamCell(app.labAccountCache, p), p, q.lab_account_id);
      if (!account) throw new AppError('lab_account_not_found', 'Lab account not found');
      if (lab && lab !== account.lab) return null;
      lab = account.lab as typeof lab;
    }
    // Every catalogue test is operator-curated ("manual"); generation_method=auto has none.
    if (q.generation_method === 'auto') return null;
    return {
      lab,
      method: q.collection_method,
      statuses: q.status ? [q.status] : undefined,
      name: q.name,
      markerIds: q.marker_ids,
      providerIds: q.provider_ids,
      order: q.order_key
        ? { key: q.order_key, direction: q.order_direction ?? 'asc' }
        : q.order_direction
          ? { key: 'created_at', direction: q.order_direction }
          : undefined,
    };
  }

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
      const body = request.body;
      const lab = labBySlug(body.lab);
      if (!lab.collection_methods.includes(body.method)) {
        throw new AppError('bad_request', `${lab.name} does not offer ${body.method}`);
      }
      const markerSlugs = new Set<string>();
      for (const marker of body.markers) {
        if (markerSlugs.has(marker.slug)) throw new AppError('bad_request', `Duplicate marker slug ${marker.slug}`);
        markerSlugs.add(marker.slug);
      }
      const id = randomUUID();
      try {
        const row = await db()
          .transaction()
          .execute(async (tx) => {
            const ids = await nextMarkerIds(tx, body.markers.length);
            const markers = body.markers.map((m, i) => ({
              id: ids[i],
              name: m.name,
              slug: m.slug,
              description: null,
              lab_id: lab.id,
              provider_id: m.provider_id ?? null,
              type: 'biomarker' as const,
              unit: m.unit ?? null,
              price: null,
              aoe: null,
              a_la_carte_enabled: false,
              common_tat_days: null,
              worst_case_tat_days: null,
              is_orderable: true,
            }));
            const record = {
              id,
              env: body.env,
              region: body.region,
              lab: body.lab,
              slug: slugify(`${body.lab} ${body.name}`),
              name: body.name,
              method: body.method,
              sample_type: body.sample_type,
              price: body.price ?? 0,
              fasting: body.fasting ?? false,
              status: 'active',
              markers,
            };
            await insertLabTest(tx, record);
            await recordAudit(tx, {
              orgId: null,
              subjectType: 'lab_test',
              subjectId: id,
              actor: actorOf(request.principal),
              action: 'lab_test.created',
              before: null,
              after: record,
            });
            return (await findLabTests(tx, { env: body.env, region: body.region }, { ids: [id] }))[0];
          });
        return reply.code(201).send(toClientFacingLabTest(row));
      } catch (error) {
        if (isUniqueViolation(error, 'lab_tests_slug_idx'))
          throw new AppError('conflict', `A lab test named "${body.name}" already exists for ${body.lab} in ${body.env}/${body.region}`);
        throw error;
      }
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
    async (request) => {
      const p = team(request.principal);
      const filter = await filterOf(p, request.query);
      if (!filter) return [];
      return (await findLabTests(db(), p, filter)).map(toClientFacingLabTest);
    },
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
    async (request) => {
      const p = team(request.principal);
      const q = request.query;
      const filter = await filterOf(p, q);
      if (!filter) return { data: [], next_cursor: null };
      const limit = q.lab_test_limit ?? 50;
      const cursor = q.next_cursor ? decodeCursor(q.next_cursor) : null;
      // Cursor paging follows the stable creation order; a custom order pages by offset inside the cursor.
      const offset = cursor && typeof cursor.offset === 'number' ? cursor.offset : 0;
      const rows = filter.order
        ? (await findLabTests(db(), p, filter)).slice(offset, offset + limit + 1)
        : await findLabTests(db(), p, { ...filter, afterSeq: cursor ? String(cursor.after) : undefined, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const more = rows.length > limit;
      const next = !more
        ? null
        : filter.order
          ? encodeCursor({ after: offset + limit, offset: offset + limit })
          : encodeCursor({ after: page[page.length - 1].seq });
      return { data: page.map(toClientFacingLabTest), next_cursor: next };
    },
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
    async () => LAB_CATALOGUE.map((lab) => ({ ...lab, logo_url: null })),
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
    async (request) => {
      const p = team(request.principal);
      const [row] = await findLabTests(db(), p, { ids: [request.params.lab_test_id] });
      if (request.query.lab_account_id) {
        const account = findTeamVisibleAccount(await cachedTeamCell(app.labAccountCache, p), p, request.query.lab_account_id);
        if (!account) throw new AppError('lab_account_not_found', 'Lab account not found');
        if (row && row.lab !== account.lab) throw new AppError('lab_test_not_found', 'Lab test not found for this lab account');
      }
      if (!row) throw new AppError('lab_test_not_found', 'Lab test not found');
      return toClientFacingLabTest(row);
    },
  );
};
