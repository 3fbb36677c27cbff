// Use case: register a webhook endpoint (`POST /v1/org/{org_id}/webhook_endpoints`). Org endpoints (team_id
// null) are org_admin's; a team endpoint needs a team of the org the caller may manage. The target must be a
// URL that may receive webhooks (url-safety.ts). The secret is returned once here, masked everywhere else.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import { AppError, notFound } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type ManagementPrincipal } from '../auth/principal.js';
import { assertOrgInScope, visibleTeamIds } from '../orgs/org-access.js';
import { findTeam } from '../teams/teams.repository.js';
import { newWebhookSecret } from './svix-signature.js';
import { webhookUrlProblem } from './url-safety.js';
import { insertEndpoint } from './webhooks.repository.js';
import type { CreateWebhookEndpointBody, WebhookEndpoint } from './webhooks.schemas.js';

export interface CreateWebhookEndpointOptions {
  db: DB;
  principal: ManagementPrincipal;
  orgId: string;
  body: CreateWebhookEndpointBody;
  /** LABROUTE_WEBHOOK_ALLOW_PRIVATE: loopback and private targets allowed. */
  allowPrivate: boolean;
}

/** Creates the endpoint (audited) and returns it with its secret. */
export async function createWebhookEndpoint(options: CreateWebhookEndpointOptions): Promise<WebhookEndpoint> {
  const { db, principal, orgId, body } = options;
  assertOrgInScope(principal, orgId);
  const teamId = body.team_id ?? null;
  if (teamId === null && principal.role !== 'org_admin')
    throw new AppError('forbidden', 'Only org_admin keys manage org-level webhook endpoints');
  if (teamId !== null && !(await findTeam(db, orgId, teamId, { visible: visibleTeamIds(principal) })))
    throw notFound('team_not_found', 'Team');
  const problem = await webhookUrlProblem(body.url, options.allowPrivate);
  if (problem) throw new AppError('bad_request', problem);
  const endpoint: WebhookEndpoint = {
    id: randomUUID(),
    url: body.url,
    env: body.env,
    team_id: teamId,
    event_types: body.event_types ?? null,
    secret: newWebhookSecret(),
  };
  await db.transaction().execute(async (tx) => {
    await insertEndpoint(tx, {
      id: endpoint.id,
      orgId,
      teamId,
      env: endpoint.env,
      url: endpoint.url,
      eventTypes: endpoint.event_types,
      secret: endpoint.secret,
    });
    await recordAudit(tx, {
      orgId,
      subjectType: 'webhook_endpoint',
      subjectId: endpoint.id,
      actor: actorOf(principal),
      action: 'webhook_endpoint.created',
      before: null,
      after: { url: endpoint.url, env: endpoint.env, team_id: teamId },
    });
  });
  return endpoint;
}
