#!/usr/bin/env node
// Part of `npm run build`: writes dist/pglite-template.tar.gz, an initialised PGlite cluster that new embedded
// databases are restored from instead of running initdb (src/db/pglite-template.ts). Skipped when the template
// for the installed PGlite version is already there.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pgliteVersion, TEMPLATE_FILE, TEMPLATE_VERSION_FILE } from '../dist/src/db/pglite-template.js';

const version = pgliteVersion();
if (!version) {
  // Without a version to label it with, a template could outlive the PGlite that made it: start with initdb.
  console.warn('PGlite version not found: no template written (new databases run initdb)');
  process.exit(0);
}
const current = existsSync(TEMPLATE_VERSION_FILE) && JSON.parse(readFileSync(TEMPLATE_VERSION_FILE, 'utf8')).pglite === version;
if (current && existsSync(TEMPLATE_FILE)) {
  console.log(`PGlite template for ${version} is up to date`);
} else {
  const pglite = await PGlite.create();
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  writeFileSync(TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  writeFileSync(TEMPLATE_VERSION_FILE, `${JSON.stringify({ pglite: version })}\n`);
  console.log(`wrote ${TEMPLATE_FILE} (PGlite ${version})`);
}
