#!/usr/bin/env node
// `npm test`: runs unit tests once, API tests on PGlite and again on a private PostgreSQL, PostgreSQL-only
// tests (races, multi-instance) and browser tests; prints one closing line with the totals.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';
import { startPostgres } from './postgres.mjs';

// Every test file under test/ (helpers in test/support/ and data in test/fixtures/ are not tests), in a stable
// order. Tests are grouped by feature (test/<feature>/<topic>...); the suffix says how a file runs.
function testFiles(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries.sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (path !== join('test', 'support') && path !== join('test', 'fixtures')) out = out.concat(testFiles(path));
    } else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// The suite a file belongs to: `<topic>.unit.test.ts` runs once (no LABROUTE_TEST_DB), `.pg.test.ts` on
// PostgreSQL only, `.e2e.test.ts` end to end and `.browser.test.ts` in Chromium (both on PostgreSQL); any other
// `.test.ts` is an API test, run on PGlite and again on PostgreSQL.
const SUFFIXES = { unit: '.unit.test.ts', pgOnly: '.pg.test.ts', e2e: '.e2e.test.ts', browser: '.browser.test.ts' };
function suiteOf(file) {
  for (const [suite, suffix] of Object.entries(SUFFIXES)) if (file.endsWith(suffix)) return suite;
  return 'api';
}

const only = process.argv.slice(2);
const filter = (files) => (only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files);

let passed = 0;
let failed = 0;
let skipped = 0;

function runSuite(name, files, env) {
  if (files.length === 0) return Promise.resolve();
  process.stdout.write(`\n=== ${name}: ${files.length} file(s) ===\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The runner prints its totals once per run ("ℹ pass N"); read them from the stream as it goes, since a
    // long list of failures can follow them.
    const totals = { pass: 0, fail: 0, skipped: 0 };
    let partial = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ℹ (pass|fail|skipped) (\d+)/.exec(line.trim());
        if (match) totals[match[1]] = Number(match[2]);
      }
    });
    child.on('close', (code) => {
      passed += totals.pass;
      failed += totals.fail + (code !== 0 && totals.fail === 0 ? 1 : 0);
      skipped += totals.skipped;
      resolve();
    });
  });
}

const all = filter(testFiles('test'));
const unit = all.filter((f) => suiteOf(f) === 'unit');
const api = all.filter((f) => suiteOf(f) === 'api');
const pgOnly = all.filter((f) => suiteOf(f) === 'pgOnly');
const e2e = all.filter((f) => suiteOf(f) === 'e2e');
const browser = all.filter((f) => suiteOf(f) === 'browser');

// The whole tree, tests included, must type-check (the build checks only src/ and the dashboard).
if (only.length === 0) {
  process.stdout.write('\n=== typecheck (tsc --noEmit) ===\n');
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], { encoding: 'utf8' });
  process.stdout.write(tsc.stdout + tsc.stderr);
  if (tsc.status === 0) passed += 1;
  else failed += 1;
}

// Formatting and lint (Biome) are part of the tests: a tree that does not pass `biome ci` fails the run.
if (only.length === 0) {
  process.stdout.write('\n=== format and lint (biome ci) ===\n');
  const biome = spawnSync(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'ci', '.'], { encoding: 'utf8' });
  process.stdout.write(biome.stdout + biome.stderr);
  if (biome.status === 0) passed += 1;
  else failed += 1;
}

await runSuite('unit', unit, {});
await runSuite('api on PGlite', api, { LABROUTE_TEST_DB: 'pglite' });

if (api.length + pgOnly.length + e2e.length + browser.length > 0) {
  let pg;
  try {
    pg = await startPostgres();
  } catch (error) {
    process.stdout.write(`\nPostgreSQL could not be started: ${error.message}\n`);
    failed += 1;
  }
  if (pg) {
    const cleanup = () => pg.stop();
    process.on('exit', cleanup);
    process.on('SIGINT', () => {
      cleanup();
      process.exit(130);
    });
    try {
      await runSuite('api on PostgreSQL', api, { LABROUTE_TEST_DB: 'postgres', LABROUTE_TEST_PG_URL: pg.url });
      await runSuite('PostgreSQL only', pgOnly, { LABROUTE_TEST_DB: 'postgres', LABROUTE_TEST_PG_URL: pg.url });
      await runSuite('end to end', e2e, { LABROUTE_TEST_DB: 'postgres', LABROUTE_TEST_PG_URL: pg.url });
      if (browser.length > 0) {
        const missing = ensureChromium();
        if (missing) {
          process.stdout.write(`\nBrowser tests cannot run: ${missing}\n`);
          failed += 1;
        } else {
          await runSuite('browser (Chromium)', browser, { LABROUTE_TEST_DB: 'postgres', LABROUTE_TEST_PG_URL: pg.url });
        }
      }
    } finally {
      cleanup();
    }
  }
}

process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 ? 1 : 0);
