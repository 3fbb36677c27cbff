// Opaque cursors for cursor-paged lists: base64url JSON that clients pass back unchanged. A cursor that
// does not decode is a 422 at the cursor's query parameter, like any other malformed input.
import { z } from 'zod';

export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A `next_cursor` query parameter that must decode to an object with a string or number `after` key. */
export const CursorParam = z
  .string()
  .max(512)
  .refine(
    (value) => {
      const decoded = decodeCursor(value);
      return decoded !== null && (typeof decoded.after === 'string' || typeof decoded.after === 'number');
    },
    { params: { pydantic: { type: 'value_error', msg: 'Value error, invalid cursor', ctx: { error: 'invalid cursor' } } } },
  );
