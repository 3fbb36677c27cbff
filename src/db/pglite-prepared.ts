// Prepared statements on the embedded database. PGlite runs every parameterised query as an unnamed statement,
// so its PostgreSQL (single-threaded WebAssembly, in Labroute's own thread) parses, analyses and plans order
// placement's large statements again on every request. Like prepared-client.ts on PostgreSQL, each statement
// text is prepared once per database (`PREPARE`, which outlives the transaction it ran in) and run with
// `EXECUTE name('…', …)`. PGlite's query API has no named statements, so the values travel as quoted literals:
// each is first turned into text by PGlite's own serializer for the parameter's type (what it would send to a
// bound parameter), then quoted, and PostgreSQL converts it with the same input function either way.
import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';

// Beyond this many shapes statements run unprepared, so neither this map nor the server's grows without bound.
const MAX_PREPARED = 2_000;
// Only statements `PREPARE` accepts; anything else (and anything unusual) runs as PGlite would run it.
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

type Queryable = Pick<PGlite | Transaction, 'query'>;
type Serializer = (value: unknown) => string;

interface Prepared {
  name: string;
  /** Type OIDs of the statement's parameters, as PostgreSQL inferred them. */
  types: number[];
}

/** A value as an SQL string literal (standard_conforming_strings: only quotes are special). */
function literal(value: unknown, serialize: Serializer | undefined): string | null {
  if (value === null || value === undefined) return 'NULL';
  const text = serialize ? serialize(value) : String(value);
  // A NUL would end the statement's text early in PostgreSQL; PGlite's own path reports it properly.
  if (typeof text !== 'string' || text.includes('\0')) return null;
  return `'${text.replaceAll("'", "''")}'`;
}

/** Wraps a PGlite instance so that parameterised statements (also inside its transactions) run prepared. */
export function preparingPGlite(pglite: PGlite): PGlite {
  const prepared = new Map<string, Prepared>();
  const preparing = new Set<string>();
  const serializers = pglite.serializers as Record<number, Serializer>;
  let counter = 0;
  // Quoting by doubling quotes is only sound with standard_conforming_strings on (PostgreSQL's default); read once.
  let literalsSafe: boolean | undefined;

  async function prepare(db: Queryable, text: string): Promise<Prepared | undefined> {
    // Another caller (another transaction's turn) is preparing it: run this one unprepared rather than wait.
    if (preparing.has(text) || prepared.size >= MAX_PREPARED || literalsSafe === false) return undefined;
    preparing.add(text);
    try {
      if (literalsSafe === undefined) {
        const { rows } = await db.query<{ on: boolean }>("select current_setting('standard_conforming_strings') = 'on' as on");
        literalsSafe = rows[0]!.on;
        if (!literalsSafe) return undefined;
      }
      const name = `lr_${++counter}`;
      // If the statement is invalid this fails with the error running it would have given.
      await db.query(`PREPARE ${name} AS ${text}`);
      const { rows } = await db.query<{ types: number[] }>(
        'select parameter_types::oid[]::int[] as types from pg_prepared_statements where name = $1',
        [name],
      );
      const entry = { name, types: rows[0]!.types };
      prepared.set(text, entry);
      return entry;
    } finally {
      preparing.delete(text);
    }
  }

  async function run<T>(
    db: Queryable,
    text: string,
    params: unknown[] | undefined,
    options: QueryOptions | undefined,
  ): Promise<Results<T>> {
    if (!params || params.length === 0 || !PREPARABLE.test(text)) return db.query<T>(text, params, options);
    const statement = prepared.get(text) ?? (await prepare(db, text));
    if (!statement || statement.types.length !== params.length) return db.query<T>(text, params, options);
    const literals: string[] = [];
    for (const [i, value] of params.entries()) {
      const quoted = literal(value, serializers[statement.types[i]!]);
      if (quoted === null) return db.query<T>(text, params, options);
      literals.push(quoted);
    }
    return db.query<T>(`EXECUTE ${statement.name}(${literals.join(', ')})`, [], options);
  }

  const wrapTransaction = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(target, property) {
        if (property === 'query') return (text: string, params?: unknown[], options?: QueryOptions) => run(target, text, params, options);
        // Read from the target itself: its getters use private fields, which a proxy does not have.
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'query') return (text: string, params?: unknown[], options?: QueryOptions) => run(target, text, params, options);
      if (property === 'transaction') {
        return <T>(callback: (tx: Transaction) => Promise<T>) => target.transaction((tx) => callback(wrapTransaction(tx)));
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
