// Browser tests drive Debian's Chromium through playwright-core (never a browser download). When it is
// missing and we are root, install it with apt-get, as CONTRACT.md promises; otherwise fail with one line.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Returns null when Chromium is available, else a one-line reason. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return null;
  if (process.getuid?.() !== 0) return `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`;
  process.stdout.write('Installing Debian chromium for browser tests (apt-get)…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env }) : update;
  if (install.status !== 0 || !existsSync(CHROMIUM)) return 'could not install chromium with apt-get';
  return null;
}
