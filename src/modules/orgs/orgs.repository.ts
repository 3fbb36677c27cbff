// Queries on the orgs table. Orgs are global (not cell-scoped); every read is by id.
import type { Queryable } from '../../db/database.js';

export interface OrgRow {
  id: string;
  name: string;
}

/** Inserts a new org. */
export async function insertOrg(db: Queryable, org: OrgRow): Promise<void> {
  await db.insertInto('orgs').values({ id: org.id, name: org.name }).execute();
}

/** The org with `id`, or undefined. */
export async function findOrg(db: Queryable, id: string): Promise<OrgRow | undefined> {
  return db.selectFrom('orgs').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

/** Renames org `id`; returns the new row, or undefined when it does not exist. */
export async function renameOrg(db: Queryable, id: string, name: string): Promise<OrgRow | undefined> {
  return db.updateTable('orgs').set({ name }).where('id', '=', id).returning(['id', 'name']).executeTakeFirst();
}
