// The query-builder handles every layer passes around, apart from how the database is opened (database.ts),
// so that what database.ts starts (maintenance) can take a handle without importing it back.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export type DB = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A handle usable for queries: the root handle or a transaction. Repositories take this. */
export type Queryable = Kysely<Database> | Transaction<Database>;
