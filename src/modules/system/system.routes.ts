// Health, identity and the generated API document: the routes every deployment and client needs first.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { errorResponses } from '../../http/error-responses.js';
import { Env, ManagementRole, Region } from '../../http/wire.js';

const WhoAmI = z
  .object({
    kind: z.enum(['operator', 'management', 'team']),
    org_id: z.string().nullable(),
    team_id: z.string().optional(),
    env: Env.optional(),
    region: Region.optional(),
    role: ManagementRole.optional(),
    team_role_bindings: z.array(z.object({ team_id: z.string() })).optional(),
    key_id: z.string(),
    via: z.enum(['api_key', 'access_token']).optional(),
  })
  .meta({ id: 'WhoAmIResponse' });

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    {
      config: { auth: { kind: 'none' } },
      schema: { hide: true },
    },
    async (_request, reply) => {
      const ok = await app.deps.database.ping();
      if (!ok) throw new AppError('overloaded', 'Database is not answering', {}, { 'retry-after': '5' });
      return reply.send({ status: 'ok' });
    },
  );

  app.get('/openapi.json', { config: { auth: { kind: 'none' } }, schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/whoami',
    {
      config: { auth: { kind: 'any' } },
      schema: {
        operationId: 'whoami',
        summary: 'Describe the calling key (Labroute extension)',
        tags: ['Labroute'],
        response: { 200: WhoAmI, ...errorResponses(401) },
      },
    },
    async (request) => {
      const p = request.principal!;
      switch (p.kind) {
        case 'operator':
          return { kind: 'operator' as const, org_id: null, key_id: p.keyId };
        case 'management':
          return {
            kind: 'management' as const,
            org_id: p.orgId,
            role: p.role,
            key_id: p.keyId,
            team_role_bindings: p.teamIds.map((team_id) => ({ team_id })),
          };
        case 'team':
          return {
            kind: 'team' as const,
            org_id: p.orgId,
            team_id: p.teamId,
            env: p.env,
            region: p.region,
            key_id: p.keyId,
            via: p.via,
          };
      }
    },
  );
};
