// Operator API (`/operator/v1`, header X-Operator-Key; CONTRACT.md "Operator API"): the deployment's
// operator creates orgs and their first management keys. Every change is audited by the use cases.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../domain/errors.js';
import { errorResponses } from '../../http/error-responses.js';
import { OrgParams } from '../../http/wire.js';
import type { OperatorPrincipal, Principal } from '../auth/principal.js';
import { createManagementKey } from '../keys/create-management-key.js';
import { toManagementKeyUnhashed } from '../keys/key-view.js';
import { ClientFacingManagementKeyUnhashed, CreateManagementKeyBody } from '../keys/keys.schemas.js';
import { createOrg } from '../orgs/create-org.js';
import { CreatedOrg, CreateOrgBody } from '../orgs/orgs.schemas.js';

const TAGS = ['Operator'];
const OPERATOR_SECURITY = [{ OperatorKey: [] as string[] }];

/** The authenticated operator; these routes declare `auth: {kind: 'operator'}`. */
function operatorCaller(principal: Principal | null): OperatorPrincipal {
  if (principal?.kind !== 'operator') throw new AppError('unauthorized', 'Missing or invalid operator key (X-Operator-Key)');
  return principal;
}

/** Registers the operator routes for orgs and management keys; app.ts mounts them under `/operator/v1`. */
export const operatorRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.post(
    '/orgs',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        security: OPERATOR_SECURITY,
        operationId: 'operator_create_org',
        summary: 'Create an org (operator)',
        tags: TAGS,
        body: CreateOrgBody,
        response: { 201: CreatedOrg, ...errorResponses(401, 413, 422) },
      },
    },
    async (request, reply) => {
      const org = await createOrg({ db, principal: operatorCaller(request.principal), name: request.body.name });
      return reply.code(201).send({ id: org.id, name: org.name });
    },
  );

  app.post(
    '/orgs/:org_id/management_keys',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        security: OPERATOR_SECURITY,
        operationId: 'operator_create_management_key',
        summary: 'Create a management key for an org (operator)',
        tags: TAGS,
        params: OrgParams,
        body: CreateManagementKeyBody,
        response: { 201: ClientFacingManagementKeyUnhashed, ...errorResponses(400, 401, 404, 413, 422) },
      },
    },
    async (request, reply) => {
      const { row, key } = await createManagementKey({
        db,
        principal: operatorCaller(request.principal),
        orgId: request.params.org_id,
        body: request.body,
      });
      return reply.code(201).send(toManagementKeyUnhashed(row, key));
    },
  );
};
