// PGlite's query path takes one statement at a time, so migrations are written as SQL scripts and
// executed statement by statement: a statement ends at ";" followed by a newline, except inside a
// $$-quoted body (a function's), whose own statements end the same way.
import { type Kysely, sql } from 'kysely';

/** The statements of `script`, in order. */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  // Odd pieces are $$-quoted bodies, kept whole; even pieces are split at each statement end.
  script.split(/(\$\$[\s\S]*?\$\$)/).forEach((piece, i) => {
    if (i % 2 === 1) {
      current += piece;
      return;
    }
    const parts = piece.split(/;\s*\n/);
    current += parts[0];
    for (const part of parts.slice(1)) {
      statements.push(current);
      current = part;
    }
  });
  statements.push(current);
  return statements.map((s) => s.trim().replace(/;$/, '')).filter((s) => s.length > 0);
}

/** Executes each statement of `script` in order. */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of splitStatements(script)) {
    await sql.raw(statement).execute(db);
  }
}
