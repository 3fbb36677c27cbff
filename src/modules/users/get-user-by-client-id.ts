// Team use case: Junction's Get User By Client User Id, one of the team's users by the customer's own id
// (`GET /v2/user/resolve/{client_user_id}`).
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { findUserByClientId, toClientFacingUser, type UserView } from './users.repository.js';

export interface GetUserByClientIdOptions {
  /** Root handle (one read). */
  db: Queryable;
  /** The calling team; the id is looked up among its users in its key's environment. */
  principal: TeamPrincipal;
  /** The customer's id for the user. */
  clientUserId: string;
}

/** The user, or 404 user_not_found. */
export async function getUserByClientId(options: GetUserByClientIdOptions): Promise<UserView> {
  const { principal: p } = options;
  const row = await findUserByClientId(options.db, { teamId: p.teamId, env: p.env }, options.clientUserId);
  if (!row) throw new AppError('user_not_found', 'User not found');
  return toClientFacingUser(row);
}
