// PGlite's query path takes one statement at a time, so migrations are written as SQL scripts and
// executed statement by statement (no statement in a migration may contain ";" followed by a newline).
import { sql, type Kysely } from 'kysely';

/** Executes each `;`-terminated statement of `script` in order. */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
