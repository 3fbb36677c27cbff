// Routes of the lab-tests module.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const labTestsRoutes: FastifyPluginAsyncZod = async (_app) => {};
