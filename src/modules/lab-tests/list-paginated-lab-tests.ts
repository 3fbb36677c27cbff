// Team use case: Junction's Get Paginated Lab Tests For Team, the matching catalogue a page at a time
// (`GET /v3/lab_test`). Cursor paging follows the stable creation order; a custom order pages by an offset
// carried inside the cursor.
import type { DB } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from '../lab-accounts/lab-account-cache.js';
import { type LabTestCriteria, labTestFilter } from './lab-test-filter.js';
import { findLabTests, toClientFacingLabTest } from './lab-tests.repository.js';
import type { ClientFacingLabTest } from './lab-tests.schemas.js';

export interface ListPaginatedLabTestsOptions {
  /** Root handle (reads only). */
  db: DB;
  /** The app's lab-account cache, which tells which accounts the team may use. */
  labAccountCache: LabAccountCache;
  /** The calling team; its key's cell is the catalogue read. */
  principal: TeamPrincipal;
  /** What the team asks for. */
  criteria: LabTestCriteria;
  /** Tests per page. */
  limit: number;
  /** The `next_cursor` of the previous page; omitted: the first page. */
  nextCursor?: string;
}

/** One page of matching tests and the cursor of the next (null on the last page). */
export async function listPaginatedLabTests(
  options: ListPaginatedLabTestsOptions,
): Promise<{ data: ClientFacingLabTest[]; next_cursor: string | null }> {
  const { db, principal, limit } = options;
  const filter = await labTestFilter(options.labAccountCache, principal, options.criteria);
  if (!filter) return { data: [], next_cursor: null };
  const cursor = options.nextCursor ? decodeCursor(options.nextCursor) : null;
  const offset = cursor && typeof cursor.offset === 'number' ? cursor.offset : 0;
  const rows = filter.order
    ? (await findLabTests(db, principal, filter)).slice(offset, offset + limit + 1)
    : await findLabTests(db, principal, { ...filter, afterSeq: cursor ? String(cursor.after) : undefined, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  const next = !more
    ? null
    : filter.order
      ? encodeCursor({ after: offset + limit, offset: offset + limit })
      : encodeCursor({ after: page[page.length - 1].seq });
  return { data: page.map(toClientFacingLabTest), next_cursor: next };
}
