// Management API routes on the org itself: `GET /v1/org/{org_id}` (both roles) and `PATCH` (org_admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-responses.js';
import { OrgParams } from '../../http/wire.js';
import { getOrg } from './get-org.js';
import { MANAGEMENT_SECURITY, managementCaller } from './org-access.js';
import { ClientFacingOrg, UpdateOrgBody } from './orgs.schemas.js';
import { updateOrg } from './update-org.js';

/** Labroute orgs never expire (Junction's `expires_at` is for trial orgs). */
const toClientFacingOrg = (org: { id: string; name: string }) => ({ id: org.id, name: org.name, expires_at: null });

/** Registers `GET/PATCH /v1/org/{org_id}` (Management API). */
export const orgsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/v1/org/:org_id',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'get_org_v1_org__org_id__get',
        summary: 'Get Org',
        tags: ['Org'],
        params: OrgParams,
        response: { 200: ClientFacingOrg, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const org = await getOrg({ db, principal: managementCaller(request.principal), orgId: request.params.org_id });
      return toClientFacingOrg(org);
    },
  );

  app.patch(
    '/v1/org/:org_id',
    {
      config: { auth: { kind: 'management', roles: ['org_admin'] } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'update_org_v1_org__org_id__patch',
        summary: 'Update Org',
        tags: ['Org'],
        params: OrgParams,
        body: UpdateOrgBody,
        response: { 200: ClientFacingOrg, ...errorResponses(401, 403, 404, 413, 422) },
      },
    },
    async (request) => {
      const org = await updateOrg({
        db,
        principal: managementCaller(request.principal),
        orgId: request.params.org_id,
        name: request.body.name,
      });
      return toClientFacingOrg(org);
    },
  );
};
