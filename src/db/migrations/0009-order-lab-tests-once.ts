// An order of one test stored that test twice, as `lab_test` and as the one element of `lab_tests` (~760 bytes
// of jsonb each). The duplicate pushed the row past PostgreSQL's 2 kB TOAST threshold, so every placement
// also compressed and moved a value out of line, and parsed the same JSON twice: about a fifth of
// PostgreSQL's CPU per order in `perf` (2026-12-03). `lab_tests` is now NULL when it would be `[lab_test]`;
// order-view.ts fills it in. Rows written before keep their copy.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table orders alter column lab_tests drop not null;
  `,
  );
}
