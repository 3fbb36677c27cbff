#!/usr/bin/env node
// `npm run bench:cpu -- <scenario substring> [pglite]`: drives one scenario and reports the CPU time each
// process spent per request (Labroute, PostgreSQL's processes, the load generator), read from /proc, so one can
// see which side a scenario is limited by on this machine. Options: BENCH_DURATION (s, default 8).
import { readdirSync, readFileSync } from 'node:fs';
import { measure, withScenario } from './lib.mjs';

const [wanted = '(resolved)', backend = 'postgres'] = process.argv.slice(2);
const duration = Number(process.env.BENCH_DURATION ?? 8);
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User and system CPU time of a process, in ms. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) * TICK_MS, system: Number(fields[12]) * TICK_MS };
  } catch {
    return { user: 0, system: 0 }; // the process ended
  }
}
const minus = (a, b = { user: 0, system: 0 }) => ({ user: a.user - b.user, system: a.system - b.system });
const plus = (a, b) => ({ user: a.user + b.user, system: a.system + b.system });
// Every process named postgres on the machine: run nothing else that uses PostgreSQL meanwhile.
function postgresPids() {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}
function snapshot(serverPid) {
  const pg = new Map(postgresPids().map((p) => [p, cpuMs(p)]));
  return { server: cpuMs(serverPid), pg, self: process.cpuUsage() };
}

await withScenario(wanted, backend, {}, async ({ scenario, server, transport }) => {
  await measure(scenario.options, { rounds: 1, duration: 2, connections: 10 }); // warm-up
  const before = snapshot(server.child.pid);
  const result = await measure(scenario.options, { rounds: 1, duration, connections: 10 });
  const after = snapshot(server.child.pid);
  let pgMs = { user: 0, system: 0 };
  for (const [pid, ms] of after.pg) pgMs = plus(pgMs, minus(ms, before.pg.get(pid)));
  const self = process.cpuUsage(before.self);
  const n = result.total;
  const per = ({ user, system }) =>
    `${(((user + system) / n) * 1000).toFixed(0)} µs (user ${((user / n) * 1000).toFixed(0)}, system ${((system / n) * 1000).toFixed(0)})`;
  console.log(`${scenario.name} on ${backend}${transport ? ` (${transport})` : ''}: ${result.rps.toFixed(0)} req/s over ${n} requests`);
  console.log('CPU per request:');
  console.log(`  Labroute        ${per(minus(after.server, before.server))}`);
  if (transport) console.log(`  PostgreSQL      ${per(pgMs)}`);
  console.log(`  load generator  ${per({ user: self.user / 1000, system: self.system / 1000 })}`);
});
