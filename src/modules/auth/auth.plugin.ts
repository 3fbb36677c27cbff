// Authentication and role checks, run first for every route (onRequest), so that 401 and 403 come before
// any 422 or 404 (SPEC.md §2 order of checks). Each route declares which key kind it takes in its config;
// the hook puts the caller on `request.principal`. app.ts registers it after body parsing and before
// request validation.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Queryable } from '../../db/database.js';
import type { ManagementRole } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import { bearerTokenOf, managementKeyOf, operatorKeyOf, teamApiKeyOf } from '../../http/credentials.js';
import { authenticateAccessToken, authenticateManagement, authenticateOperator, authenticateTeamKey } from './authenticate.js';
import type { Principal } from './principal.js';

/** What a route accepts. `none` routes are public (health, docs). */
export type AuthRequirement =
  | { kind: 'none' }
  | { kind: 'any' }
  | { kind: 'operator' }
  | { kind: 'team' }
  | { kind: 'management'; roles?: readonly ManagementRole[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const PUBLIC_PREFIXES = ['/dashboard', '/docs'];

const unauthorized = (message: string): AppError => new AppError('unauthorized', message);

async function authenticateTeam(db: Queryable, request: FastifyRequest): Promise<Principal | null> {
  const apiKey = teamApiKeyOf(request);
  if (apiKey) return authenticateTeamKey(db, apiKey);
  const bearer = bearerTokenOf(request);
  if (bearer) return authenticateAccessToken(db, bearer);
  return null;
}

async function authenticateAny(db: Queryable, request: FastifyRequest): Promise<Principal | null> {
  const operatorKey = operatorKeyOf(request);
  if (operatorKey) return authenticateOperator(db, operatorKey);
  const managementKey = managementKeyOf(request);
  if (managementKey) return authenticateManagement(db, managementKey);
  return authenticateTeam(db, request);
}

/** Resolves the caller for `requirement`, or throws 401/403. */
export async function authorize(db: Queryable, request: FastifyRequest, requirement: AuthRequirement): Promise<Principal | null> {
  switch (requirement.kind) {
    case 'none':
      return null;
    case 'any': {
      const principal = await authenticateAny(db, request);
      if (!principal) throw unauthorized('Missing or invalid API key');
      return principal;
    }
    case 'operator': {
      const key = operatorKeyOf(request);
      const principal = key ? await authenticateOperator(db, key) : null;
      if (!principal) throw unauthorized('Missing or invalid operator key (X-Operator-Key)');
      return principal;
    }
    case 'team': {
      const principal = await authenticateTeam(db, request);
      if (!principal) throw unauthorized('Missing or invalid team API key (x-vital-api-key) or access token');
      return principal;
    }
    case 'management': {
      const key = managementKeyOf(request);
      const principal = key ? await authenticateManagement(db, key) : null;
      if (!principal) throw unauthorized('Missing or invalid management key (X-Management-Key)');
      if (requirement.roles && !requirement.roles.includes(principal.role)) {
        throw new AppError('forbidden', `This operation needs a management key with role ${requirement.roles.join(' or ')}`);
      }
      return principal;
    }
  }
}

export interface AuthPluginOptions {
  /** The handle keys are looked up on (the root handle: authentication runs outside any transaction). */
  db: Queryable;
}

const auth: FastifyPluginAsync<AuthPluginOptions> = async (app, { db }) => {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const requirement = request.routeOptions.config?.auth;
    const url = request.routeOptions.url;
    // Unknown routes reach the not-found handler unauthenticated (a plain 404 reveals nothing).
    if (!url) return;
    // Routes registered by plugins (dashboard files, the docs page) cannot carry our config: they are public.
    // Any other route that forgot to declare its auth is denied by default.
    const fallback: AuthRequirement = PUBLIC_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))
      ? { kind: 'none' }
      : { kind: 'operator' };
    request.principal = await authorize(db, request, requirement ?? fallback);
  });
};

/**
 * The authentication hook and `request.principal`, for the whole app (fastify-plugin: not encapsulated, so
 * the hook runs for every route registered after it).
 */
export default fp(auth, { name: 'auth' });
