// Who is calling: the result of authenticating one request. Every use case takes the principal and
// scopes its queries by it, so tenancy is enforced where the data is read.
import type { Env, ManagementRole, Region } from '../../domain/enums.js';

export interface OperatorPrincipal {
  kind: 'operator';
  keyId: string;
}

export interface ManagementPrincipal {
  kind: 'management';
  keyId: string;
  orgId: string;
  role: ManagementRole;
  /** Teams a team_admin key is bound to; empty for org_admin (who sees every team). */
  teamIds: string[];
}

export interface TeamPrincipal {
  kind: 'team';
  keyId: string;
  orgId: string;
  teamId: string;
  env: Env;
  region: Region;
  /** How the team authenticated: a long-lived API key or a 10-minute access token. */
  via: 'api_key' | 'access_token';
}

export type Principal = OperatorPrincipal | ManagementPrincipal | TeamPrincipal;
export type PrincipalKind = Principal['kind'];

/** The actor recorded in the audit log for a change. */
export interface Actor {
  kind: PrincipalKind | 'system';
  key_id: string | null;
}

export function actorOf(principal: Principal | null): Actor {
  return principal ? { kind: principal.kind, key_id: principal.keyId } : { kind: 'system', key_id: null };
}

/** Whether a management principal may act on `teamId` (org admins may act on every team of their org). */
export function managesTeam(principal: ManagementPrincipal, teamId: string): boolean {
  return principal.role === 'org_admin' || principal.teamIds.includes(teamId);
}
