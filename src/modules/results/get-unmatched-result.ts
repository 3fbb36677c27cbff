// Team use case: Junction's Get Unmatched Result, one result the team may review (`GET /v3/unmatched_result/{raw_result_id}`).
import type { DB } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { findUnmatchedForTeam } from './results.repository.js';
import type { UnmatchedResult } from './results.schemas.js';
import { toUnmatchedResult } from './unmatched-view.js';

export interface GetUnmatchedResultOptions {
  /** Root handle (one read). */
  db: DB;
  /** The calling team; results it may not see are 404. */
  principal: TeamPrincipal;
  /** The unmatched result's id. */
  id: string;
}

/** The result, or 404 unmatched_result_not_found. */
export async function getUnmatchedResult(options: GetUnmatchedResultOptions): Promise<UnmatchedResult> {
  const { principal: p } = options;
  const row = await findUnmatchedForTeam(options.db, { teamId: p.teamId, env: p.env, region: p.region }, options.id);
  if (!row) throw new AppError('unmatched_result_not_found', 'Unmatched result not found');
  return toUnmatchedResult(row);
}
