// Tenancy guard for the Management API: a management key acts only inside its own org. Another org's id in
// the path is a 404 (never a 403), so a key learns nothing about orgs it does not belong to.
import { AppError, notFound } from '../../domain/errors.js';
import type { ManagementPrincipal, Principal } from '../auth/principal.js';

/** The authenticated management caller; routes declare `auth: {kind: 'management'}`, so anything else is a bug. */
export function managementCaller(principal: Principal | null): ManagementPrincipal {
  if (principal?.kind !== 'management') {
    throw new AppError('unauthorized', 'Missing or invalid management key (X-Management-Key)');
  }
  return principal;
}

/** Throws 404 unless `orgId` (from the path) is the caller's org. */
export function assertOrgInScope(principal: ManagementPrincipal, orgId: string): void {
  if (principal.orgId !== orgId) throw notFound('not_found', 'Org');
}

/**
 * The teams a management caller may see, as a filter: `null` means every team of its org (org_admin), a
 * list restricts to the bound teams (team_admin; possibly empty).
 */
export function visibleTeamIds(principal: ManagementPrincipal): string[] | null {
  return principal.role === 'org_admin' ? null : principal.teamIds;
}

/** OpenAPI security requirement of Management API operations (X-Management-Key). */
export const MANAGEMENT_SECURITY = [{ ManagementKey: [] as string[] }];
