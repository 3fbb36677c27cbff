// Routes of the teams module.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const teamsRoutes: FastifyPluginAsyncZod = async (_app) => {};
