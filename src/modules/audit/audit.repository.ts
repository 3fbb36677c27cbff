// The audit log: one row per change made through any API, with who made it and the object before and
// after. Written in the same transaction as the change it describes.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../auth/principal.js';

export interface AuditEntry {
  orgId: string | null;
  subjectType: 'org' | 'team' | 'management_key' | 'team_api_key' | 'lab_account' | 'lab_test' | 'order' | 'result' | 'webhook_endpoint';
  subjectId: string;
  actor: Actor;
  /** A verb in snake case, e.g. `lab_account.created`, `lab_account.team_id_allowlist_updated`. */
  action: string;
  before: unknown;
  after: unknown;
}

/** The audit row for `entry` (for callers that write it as part of a larger statement). */
export function auditRow(entry: AuditEntry) {
  return {
    id: randomUUID(),
    org_id: entry.orgId,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    actor_kind: entry.actor.kind,
    actor_key_id: entry.actor.key_id,
    action: entry.action,
    before: JSON.stringify(entry.before ?? null),
    after: JSON.stringify(entry.after ?? null),
  };
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<string> {
  const row = auditRow(entry);
  await db.insertInto('audit_log').values(row).execute();
  return row.id;
}
