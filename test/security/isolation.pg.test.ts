// Tenant isolation, property-based (issue #7 item 1): fast-check draws worlds of orgs, teams in both regions,
// lab accounts (org and platform), users, orders, unmatched results and keys of every kind, built through
// the public APIs; every key then probes every object through every by-id route and every list, and an
// oracle written from SPEC.md says what it may see. Goal: 0 leaks in ≥ 10,000 probes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { injectSender } from '../support/security/api-client.js';
import { type ProbeFailure, runProbes } from '../support/security/probes.js';
import { buildWorld, type WorldShape, worldShape } from '../support/security/world.js';
import { backend, createTestApp } from '../support/test-app.js';

const RUNS = Number(process.env.LABROUTE_ISOLATION_RUNS ?? 4);
const SEED = Number(process.env.LABROUTE_ISOLATION_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MIN_PROBES = 10_000;

describe('tenant isolation (property-based, PostgreSQL)', () => {
  it(`no key sees, uses or changes anything SPEC.md does not grant it (seed ${SEED})`, { timeout: 170_000 }, async () => {
    assert.equal(backend, 'postgres', '.pg.test.ts files run with LABROUTE_TEST_DB=postgres');
    let probes = 0;
    const failures: (ProbeFailure & { run: number })[] = [];
    const missing = new Set<string>();
    const setup: string[] = [];
    const shapes: WorldShape[] = [];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldShape, async (shape) => {
        run += 1;
        shapes.push(shape);
        const t = await createTestApp({ LABROUTE_DB_POOL_SIZE: '10' });
        try {
          const send = injectSender(t.app);
          const world = await buildWorld(send, t.operatorKey, shape);
          for (const route of world.missingRoutes) missing.add(route);
          setup.push(...world.setupFailures.map((f) => `run ${run}: ${f}`));
          const stats = await runProbes(send, world, { concurrency: 6 });
          probes += stats.probes + world.requests;
          for (const failure of stats.failures) {
            if (failure.kind === 'missing_route') missing.add(failure.route);
            else failures.push({ ...failure, run });
          }
          // Nothing a probe did may have broken a key: every team key still authenticates afterwards.
          for (const key of world.keys.filter((k) => k.kind === 'team_key')) {
            const res = await send({ method: 'GET', url: '/whoami', headers: { 'x-vital-api-key': key.secret } });
            probes += 1;
            if (res.status !== 200 || res.json?.team_id !== (key as { teamId: string }).teamId) {
              failures.push({
                kind: 'leak',
                key: key.label,
                route: 'GET /whoami',
                detail: `team key no longer works after the probes: ${res.status}`,
                run,
              });
            }
          }
        } finally {
          await t.close();
        }
        return true;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    const lines: string[] = [];
    if (missing.size > 0)
      lines.push(
        `routes SPEC.md/CONTRACT.md require that the router does not know (${missing.size}):\n    ${[...missing].sort().join('\n    ')}`,
      );
    if (setup.length > 0) lines.push(`set-up calls that failed (${setup.length}):\n    ${setup.slice(0, 15).join('\n    ')}`);
    if (failures.length > 0) {
      const byKind = new Map<string, number>();
      for (const f of failures) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
      lines.push(
        `${failures.length} isolation failures (${[...byKind].map(([k, n]) => `${k}: ${n}`).join(', ')}); first ones:\n    ${dedupe(
          failures,
        )
          .slice(0, 25)
          .map((f) => `[run ${f.run} ${f.kind}] ${f.key} → ${f.route}: ${f.detail}`)
          .join('\n    ')}`,
      );
    }
    if (probes < MIN_PROBES) lines.push(`only ${probes} probes ran (goal ≥ ${MIN_PROBES}); raise LABROUTE_ISOLATION_RUNS`);
    assert.ok(
      lines.length === 0,
      `seed ${SEED}, ${RUNS} world(s), ${probes} probes\n  ${lines.join('\n  ')}\n  shapes: ${JSON.stringify(shapes).slice(0, 600)}`,
    );
  });
});

/** One line per distinct (kind, key kind, route, first words of the detail), so a systematic bug shows once. */
function dedupe<T extends ProbeFailure>(failures: T[]): T[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const id = `${f.kind}|${f.key.split(' ')[0]}|${f.route}|${f.detail.replace(/[0-9a-f-]{36}/g, '').slice(0, 60)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
