// Use case: the org's webhook endpoints, oldest first, secrets masked (`GET /v1/org/{org_id}/webhook_endpoints`).
// A team_admin sees only the endpoints of its bound teams.
import type { Queryable } from '../../db/database.js';
import type { Env } from '../../domain/enums.js';
import type { ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { maskSecret } from './svix-signature.js';
import { listEndpoints } from './webhooks.repository.js';
import type { WebhookEndpoint } from './webhooks.schemas.js';

export interface ListWebhookEndpointsOptions {
  db: Queryable;
  principal: ManagementPrincipal;
  orgId: string;
}

export async function listWebhookEndpoints({ db, principal, orgId }: ListWebhookEndpointsOptions): Promise<WebhookEndpoint[]> {
  assertOrgInScope(principal, orgId);
  const rows = await listEndpoints(db, { orgId, teamIds: visibleTeamIds(principal) });
  return rows.map((row) => ({ ...row, env: row.env as Env, secret: maskSecret(row.secret) }));
}
