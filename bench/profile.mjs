#!/usr/bin/env node
// `npm run bench:profile -- <scenario substring> [pglite]`: runs Labroute under `--cpu-prof` against one
// benchmark scenario (PostgreSQL unless "pglite" is given), then prints where the CPU time went: the hottest
// functions by self time and the share of each package. The .cpuprofile file is kept for Chrome DevTools.
// Options: BENCH_DURATION (s, default 8), BENCH_CONNECTIONS (default 10; 1 keeps the
// machine's other processes from preempting Labroute, whose samples would otherwise land in socket writes).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, withScenario } from './lib.mjs';

const [wanted = 'team GET', backend = 'postgres'] = process.argv.slice(2);
const duration = Number(process.env.BENCH_DURATION ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const profDir = mkdtempSync(join(tmpdir(), 'labroute-prof-'));
await withScenario(wanted, backend, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] }, async ({ scenario }) => {
  const result = await measure(scenario.options, { rounds: 1, duration, connections });
  console.log(
    `${scenario.name} on ${backend}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}`,
  );
});

const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTicks = new Map();
for (const id of profile.samples) selfTicks.set(id, (selfTicks.get(id) ?? 0) + 1);
const total = profile.samples.length;
const byFunction = new Map();
const byPackage = new Map();
for (const [id, ticks] of selfTicks) {
  const { callFrame } = byId.get(id);
  const where = callFrame.url.replace(/^file:\/\//, '').replace(process.cwd(), '.');
  const key = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ticks);
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
    (where.startsWith('./dist')
      ? 'labroute'
      : where.startsWith('node:')
        ? 'node core'
        : callFrame.functionName.startsWith('(')
          ? callFrame.functionName
          : 'other');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ticks);
}
const top = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  `\nby package (self time):\n${top(byPackage, 20)}\n\nhottest functions (self time):\n${top(byFunction, 40)}\n\nprofile: ${join(profDir, file)}`,
);
