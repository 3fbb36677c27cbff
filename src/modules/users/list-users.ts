// Team use case: Junction's Get Teams Users, the team's users in its key's environment, offset-paged (`GET /v2/user`).
import type { Queryable } from '../../db/database.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { countUsers, listUsers as selectUsers, toClientFacingUser, type UserView } from './users.repository.js';

export interface ListUsersOptions {
  /** Root handle (reads only). */
  db: Queryable;
  /** The calling team. */
  principal: TeamPrincipal;
  /** Users to skip, oldest first. */
  offset: number;
  /** Users per page. */
  limit: number;
}

/** One page of users, oldest first, and how many the team has in all. */
export async function listUsers(options: ListUsersOptions): Promise<{ users: UserView[]; total: number }> {
  const { db, principal: p } = options;
  const scope = { teamId: p.teamId, env: p.env };
  const [rows, total] = await Promise.all([selectUsers(db, scope, options.offset, options.limit), countUsers(db, scope)]);
  return { users: rows.map(toClientFacingUser), total };
}
