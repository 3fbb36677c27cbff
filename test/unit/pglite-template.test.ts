import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../src/db/database.js';
import { isNewDataDir, pgliteTemplate } from '../../src/db/pglite-template.js';

describe('new embedded databases from the build’s template', () => {
  it('has a template for the installed PGlite (written by npm run build)', () => {
    const template = pgliteTemplate();
    assert.ok(template && template.size > 100_000);
  });

  it('restores a new data directory from it, migrates it, and reopens it with its data', async () => {
    const root = mkdtempSync(join(tmpdir(), 'labroute-template-'));
    const dataDir = join(root, 'db');
    try {
      assert.equal(isNewDataDir(dataDir), true);
      const first = await createDatabase({ dataDir });
      await first.migrate();
      const id = randomUUID();
      await first.db.insertInto('orgs').values({ id, name: 'kept' }).execute();
      await first.close();
      assert.equal(isNewDataDir(dataDir), false);

      const reopened = await createDatabase({ dataDir });
      await reopened.migrate();
      const row = await reopened.db.selectFrom('orgs').select('name').where('id', '=', id).executeTakeFirst();
      assert.deepEqual(row, { name: 'kept' });
      await reopened.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
