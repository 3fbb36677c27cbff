// A new embedded database starts from a template instead of running initdb. PGlite's initdb (in WebAssembly)
// took 5.5 s of a 8.7 s first start on the benchmark machine, and 3 s of every in-memory database the tests
// open; restoring the same cluster from a tarball takes 1.3–1.6 s. The build writes the template
// (scripts/build-pglite-template.mjs) with the installed PGlite, and it is used only by that same version.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This module runs from dist/src/db/ when built and from src/db/ under tsx; the template lives in dist/.
const projectRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/src/') ? '../../../' : '../../', import.meta.url));
export const TEMPLATE_FILE = join(projectRoot, 'dist', 'pglite-template.tar.gz');
export const TEMPLATE_VERSION_FILE = join(projectRoot, 'dist', 'pglite-template.json');

/** The installed PGlite's version, or undefined when it cannot be found (then no template is used). */
export function pgliteVersion(): string | undefined {
  try {
    // The package does not export its package.json; find it beside its resolved entry point.
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const marker = join('node_modules', '@electric-sql', 'pglite');
    const at = entry.lastIndexOf(marker);
    if (at < 0) return undefined;
    return (JSON.parse(readFileSync(join(entry.slice(0, at + marker.length), 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * The template cluster for a new database, or undefined when there is none made by the installed PGlite
 * version (a template from another version could hold a catalogue that version does not read).
 */
export function pgliteTemplate(files = { archive: TEMPLATE_FILE, version: TEMPLATE_VERSION_FILE }): Blob | undefined {
  if (!existsSync(files.archive) || !existsSync(files.version)) return undefined;
  const { pglite } = JSON.parse(readFileSync(files.version, 'utf8')) as { pglite?: string };
  const installed = pgliteVersion();
  if (!installed || pglite !== installed) return undefined;
  return new Blob([readFileSync(files.archive)]);
}

/** A data directory PGlite has not initialised: PGlite's own test (it refuses a template where PG_VERSION exists). */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'));
}
