// The webhooks module's outbound LabAccountEvents: a change of an org's lab account becomes
// `lab_account.updated` ({event_type, org_id, data, before, after, at}) for the org's org-level endpoints.
import type { Outbox } from '../../db/outbox.js';
import type { LabAccountEvents } from '../lab-accounts/lab-account-events.js';
import { enqueueWebhookEvent } from './webhook-events.js';

/** Lab-account events delivered as webhooks through `outbox` (org accounts only: lab-account-events.ts filters). */
export function labAccountWebhooks(outbox: Outbox): LabAccountEvents {
  return {
    publish: async (tx, change) => {
      const orgId = change.after.org_id;
      if (orgId === null) return;
      await enqueueWebhookEvent(outbox, tx, {
        orgId,
        teamId: null,
        env: change.env,
        eventType: 'lab_account.updated',
        payload: {
          event_type: 'lab_account.updated',
          org_id: orgId,
          data: change.after,
          before: change.before,
          after: change.after,
          at: new Date().toISOString(),
        },
      });
    },
  };
}
