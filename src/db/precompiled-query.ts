// Hot statements built and compiled by the query builder once per shape, then run with each call's values.
// The profile of order placement showed building and compiling its two large statements taking about a fifth
// of the process's CPU per order, though their SQL depends only on their shape. So the statement is built
// the first time with placeholders where its values go; later calls swap the values into the compiled
// parameter list and skip the builder. Reusing the same SQL string also spares the named-statement pool
// (named-statements.ts) hashing a fresh copy of the text.
//
// The builder stays the single description of the statement (types, joins, JSON helpers). What must hold:
// every value that varies between calls goes through `value` or `row`, and everything that changes the SQL
// text (a different number of rows, an optional clause) is part of the shape key.
import type { Compilable, CompiledQuery, RawBuilder } from 'kysely';
import type { Queryable } from './database.js';

type Values = Record<string, unknown>;

class Placeholder {
  constructor(readonly read: (values: Values) => unknown) {}
}

export interface Placeholders<V extends Values> {
  /** Stands for `values[name]` (typed as the builder expects it). */
  value<K extends keyof V & string>(name: K): V[K];
  /** A row whose every column stands for the same column of `values[name]` (an insert's row). */
  row<K extends keyof V & string>(name: K): V[K];
}

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** The columns of each placeholder row, checked on every call: a row must keep the columns it was built with. */
  rowColumns: Map<string, string>;
}

/**
 * A statement built by `build` from placeholders, compiled on the first call of each shape (`shapeKey`) and
 * executed with the call's values. Module-wide: PostgreSQL and PGlite compile identical SQL.
 */
export function precompiled<S, V extends Values, R>(
  shapeKey: (shape: S) => string,
  build: (db: Queryable, shape: S, p: Placeholders<V>) => Compilable<R>,
): (db: Queryable, shape: S, values: V) => Promise<R[]> {
  const byShape = new Map<string, Compiled<R>>();
  const compile = (db: Queryable, shape: S, sample: V): Compiled<R> => {
    const rowColumns = new Map<string, string>();
    const p: Placeholders<V> = {
      value: (name) => new Placeholder((values) => values[name]) as V[typeof name],
      row: (name) => {
        const columns = Object.keys(sample[name] as object);
        rowColumns.set(name, columns.join());
        return Object.fromEntries(
          columns.map((column) => [column, new Placeholder((values) => (values[name] as Values)[column])]),
        ) as V[typeof name];
      },
    };
    return { query: build(db, shape, p).compile(), rowColumns };
  };
  return async (db, shape, values) => {
    const key = shapeKey(shape);
    let compiled = byShape.get(key);
    if (!compiled) {
      compiled = compile(db, shape, values);
      byShape.set(key, compiled);
    }
    for (const [name, columns] of compiled.rowColumns) {
      if (Object.keys(values[name] as object).join() !== columns) throw new Error(`precompiled row "${name}" changed its columns`);
    }
    const parameters = compiled.query.parameters.map((parameter) =>
      parameter instanceof Placeholder ? parameter.read(values) : parameter,
    );
    return (await db.executeQuery<R>({ ...compiled.query, parameters })).rows;
  };
}

/** A raw `sql` statement as a Compilable for `precompiled` (raw builders compile against a given handle). */
export function compilableOn<R>(db: Queryable, statement: RawBuilder<R>): Compilable<R> {
  return { compile: () => statement.compile(db) };
}
