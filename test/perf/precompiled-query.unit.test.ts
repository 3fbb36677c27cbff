// Precompiled statements (src/db/precompiled-query.ts): a query shape is built once and each call sends its
// own values in the compiled order; placeholder rows bind every column.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import { type Placeholders, precompiled } from '../../src/db/precompiled-query.js';
import type { Database } from '../../src/db/schema.js';

/** A driver that answers every statement with one row and keeps what it was sent. */
function recordingDb(): { db: Kysely<Database>; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery) {
      sent.push(query);
      return { rows: [{ answered: sent.length }] as R[] };
    },
    // biome-ignore lint/correctness/useYield: a stream that is never read
    async *streamQuery() {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, sent };
}

interface Values extends Record<string, unknown> {
  orgId: string;
  limit: number;
  team: { id: string; org_id: string; name: string };
}

describe('precompiled statements', () => {
  it('builds once per shape and sends each call its own values in the compiled order', async () => {
    const { db, sent } = recordingDb();
    let builds = 0;
    const query = precompiled(
      (withName: boolean) => String(withName),
      (q, withName, p: Placeholders<Values>) => {
        builds += 1;
        let select = q.selectFrom('teams').select('teams.id').where('teams.org_id', '=', p.value('orgId'));
        if (withName) select = select.where('teams.name', '=', 'fixed');
        return select.limit(p.value('limit'));
      },
    );
    const first = await query(db, false, { orgId: 'org-1', limit: 5, team: { id: 'x', org_id: 'y', name: 'z' } });
    await query(db, false, { orgId: 'org-2', limit: 7, team: { id: 'x', org_id: 'y', name: 'z' } });
    await query(db, true, { orgId: 'org-3', limit: 9, team: { id: 'x', org_id: 'y', name: 'z' } });
    assert.deepEqual(first, [{ answered: 1 }]);
    assert.equal(builds, 2, 'one build per shape');
    assert.equal(sent[0]!.sql, sent[1]!.sql, 'the same shape sends the same text');
    assert.deepEqual(
      sent.map((s) => s.parameters),
      [
        ['org-1', 5],
        ['org-2', 7],
        ['org-3', 'fixed', 9],
      ],
    );
    assert.match(sent[2]!.sql, /"teams"\."name" = \$2/);
  });

  it('binds every column of a placeholder row and refuses a row whose columns change', async () => {
    const { db, sent } = recordingDb();
    const insert = precompiled(
      () => '',
      (q, _shape, p: Placeholders<Values>) => q.insertInto('teams').values(p.row('team') as never),
    );
    await insert(db, undefined, { orgId: '', limit: 0, team: { id: 't1', org_id: 'o1', name: 'First' } });
    await insert(db, undefined, { orgId: '', limit: 0, team: { id: 't2', org_id: 'o2', name: 'Second' } });
    assert.match(sent[0]!.sql, /insert into "teams" \("id", "org_id", "name"\) values \(\$1, \$2, \$3\)/);
    assert.deepEqual(sent[1]!.parameters, ['t2', 'o2', 'Second']);
    const widened = { id: 't3', org_id: 'o3', name: 'Third', sandbox: {} };
    await assert.rejects(insert(db, undefined, { orgId: '', limit: 0, team: widened }), /changed its columns/);
    assert.equal(sent.length, 2, 'nothing is sent for a refused row');
  });
});
