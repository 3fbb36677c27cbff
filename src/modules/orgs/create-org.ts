// Use case: the operator creates an org (CONTRACT.md "Operator API"), audited.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type OperatorPrincipal } from '../auth/principal.js';
import { insertOrg, type OrgRow } from './orgs.repository.js';

export interface CreateOrgOptions {
  db: DB;
  principal: OperatorPrincipal;
  name: string;
}

/** Creates an org with a new id and records `org.created`. */
export async function createOrg({ db, principal, name }: CreateOrgOptions): Promise<OrgRow> {
  const org: OrgRow = { id: randomUUID(), name };
  await db.transaction().execute(async (tx) => {
    await insertOrg(tx, org);
    await recordAudit(tx, {
      orgId: org.id,
      subjectType: 'org',
      subjectId: org.id,
      actor: actorOf(principal),
      action: 'org.created',
      before: null,
      after: org,
    });
  });
  return org;
}
