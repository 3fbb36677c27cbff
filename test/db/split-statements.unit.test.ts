// Migrations are run statement by statement (PGlite takes one at a time); a function body's own statements
// must stay inside it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitStatements } from '../../src/db/migrations/run-statements.js';

describe('splitStatements', () => {
  it('ends a statement at a semicolon before a newline', () => {
    assert.deepEqual(
      splitStatements(`
      create table a (x int);
      create index a_x on a (x);  
      alter table a add column y text default 'a;b';
    `),
      ['create table a (x int)', 'create index a_x on a (x)', "alter table a add column y text default 'a;b'"],
    );
  });

  it('keeps a $$-quoted body whole, whatever its semicolons', () => {
    const fn = `create function f() returns trigger language plpgsql as $$
    begin
      delete from a;
      return null;
    end
    $$`;
    assert.deepEqual(splitStatements(`${fn};\n  create trigger t after truncate on a for each statement execute function f();\n`), [
      fn,
      'create trigger t after truncate on a for each statement execute function f()',
    ]);
  });

  it('takes a last statement without a semicolon, and nothing from blank input', () => {
    assert.deepEqual(splitStatements('select 1;\nselect 2'), ['select 1', 'select 2']);
    assert.deepEqual(splitStatements('  \n '), []);
  });
});
