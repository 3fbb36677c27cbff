// Starts a private PostgreSQL server for tests and benchmarks (CONTRACT.md: binaries from LABROUTE_PG_BIN,
// else `pg_config --bindir`, else /usr/lib/postgresql/*/bin, else PATH; run as `postgres` when root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findBinDir() {
  const candidates = [];
  if (process.env.LABROUTE_PG_BIN) candidates.push(process.env.LABROUTE_PG_BIN);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    /* not installed */
  }
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) {
      candidates.push(join('/usr/lib/postgresql', version, 'bin'));
    }
  }
  for (const dir of candidates) if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  return null;
}

/** A free loopback port (shared with the benchmarks). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts PostgreSQL on a free loopback port in a fresh directory. `settings` adds `-c name=value` options.
 * `socketUrl` reaches the same server over its Unix socket (in that directory).
 * @returns {{url: string, socketUrl: string, port: number, stop: () => void, binDir: string}}
 */
export async function startPostgres({ maxConnections = 200, fsync = false, settings = {} } = {}) {
  const binDir = findBinDir();
  if (!binDir) throw new Error('PostgreSQL server binaries not found (set LABROUTE_PG_BIN or install postgresql)');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'labroute-pg-'));
  chmodSync(dir, 0o755);
  const dataDir = join(dir, 'data');
  let asUser = [];
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    asUser = ['runuser', '-u', 'postgres', '--'];
  }
  const run = (bin, args) => {
    const [cmd, ...rest] = [...asUser, join(binDir, bin), ...args];
    const result = spawnSync(cmd, rest, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${bin} failed: ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-h 127.0.0.1',
    `-k ${dir}`,
    `-c max_connections=${maxConnections}`,
    `-c fsync=${fsync ? 'on' : 'off'}`,
    `-c synchronous_commit=${fsync ? 'on' : 'off'}`,
    '-c full_page_writes=off',
    '-c shared_buffers=256MB',
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  run('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketUrl: `postgres://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    port,
    stop,
    binDir,
  };
}
