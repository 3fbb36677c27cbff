// Cursor paging over a table's `seq` column for the Management API's lists (teams, team API keys,
// management keys): the opaque cursor is src/http/cursor.ts's `{after: <seq>}`.
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';

/** `next_cursor` query parameter: an opaque cursor whose `after` is a seq (digits); anything else is a 422. */
export const SeqCursorParam = z
  .string()
  .max(512)
  .refine((value) => /^\d{1,18}$/.test(String(decodeCursor(value)?.after)), {
    params: { pydantic: { type: 'value_error', msg: 'Value error, invalid cursor', ctx: { error: 'invalid cursor' } } },
  });

/** The seq after which the page starts, from a validated cursor (undefined: first page). */
export function seqAfter(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : String(decodeCursor(cursor)?.after);
}

/** Cuts one extra fetched row off `rows` and makes the next cursor from the last row kept. */
export function pageOf<T extends { seq: string }>(rows: T[], pageSize: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, pageSize);
  const nextCursor = rows.length > pageSize ? encodeCursor({ after: page[page.length - 1].seq }) : null;
  return { page, nextCursor };
}
