// Team use case: Junction's Get User, one of the team's users by Labroute's id (`GET /v2/user/{user_id}`).
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { findUser, toClientFacingUser, type UserView } from './users.repository.js';

export interface GetUserOptions {
  /** Root handle (one read). */
  db: Queryable;
  /** The calling team; other teams' and environments' users are 404. */
  principal: TeamPrincipal;
  /** The user's id. */
  userId: string;
}

/** The user, or 404 user_not_found. */
export async function getUser(options: GetUserOptions): Promise<UserView> {
  const { principal: p } = options;
  const row = await findUser(options.db, { teamId: p.teamId, env: p.env }, options.userId);
  if (!row) throw new AppError('user_not_found', 'User not found');
  return toClientFacingUser(row);
}
