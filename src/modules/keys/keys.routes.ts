// Routes of the keys module.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const keysRoutes: FastifyPluginAsyncZod = async (_app) => {};
