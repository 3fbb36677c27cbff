// Prepared statements for every parameterised query, through pg's public named-statement API. Kysely asks its
// pool's clients for `query(text, values)`; the pool handed to Kysely here answers with `query({ name, text,
// values })`, so PostgreSQL parses and plans each statement text once per connection and later executions skip
// both. The profiles of order placement and order reads showed the server spending most of its CPU planning the
// large statements again on every request (docs/performance.md).
//
// Contract: the name of a statement is a digest of its text, so one text has one name on every connection, and
// a name can never stand for two texts. Kysely compiles the same text for the same query shape, so the names
// are bounded by the application's shapes; beyond MAX_PREPARED shapes (e.g. unusually long `in (…)` lists) a
// statement runs unnamed, so neither this map nor a connection's statements on the server grow without bound.
// Statements without parameters (BEGIN, COMMIT, DDL, multi-statement migrations) run as pg would run them.
// The same wrapper serves PostgreSQL and PGlite (whose node-postgres connection speaks the same protocol).
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

const MAX_PREPARED = 2_000;

/** Statement names by text, shared by every connection of the process (a name is a function of its text). */
class StatementNames {
  private readonly names = new Map<string, string>();

  of(text: string): string | undefined {
    let name = this.names.get(text);
    if (!name && this.names.size < MAX_PREPARED) {
      name = `lr_${createHash('sha1').update(text).digest('base64url')}`;
      this.names.set(text, name);
    }
    return name;
  }
}

const names = new StatementNames();

/** A pool for Kysely whose clients run every parameterised statement as a named prepared statement. */
export function namedStatementPool(pool: pg.Pool): PostgresPool {
  // Kysely keys its connection objects by client: one wrapper per pg client keeps that identity stable.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = {
        query: ((text: string, values: readonly unknown[]) => {
          const name = values.length > 0 ? names.of(text) : undefined;
          return client.query(name ? { name, text, values: values as unknown[] } : { text, values: values as unknown[] });
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy) => client.release(destroy),
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
    options: pool.options,
  };
}
