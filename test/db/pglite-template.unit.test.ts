// New embedded databases start from the build's PGlite template (src/db/pglite-template.ts): only one made by
// the installed PGlite is used, and a data directory restored from it migrates and reopens with its data.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createDatabase } from '../../src/db/database.js';
import { isNewDataDir, pgliteTemplate, pgliteVersion, TEMPLATE_FILE } from '../../src/db/pglite-template.js';

describe('new embedded databases from the build’s template', () => {
  it('has a template for the installed PGlite (written by npm run build)', () => {
    const template = pgliteTemplate();
    assert.ok(template && template.size > 100_000);
  });

  it('uses no template made by another PGlite version, nor one whose label or archive is missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'labroute-template-label-'));
    try {
      const version = join(root, 'pglite-template.json');
      assert.equal(pgliteTemplate({ archive: TEMPLATE_FILE, version }), undefined, 'no label');
      writeFileSync(version, JSON.stringify({ pglite: '0.0.1' }));
      assert.equal(pgliteTemplate({ archive: TEMPLATE_FILE, version }), undefined, 'another version');
      writeFileSync(version, JSON.stringify({ pglite: pgliteVersion() }));
      assert.ok(pgliteTemplate({ archive: TEMPLATE_FILE, version }), 'this version');
      assert.equal(pgliteTemplate({ archive: join(root, 'missing.tar.gz'), version }), undefined, 'no archive');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
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
