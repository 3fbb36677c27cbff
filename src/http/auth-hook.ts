// Authentication and role checks, run first for every route (onRequest), so that 401 and 403 come before
// any 422 or 404 (SPEC.md §2 order of checks). Each route declares which key kind it takes in its config.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/database.js';
import type { ManagementRole } from '../domain/enums.js';
import { AppError } from '../domain/errors.js';
import {
  authenticateAccessToken,
  authenticateManagement,
  authenticateOperator,
  authenticateTeamKey,
} from '../modules/auth/authenticate.js';
import type { Principal } from '../modules/auth/principal.js';

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

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearerOf(request: FastifyRequest): string | undefined {
  const value = header(request, 'authorization');
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}

const unauthorized = (message: string): AppError => new AppError('unauthorized', message);

async function authenticateTeam(db: Queryable, request: FastifyRequest): Promise<Principal | null> {
  const apiKey = header(request, 'x-vital-api-key');
  if (apiKey) return authenticateTeamKey(db, apiKey);
  const bearer = bearerOf(request);
  if (bearer) return authenticateAccessToken(db, bearer);
  return null;
}

async function authenticateAny(db: Queryable, request: FastifyRequest): Promise<Principal | null> {
  const operatorKey = header(request, 'x-operator-key');
  if (operatorKey) return authenticateOperator(db, operatorKey);
  const managementKey = header(request, 'x-management-key') ?? header(request, 'x-vital-org-key');
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
      const key = header(request, 'x-operator-key');
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
      const key = header(request, 'x-management-key') ?? header(request, 'x-vital-org-key');
      const principal = key ? await authenticateManagement(db, key) : null;
      if (!principal) throw unauthorized('Missing or invalid management key (X-Management-Key)');
      if (requirement.roles && !requirement.roles.includes(principal.role)) {
        throw new AppError('forbidden', `This operation needs a management key with role ${requirement.roles.join(' or ')}`);
      }
      return principal;
    }
  }
}

export function registerAuth(app: FastifyInstance, db: Queryable): void {
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
}
