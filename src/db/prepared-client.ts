// The pg client of the pool. It prepares every parameterised statement once per connection: the statement's text is its
// name (hashed), so PostgreSQL parses and plans it once and later executions skip both. Kysely compiles the
// same text for the same query shape, so the set of names is bounded by the application's query shapes. The
// profile of order placement and order reads showed PostgreSQL spending most of its CPU planning the large
// statements again on every request.
import { createHash } from 'node:crypto';
import pg from 'pg';

// Shapes beyond this many (e.g. unusually long `in (…)` lists) run unprepared, so neither this map nor a
// connection's prepared statements on the server grow without bound.
const MAX_PREPARED = 2_000;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_PREPARED) {
    name = `lr_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}

export class PreparingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // pg-pool listens for errors only on idle clients. A connection that drops while checked out (a server
    // restart in the middle of a transaction) would emit an unhandled 'error' and end the process; with this
    // listener its query fails instead, and the pool discards the client on release (it is no longer queryable).
    this.on('error', () => undefined);
  }

  override query(...args: unknown[]): never {
    const [config, values] = args;
    const name = typeof config === 'string' && Array.isArray(values) && values.length > 0 ? nameOf(config) : undefined;
    if (name) return (super.query as (...a: unknown[]) => never)({ name, text: config, values }, ...args.slice(2));
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
