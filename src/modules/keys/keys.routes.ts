// Management API routes for keys: team API keys per cell (Junction's "Team API Keys" tag) and the org's
// management keys ("Management Key" tag; org_admin only). Thin: each handler calls one use case.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-responses.js';
import { OrgCellParams, OrgParams } from '../../http/wire.js';
import { MANAGEMENT_SECURITY, managementCaller } from '../orgs/org-access.js';
import { createManagementKey } from './create-management-key.js';
import { createTeamApiKey } from './create-team-api-key.js';
import { deleteManagementKey } from './delete-management-key.js';
import { deleteTeamApiKeys } from './delete-team-api-keys.js';
import { toManagementKey, toManagementKeyUnhashed, toTeamApiKey } from './key-view.js';
import {
  ClientFacingManagementKey,
  ClientFacingManagementKeyResponse,
  ClientFacingManagementKeyUnhashed,
  ClientFacingTeamAPIKey,
  ClientFacingTeamAPIKeyResponse,
  CreateManagementKeyBody,
  CreateTeamAPIKeyBody,
  DeleteTeamApiKeysQuery,
  DeleteTeamApiKeysResponse,
  ListManagementKeysQuery,
  ListTeamApiKeysQuery,
  ManagementKeyParams,
  PatchManagementKeyBody,
  RemoveManagementKeyResponse,
} from './keys.schemas.js';
import { listManagementKeys } from './list-management-keys.js';
import { listTeamApiKeys } from './list-team-api-keys.js';
import { updateManagementKey } from './update-management-key.js';

const ORG_ADMIN = { kind: 'management', roles: ['org_admin'] } as const;

/** Registers the team API key and management key routes (Management API, X-Management-Key). */
export const keysRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  // ------------------------------------------------------------------------------------------ team API keys

  app.get(
    '/v1/org/:org_id/team_api_keys/:env/:region',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'list_team_api_keys_v1_org__org_id__team_api_keys__env___region__get',
        summary: 'List Team Api Keys',
        tags: ['Team API Keys'],
        params: OrgCellParams,
        querystring: ListTeamApiKeysQuery,
        response: { 200: ClientFacingTeamAPIKeyResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const { keys, nextCursor } = await listTeamApiKeys({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        env: request.params.env,
        region: request.params.region,
        teamId: request.query.team_id,
        nextCursor: request.query.next_cursor,
      });
      return { api_keys: keys.map((row) => toTeamApiKey(row)), next_cursor: nextCursor };
    },
  );

  app.post(
    '/v1/org/:org_id/team_api_keys/:env/:region',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'create_team_api_key_v1_org__org_id__team_api_keys__env___region__post',
        summary: 'Create Team Api Key',
        tags: ['Team API Keys'],
        params: OrgCellParams,
        body: CreateTeamAPIKeyBody,
        response: { 200: ClientFacingTeamAPIKey, ...errorResponses(400, 401, 404, 413, 422) },
      },
    },
    async (request) => {
      const { row, key } = await createTeamApiKey({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        env: request.params.env,
        region: request.params.region,
        teamId: request.body.team_id,
        label: request.body.label,
      });
      return toTeamApiKey(row, key);
    },
  );

  app.delete(
    '/v1/org/:org_id/team_api_keys/:env/:region',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'delete_team_api_keys_v1_org__org_id__team_api_keys__env___region__delete',
        summary: 'Delete Team Api Keys',
        tags: ['Team API Keys'],
        params: OrgCellParams,
        querystring: DeleteTeamApiKeysQuery,
        response: { 200: DeleteTeamApiKeysResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) =>
      deleteTeamApiKeys({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        env: request.params.env,
        region: request.params.region,
        apiKeyIds: request.query.api_key_id,
      }),
  );

  // ------------------------------------------------------------------------------------------ management keys

  app.get(
    '/v1/org/:org_id/management_key',
    {
      config: { auth: ORG_ADMIN },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'list_management_key_v1_org__org_id__management_key_get',
        summary: 'List Management Key',
        tags: ['Management Key'],
        params: OrgParams,
        querystring: ListManagementKeysQuery,
        response: { 200: ClientFacingManagementKeyResponse, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { keys, nextCursor } = await listManagementKeys({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        role: request.query.role,
        teamId: request.query.team_id,
        nextCursor: request.query.next_cursor,
      });
      return { data: keys.map(toManagementKey), next_cursor: nextCursor };
    },
  );

  app.post(
    '/v1/org/:org_id/management_key',
    {
      config: { auth: ORG_ADMIN },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'create_management_key_v1_org__org_id__management_key_post',
        summary: 'Create Management Key',
        tags: ['Management Key'],
        params: OrgParams,
        body: CreateManagementKeyBody,
        response: { 200: ClientFacingManagementKeyUnhashed, ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request) => {
      const { row, key } = await createManagementKey({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        body: request.body,
      });
      return toManagementKeyUnhashed(row, key);
    },
  );

  app.patch(
    '/v1/org/:org_id/management_key/:key_id',
    {
      config: { auth: ORG_ADMIN },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'patch_management_key_v1_org__org_id__management_key__key_id__patch',
        summary: 'Patch Management Key',
        tags: ['Management Key'],
        params: ManagementKeyParams,
        body: PatchManagementKeyBody,
        response: { 200: ClientFacingManagementKey, ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request) => {
      const row = await updateManagementKey({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        keyId: request.params.key_id,
        body: request.body,
      });
      return toManagementKey(row);
    },
  );

  app.delete(
    '/v1/org/:org_id/management_key/:key_id',
    {
      config: { auth: ORG_ADMIN },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'remove_management_key_v1_org__org_id__management_key__key_id__delete',
        summary: 'Remove Management Key',
        tags: ['Management Key'],
        params: ManagementKeyParams,
        response: { 200: RemoveManagementKeyResponse, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const row = await deleteManagementKey({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        keyId: request.params.key_id,
      });
      return toManagementKey(row);
    },
  );
};
