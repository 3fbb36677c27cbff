// The `labroute` command line against a real listening server: each operator command, --json, and a
// one-line reason with a non-zero exit on errors.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createListeningApp, type ListeningApp } from '../support/listening-app.js';

const run = promisify(execFile);

describe('labroute CLI', () => {
  let t: ListeningApp;
  before(async () => {
    t = await createListeningApp();
  });
  after(async () => t.close());

  async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        env: { ...process.env, LABROUTE_URL: t.baseUrl, LABROUTE_OPERATOR_KEY: t.operatorKey, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('creates an org, keys, lab accounts and lab tests, delivers results and records events', async () => {
    const org = await cli(['org', 'create', '--name', 'CLI Org', '--json']);
    assert.equal(org.code, 0, org.stderr);
    const orgId = JSON.parse(org.stdout).id;
    const key = await cli(['management-key', 'create', '--org', orgId, '--label', 'ops', '--role', 'org_admin', '--json']);
    assert.equal(key.code, 0, key.stderr);
    assert.match(JSON.parse(key.stdout).key, /^mg_/);
    const human = await cli(['management-key', 'create', '--org', orgId, '--label', 'ops2', '--role', 'org_admin']);
    assert.match(human.stdout, /^org_admin key [0-9a-f-]+: mg_/);

    const account = await cli([
      'lab-account',
      'create',
      '--org-id',
      orgId,
      '--env',
      'sandbox',
      '--region',
      'us',
      '--lab',
      'quest',
      '--status',
      'pending',
      '--delegated-flow',
      'not_delegated',
      '--provider-account-id',
      `CLI-${Date.now()}`,
      '--allowed-billing',
      '{"client_bill":["CA"]}',
      '--json',
    ]);
    assert.equal(account.code, 0, account.stderr);
    const accountId = JSON.parse(account.stdout).id;
    const updated = await cli(['lab-account', 'update', '--id', accountId, '--status', 'active', '--json']);
    assert.equal(JSON.parse(updated.stdout).status, 'active');
    const list = await cli(['lab-account', 'list', '--org-id', orgId]);
    assert.ok(list.stdout.includes(accountId));

    const test = await cli([
      'lab-test',
      'create',
      '--env',
      'sandbox',
      '--region',
      'us',
      '--lab',
      'quest',
      '--name',
      `CLI Panel ${Date.now()}`,
      '--method',
      'walk_in_test',
      '--sample-type',
      'serum',
      '--price',
      '12.5',
      '--markers',
      '[{"name":"Glucose","slug":"glucose"}]',
      '--json',
    ]);
    assert.equal(test.code, 0, test.stderr);
    assert.equal(JSON.parse(test.stdout).price, 12.5);

    const dir = mkdtempSync(join(tmpdir(), 'labroute-cli-'));
    const file = join(dir, 'delivery.json');
    writeFileSync(
      file,
      JSON.stringify({
        env: 'sandbox',
        region: 'us',
        lab: 'quest',
        provider_account_id: 'NOBODY',
        sample_id: 'NOSUCHSAMPLE',
        status: 'final',
        results: [],
      }),
    );
    const delivered = await cli(['result', 'deliver', '--file', file]);
    assert.equal(delivered.code, 0, delivered.stderr);
    assert.match(delivered.stdout, /queued as unmatched result/);
  });

  it('fails with a non-zero exit and one line naming the reason', async () => {
    const missing = await cli(['org', 'create']);
    assert.notEqual(missing.code, 0);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    const badKey = await cli(['org', 'create', '--name', 'x'], { LABROUTE_OPERATOR_KEY: 'wrong' });
    assert.notEqual(badKey.code, 0);
    assert.match(badKey.stderr, /401 unauthorized/);
    const invalid = await cli([
      'lab-account',
      'create',
      '--org-id',
      'null',
      '--env',
      'sandbox',
      '--region',
      'us',
      '--lab',
      'nope',
      '--status',
      'active',
      '--delegated-flow',
      'not_delegated',
      '--provider-account-id',
      'X',
      '--allowed-billing',
      '{}',
    ]);
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /422: body\.lab/);
    const event = await cli([
      'order',
      'event',
      '--order-id',
      '00000000-0000-4000-8000-000000000000',
      '--status',
      'received.walk_in_test.requisition_created',
    ]);
    assert.match(event.stderr, /404 order_not_found/);
    const unknown = await cli(['frobnicate']);
    assert.equal(unknown.code, 2);
    const unreachable = await cli(['org', 'create', '--name', 'x'], { LABROUTE_URL: 'http://127.0.0.1:9' });
    assert.match(unreachable.stderr, /cannot reach/);
  });
});
