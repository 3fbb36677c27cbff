// Operator use case: the unmatched results no team can see, for the operator to sort out (`GET /operator/v1/unmatched_results`).
import type { Queryable } from '../../db/database.js';
import { listOperatorOnlyUnmatched } from './results.repository.js';
import type { UnmatchedResult } from './results.schemas.js';
import { toUnmatchedResult } from './unmatched-view.js';

/** The list is not paged: it shows at most this many, newest first. */
const OPERATOR_UNMATCHED_LIMIT = 500;

export interface ListOperatorUnmatchedResultsOptions {
  /** Root handle (one read). */
  db: Queryable;
}

/** The newest unmatched results that neither a team nor an account with linked teams names, shown in full. */
export async function listOperatorUnmatchedResults(options: ListOperatorUnmatchedResultsOptions): Promise<UnmatchedResult[]> {
  const rows = await listOperatorOnlyUnmatched(options.db, OPERATOR_UNMATCHED_LIMIT);
  return rows.map((row) => toUnmatchedResult(row, true));
}
