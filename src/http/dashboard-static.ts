// Serves the built dashboard (dist/dashboard) at /dashboard, with every unknown /dashboard/* path falling
// back to index.html so client-side routes survive a reload.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** dist/dashboard, whether this file runs compiled (dist/src/http) or from source (src/http). */
export function dashboardDirectory(): string | null {
  // From src/http the build is ../../dist/dashboard; from dist/src/http it is ../../dashboard. The dashboard's
  // source folder also has an index.html, so only a folder with built assets counts.
  const candidates = ['../../dist/dashboard', '../../dashboard'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(`${dir}/index.html`) && existsSync(`${dir}/assets`)) ?? null;
}

export async function registerDashboard(app: FastifyInstance): Promise<void> {
  const root = dashboardDirectory();
  if (!root) {
    app.get('/dashboard', { config: { auth: { kind: 'none' } }, schema: { hide: true } }, async (_request, reply) =>
      reply.code(503).type('text/plain').send('The dashboard is not built: run `npm run build`.'),
    );
    return;
  }
  await app.register(fastifyStatic, { root, prefix: '/dashboard/', decorateReply: true, index: ['index.html'], wildcard: false });
  app.get('/dashboard/*', { config: { auth: { kind: 'none' } }, schema: { hide: true } }, async (request, reply) => {
    // A missing asset is a 404; any other path is a client-side route.
    if (/\.[A-Za-z0-9]+$/.test(request.url.split('?')[0])) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
}
