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

/** The installed PGlite's version. */
export function pgliteVersion(): string {
  // The package does not export its package.json; find it beside its resolved entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const marker = join('node_modules', '@electric-sql', 'pglite');
  const packageDir = entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The template cluster for a new database, or undefined when there is none for this PGlite version. */
export function pgliteTemplate(): Blob | undefined {
  if (!existsSync(TEMPLATE_FILE) || !existsSync(TEMPLATE_VERSION_FILE)) return undefined;
  const { pglite } = JSON.parse(readFileSync(TEMPLATE_VERSION_FILE, 'utf8')) as { pglite?: string };
  if (pglite !== pgliteVersion()) return undefined;
  return new Blob([readFileSync(TEMPLATE_FILE)]);
}

/** A data directory PGlite has not initialised yet (initdb writes PG_VERSION first among its files). */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'));
}
