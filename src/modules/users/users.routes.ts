// Users (patients) of a team in one environment: create, list, get, and resolve by the customer's own id.
// Shapes follow Junction's UserCreateBody / ClientFacingUser / PaginatedUsersResponse.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-responses.js';
import { queryInt, Uuid } from '../../http/wire.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { createUser } from './create-user.js';
import { getUser } from './get-user.js';
import { getUserByClientId } from './get-user-by-client-id.js';
import { listUsers } from './list-users.js';

const UserCreateBody = z
  .object({
    client_user_id: z.string().min(1).max(256),
    fallback_time_zone: z.string().max(64).nullish(),
    fallback_birth_date: z.iso.date().nullish(),
    ingestion_start: z.iso.date().nullish(),
    ingestion_end: z.iso.date().nullish(),
  })
  .meta({ id: 'UserCreateBody' });

/** Junction's 400 body for a duplicate client_user_id (sent as a RawBodyError). */
const ClientUserIDConflictResponse = z
  .object({
    detail: z
      .object({
        error_type: z.string(),
        error_message: z.string(),
        user_id: z.string().meta({ format: 'uuid' }),
        created_on: z.string().meta({ format: 'date-time' }),
      })
      .meta({ id: 'ClientUserIDConflict' }),
  })
  .meta({ id: 'ClientUserIDConflictResponse' });

const Fallback = z.object({ source_slug: z.string(), updated_at: z.string() });
export const ClientFacingUser = z
  .object({
    user_id: z.string(),
    team_id: z.string(),
    client_user_id: z.string(),
    created_on: z.string(),
    connected_sources: z.array(z.never()),
    fallback_time_zone: Fallback.extend({ id: z.string() }).nullable(),
    fallback_birth_date: Fallback.extend({ value: z.string() }).nullable(),
    ingestion_start: z.string().nullable(),
    ingestion_end: z.string().nullable(),
  })
  .meta({ id: 'ClientFacingUser' });

const PaginatedUsersResponse = z
  .object({ users: z.array(ClientFacingUser), total: z.int(), offset: z.int(), limit: z.int() })
  .meta({ id: 'PaginatedUsersResponse' });

const team = (principal: unknown): TeamPrincipal => principal as TeamPrincipal;

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.deps.database.db;

  app.post(
    '/v2/user',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'create_user_v2_user_post',
        summary: 'Create User',
        tags: ['user'],
        body: UserCreateBody,
        response: { 200: ClientFacingUser, ...errorResponses(401, 413, 422, { 400: ClientUserIDConflictResponse }) },
      },
    },
    async (request) => createUser({ db: db(), principal: team(request.principal), body: request.body }),
  );

  app.get(
    '/v2/user',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_teams_users_v2_user_get',
        summary: 'Get Teams Users',
        tags: ['user'],
        querystring: z.object({ offset: queryInt({ min: 0, default: 0 }), limit: queryInt({ min: 1, max: 500, default: 100 }) }),
        response: { 200: PaginatedUsersResponse, ...errorResponses(401, 422) },
      },
    },
    async (request) => {
      const offset = request.query.offset ?? 0;
      const limit = request.query.limit ?? 100;
      const { users, total } = await listUsers({ db: db(), principal: team(request.principal), offset, limit });
      return { users, total, offset, limit };
    },
  );

  app.get(
    '/v2/user/:user_id',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_user_v2_user__user_id__get',
        summary: 'Get User',
        tags: ['user'],
        params: z.object({ user_id: Uuid }),
        response: { 200: ClientFacingUser, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => getUser({ db: db(), principal: team(request.principal), userId: request.params.user_id }),
  );

  app.get(
    '/v2/user/resolve/:client_user_id',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_user_by_client_user_id_v2_user_resolve__client_user_id__get',
        summary: 'Get User By Client User Id',
        tags: ['user'],
        params: z.object({ client_user_id: z.string().min(1).max(256) }),
        response: { 200: ClientFacingUser, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => getUserByClientId({ db: db(), principal: team(request.principal), clientUserId: request.params.client_user_id }),
  );
};
