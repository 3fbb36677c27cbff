// Team use case: Junction's Create User, a patient of the team in its key's environment (`POST /v2/user`).
// A client_user_id is unique per team and environment; Junction answers a repeat with its own 400 body,
// naming the existing user.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { AppError, RawBodyError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { isUniqueViolation } from '../teams/teams.repository.js';
import { countUsers, findUserByClientId, insertUser, toClientFacingUser, type UserView } from './users.repository.js';

/** Junction's sandbox limit (reference §1.1). */
export const SANDBOX_USER_LIMIT = 50;

/** The user's fields as sent (Junction's UserCreateBody). */
export interface NewUser {
  client_user_id: string;
  fallback_time_zone?: string | null;
  fallback_birth_date?: string | null;
  ingestion_start?: string | null;
  ingestion_end?: string | null;
}

export interface CreateUserOptions {
  /** Root handle; the insert is one statement, and the unique index decides a race between two creates. */
  db: Queryable;
  /** The calling team; the user belongs to it in its key's environment. */
  principal: TeamPrincipal;
  /** The user as sent. */
  body: NewUser;
}

/** The new user; Junction's 400 body for a taken client_user_id, 400 bad_request past the sandbox limit. */
export async function createUser(options: CreateUserOptions): Promise<UserView> {
  const { db, principal: p, body } = options;
  const scope = { teamId: p.teamId, env: p.env };
  const conflict = async (): Promise<never> => {
    const existing = await findUserByClientId(db, scope, body.client_user_id);
    throw new RawBodyError(400, {
      detail: {
        error_type: 'INVALID_REQUEST',
        error_message: 'Client user id already exists.',
        user_id: existing?.id ?? '',
        created_on: existing ? new Date(existing.created_on).toISOString() : '',
      },
    });
  };
  if (await findUserByClientId(db, scope, body.client_user_id)) await conflict();
  if (p.env === 'sandbox' && (await countUsers(db, scope)) >= SANDBOX_USER_LIMIT) {
    throw new AppError('bad_request', `Sandbox teams are limited to ${SANDBOX_USER_LIMIT} users`);
  }
  const now = new Date().toISOString();
  try {
    const row = await insertUser(db, {
      id: randomUUID(),
      team_id: p.teamId,
      env: p.env,
      client_user_id: body.client_user_id,
      fallback_time_zone: body.fallback_time_zone ? { id: body.fallback_time_zone, source_slug: 'manual', updated_at: now } : null,
      fallback_birth_date: body.fallback_birth_date ? { value: body.fallback_birth_date, source_slug: 'manual', updated_at: now } : null,
      ingestion_start: body.ingestion_start ?? null,
      ingestion_end: body.ingestion_end ?? null,
    });
    return toClientFacingUser(row);
  } catch (error) {
    if (isUniqueViolation(error, 'users_client_id_idx')) return conflict();
    throw error;
  }
}
