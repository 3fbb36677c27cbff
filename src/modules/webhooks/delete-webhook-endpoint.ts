// Use case: delete a webhook endpoint (`DELETE /v1/org/{org_id}/webhook_endpoints/{endpoint_id}`). Nothing more
// is sent to it: its pending deliveries fail with "endpoint deleted" in the same transaction. A team_admin may
// delete only its bound teams' endpoints (others are not found).
import type { DB } from '../../db/database.js';
import type { Outbox } from '../../db/outbox.js';
import { notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type ManagementPrincipal, managesTeam } from '../auth/principal.js';
import { assertOrgInScope } from '../orgs/org-access.js';
import { WEBHOOK_CONSUMER } from './webhook-events.js';
import { findEndpoint, markEndpointDeleted } from './webhooks.repository.js';

export interface DeleteWebhookEndpointOptions {
  db: DB;
  outbox: Outbox;
  principal: ManagementPrincipal;
  orgId: string;
  endpointId: string;
}

export async function deleteWebhookEndpoint({ db, outbox, principal, orgId, endpointId }: DeleteWebhookEndpointOptions): Promise<void> {
  assertOrgInScope(principal, orgId);
  const endpoint = await findEndpoint(db, orgId, endpointId);
  if (!endpoint || (principal.role === 'team_admin' && (!endpoint.team_id || !managesTeam(principal, endpoint.team_id))))
    throw notFound('not_found', 'Webhook endpoint');
  await db.transaction().execute(async (tx) => {
    await markEndpointDeleted(tx, endpointId);
    await outbox.cancel(tx, WEBHOOK_CONSUMER, endpointId, 'endpoint deleted');
    await recordAudit(tx, {
      orgId,
      subjectType: 'webhook_endpoint',
      subjectId: endpointId,
      actor: actorOf(principal),
      action: 'webhook_endpoint.deleted',
      before: { url: endpoint.url },
      after: null,
    });
  });
}
