import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { preparingPGlite } from '../../src/db/pglite-prepared.js';

describe('prepared statements on PGlite', () => {
  let raw: PGlite;
  let db: PGlite;
  before(async () => {
    raw = await PGlite.create();
    db = preparingPGlite(raw);
    await raw.exec(`create table things (id uuid primary key, body jsonb, tags text[], note text, amount numeric, flag boolean,
      born date, at timestamptz)`);
  });
  after(async () => raw.close());

  const preparedCount = async (fragment: string) =>
    (await raw.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements where statement like $1', [`%${fragment}%`]))
      .rows[0]!.n;

  it('prepares a statement once and gives the same rows as PGlite’s own path, quotes and all', async () => {
    const insert = 'insert into things (id, body, tags, note, amount, flag, born, at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning *';
    const values = [
      '0b9e4f34-5b9c-4f1e-9a59-0d6f7b0e0001',
      JSON.stringify({ quote: "it's", backslash: 'a\\b', nested: [1, null] }),
      ['plain', 'with "double" quotes', "with 'single'", 'back\\slash', null, ''],
      "O'Brien; drop table things; --",
      12.5,
      true,
      '1980-02-29',
      new Date('2026-12-02T10:00:00.123Z'),
    ];
    const viaWrapper = await db.query(insert, values);
    const reference = await raw.query(insert, ['0b9e4f34-5b9c-4f1e-9a59-0d6f7b0e0002', ...values.slice(1)]);
    const { id: _a, ...wrapped } = viaWrapper.rows[0] as Record<string, unknown>;
    const { id: _b, ...plain } = reference.rows[0] as Record<string, unknown>;
    assert.deepEqual(wrapped, plain);
    assert.equal(viaWrapper.affectedRows, 1);
    assert.equal(await preparedCount('insert into things'), 1);
    await db.query(insert, ['0b9e4f34-5b9c-4f1e-9a59-0d6f7b0e0003', null, null, null, null, null, null, null]);
    assert.equal(await preparedCount('insert into things'), 1, 'the second run reuses the statement');
    assert.deepEqual(
      (
        await db.query('select note from things where id = any($1::uuid[]) order by note', [
          ['0b9e4f34-5b9c-4f1e-9a59-0d6f7b0e0001', '0b9e4f34-5b9c-4f1e-9a59-0d6f7b0e0003'],
        ])
      ).rows,
      [{ note: "O'Brien; drop table things; --" }, { note: null }],
    );
  });

  it('keeps a statement prepared inside a transaction that rolled back', async () => {
    const select = 'select count(*)::int as n from things where note = $1';
    await db.transaction(async (tx) => {
      assert.deepEqual((await tx.query(select, ['none'])).rows, [{ n: 0 }]);
      await tx.rollback();
    });
    assert.equal(await preparedCount('where note = $1'), 1);
    assert.deepEqual((await db.query(select, ["O'Brien; drop table things; --"])).rows, [{ n: 2 }], 'the wrapped and the reference insert');
  });

  it('reports an invalid statement as PGlite would, and runs a value it cannot quote the ordinary way', async () => {
    await assert.rejects(
      db.query('select missing_column from things where id = $1', ['0b9e4f34-5b9c-4f1e-9a59-0d6f7b0e0001']),
      /missing_column/,
    );
    const nul = db.query('select $1::text as t', ['a\0b']);
    const nulReference = raw.query('select $1::text as t', ['a\0b']);
    const [mine, theirs] = await Promise.allSettled([nul, nulReference]);
    assert.equal(mine.status, theirs.status);
    assert.equal(await preparedCount('select $1::text as t'), 1, 'prepared, though this value went the ordinary way');
  });

  it('runs a statement unprepared while another caller is preparing it, with the same answer', async () => {
    const select = 'select $1::text as echoed, count(*)::int as n from things where flag = $2';
    const answers = await Promise.all([db.query(select, ['first', true]), db.query(select, ["it's second", true])]);
    assert.deepEqual(
      answers.map((a) => a.rows[0]),
      [
        { echoed: 'first', n: 2 },
        { echoed: "it's second", n: 2 },
      ],
    );
    assert.equal(await preparedCount('where flag = $2'), 1);
  });
});

describe('prepared statements on PGlite without standard_conforming_strings', () => {
  it('prepares nothing, since doubling quotes would not be enough, and still answers', async () => {
    const raw = await PGlite.create();
    try {
      await raw.exec('set standard_conforming_strings = off');
      const db = preparingPGlite(raw);
      const { rows } = await db.query('select $1::text as t', ["back\\slash and 'quote'"]);
      assert.deepEqual(rows, [{ t: "back\\slash and 'quote'" }]);
      assert.equal((await raw.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements')).rows[0]!.n, 0);
    } finally {
      await raw.close();
    }
  });
});
