// Routes of the lab-accounts module.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const labAccountsRoutes: FastifyPluginAsyncZod = async (_app) => {};
