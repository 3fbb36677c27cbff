// A LISTEN connection that the server drops is re-opened: `onGap` runs once it listens again (notifications
// sent meanwhile are lost, so caches clear), and notifications are delivered again afterwards.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('LISTEN reconnection on PostgreSQL', () => {
  let database: DatabaseHandle;
  before(async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    database = await createDatabase({ databaseUrl: await freshPostgresUrl(), poolSize: 2 });
  });
  after(async () => database?.close());

  it('re-opens a dropped LISTEN connection, reports the gap, and hears notifications again', async () => {
    const heard: string[] = [];
    let gaps = 0;
    const stop = await database.subscribe(
      'labroute_test_channel',
      (payload) => heard.push(payload),
      () => {
        gaps += 1;
      },
    );
    try {
      const notify = (payload: string) => sql`select pg_notify('labroute_test_channel', ${payload})`.execute(database.db);
      await notify('before');
      await waitFor(() => heard.includes('before'));
      assert.equal(gaps, 0);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen labroute_test_channel' and pid <> pg_backend_pid()`.execute(
        database.db,
      );
      await waitFor(() => gaps === 1);
      await notify('after');
      await waitFor(() => heard.includes('after'));
    } finally {
      await stop();
    }
  });
});
