// Team use case: Junction's List Unmatched Results, the results the team may review, newest first and
// cursor-paged, with the total that match (`GET /v3/unmatched_result`).
import type { DB } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { countTeamUnmatched, listTeamUnmatched, type UnmatchedFilter } from './results.repository.js';
import type { UnmatchedResult } from './results.schemas.js';
import { toUnmatchedResult } from './unmatched-view.js';

const DAY_MS = 86_400_000;

/** The list's filters, as Junction names them. */
export interface UnmatchedCriteria {
  /** Only results with this match decision. */
  decisionCode?: string;
  /** Only results of this lab. */
  lab?: string;
  /** Only results in this review status. */
  status?: string;
  /** Only results created on or after this day (`YYYY-MM-DD`, UTC). */
  createdAtStart?: string;
  /** Only results created on or before this day (`YYYY-MM-DD`, UTC; the whole day counts). */
  createdAtEnd?: string;
  /** Only results whose quoted sample id, account number or quoted order id equals this. */
  searchInput?: string;
}

export interface ListUnmatchedResultsOptions {
  /** Root handle (reads only). */
  db: DB;
  /** The calling team: it sees results naming it, or delivered under an account linked to it, in its cell. */
  principal: TeamPrincipal;
  /** What the team asks for. */
  criteria: UnmatchedCriteria;
  /** Results per page. */
  limit: number;
  /** The `next_cursor` of the previous page; omitted: the newest results. */
  nextCursor?: string;
}

/** One page, the cursor of the next (null on the last page) and how many match in all. */
export async function listUnmatchedResults(
  options: ListUnmatchedResultsOptions,
): Promise<{ data: UnmatchedResult[]; next_cursor: string | null; total: number }> {
  const { db, principal: p, criteria, limit } = options;
  const scope = { teamId: p.teamId, env: p.env, region: p.region };
  const filter: UnmatchedFilter = {
    decisionCode: criteria.decisionCode,
    lab: criteria.lab,
    status: criteria.status,
    createdFrom: criteria.createdAtStart ? new Date(`${criteria.createdAtStart}T00:00:00Z`) : undefined,
    createdBefore: criteria.createdAtEnd ? new Date(new Date(`${criteria.createdAtEnd}T00:00:00Z`).getTime() + DAY_MS) : undefined,
    search: criteria.searchInput,
  };
  const total = await countTeamUnmatched(db, scope, filter);
  const after = options.nextCursor ? Number(decodeCursor(options.nextCursor)?.after) : null;
  const fetched = await listTeamUnmatched(db, scope, filter, { beforeSeq: after !== null ? String(after) : undefined, limit: limit + 1 });
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  return {
    data: rows.map((row) => toUnmatchedResult(row)),
    next_cursor: more ? encodeCursor({ after: Number(rows[rows.length - 1].seq) }) : null,
    total,
  };
}
