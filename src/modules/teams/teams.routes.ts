// Management API routes for teams (Junction's "Team" tag in org-management-api.json): list, create, read,
// update, and minting Team API access tokens. Thin: each handler calls one use case.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ENVS } from '../../domain/enums.js';
import { errorResponses } from '../../http/error-responses.js';
import { OrgParams } from '../../http/wire.js';
import { MANAGEMENT_SECURITY, managementCaller } from '../orgs/org-access.js';
import { createAccessToken } from './create-access-token.js';
import { createTeam } from './create-team.js';
import { getTeam } from './get-team.js';
import { listTeams } from './list-teams.js';
import { toOrgTeam, toTeamListItem } from './team-view.js';
import {
  ClientFacingOrgTeam,
  ClientFacingOrgTeamListResponse,
  CreateAccessTokenBody,
  CreateOrgTeamBody,
  CreateTeamAccessTokenResponse,
  GetTeamQuery,
  IntegrationTeamIDConflictResponse,
  ListTeamsQuery,
  TeamParams,
  UpdateOrgTeamBody,
} from './teams.schemas.js';
import { updateTeam } from './update-team.js';

const TAGS = ['Team'];

/** Registers the team routes (Management API, X-Management-Key). */
export const teamsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/v1/org/:org_id/team',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'list_teams_in_org_v1_org__org_id__team_get',
        summary: 'List Teams In Org',
        tags: TAGS,
        params: OrgParams,
        querystring: ListTeamsQuery,
        response: { 200: ClientFacingOrgTeamListResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const { teams, nextCursor } = await listTeams({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        teamId: request.query.team_id,
        regions: request.query.region,
        searchQuery: request.query.search_query,
        nextCursor: request.query.next_cursor,
      });
      return { teams: teams.map(toTeamListItem), next_cursor: nextCursor };
    },
  );

  app.post(
    '/v1/org/:org_id/team',
    {
      config: { auth: { kind: 'management', roles: ['org_admin'] } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'create_team_in_org_v1_org__org_id__team_post',
        summary: 'Create Team In Org',
        tags: TAGS,
        params: OrgParams,
        body: CreateOrgTeamBody,
        response: { 200: ClientFacingOrgTeam, ...errorResponses(401, 403, 404, 413, 422, { 409: IntegrationTeamIDConflictResponse }) },
      },
    },
    async (request) => {
      const team = await createTeam({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        body: request.body,
      });
      return toOrgTeam(team);
    },
  );

  app.get(
    '/v1/org/:org_id/team/:team_id',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'get_team_in_org_v1_org__org_id__team__team_id__get',
        summary: 'Get Team In Org',
        description:
          "Without `include_environment`, both environments' settings are returned (Labroute); " +
          'with it, only the listed ones, the others being null (Junction).',
        tags: TAGS,
        params: TeamParams,
        querystring: GetTeamQuery,
        response: { 200: ClientFacingOrgTeam, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const team = await getTeam({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        teamId: request.params.team_id,
      });
      return toOrgTeam(team, request.query.include_environment ?? ENVS);
    },
  );

  app.patch(
    '/v1/org/:org_id/team/:team_id',
    {
      config: { auth: { kind: 'management', roles: ['org_admin'] } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'update_team_in_org_v1_org__org_id__team__team_id__patch',
        summary: 'Update Team In Org',
        tags: TAGS,
        params: TeamParams,
        body: UpdateOrgTeamBody,
        response: { 200: ClientFacingOrgTeam, ...errorResponses(400, 401, 403, 404, 413, 422, { 409: IntegrationTeamIDConflictResponse }) },
      },
    },
    async (request) => {
      const team = await updateTeam({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        teamId: request.params.team_id,
        body: request.body,
      });
      return toOrgTeam(team);
    },
  );

  app.post(
    '/v1/org/:org_id/team/:team_id/create_api_access_token',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'create_team_api_access_token_v1_org__org_id__team__team_id__create_api_access_token_post',
        summary: 'Create Team Api Access Token',
        tags: TAGS,
        params: TeamParams,
        body: CreateAccessTokenBody,
        response: { 200: CreateTeamAccessTokenResponse, ...errorResponses(401, 404, 413, 422) },
      },
    },
    async (request) => {
      const token = await createAccessToken({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        teamId: request.params.team_id,
        env: request.body.env,
      });
      return { access_token: token.accessToken, expires_in: token.expiresIn };
    },
  );
};
