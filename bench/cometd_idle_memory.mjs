#!/usr/bin/env node
// Memory per idle long-polling CometD session: starts build/workbind (or
// $WORKBIND_BIN) on 127.0.0.1, reads the VmRSS of the process from
// /proc/<pid>/status, opens N sessions (default 1000) each with one held
// /meta/connect and a subscription, reads VmRSS again and prints the
// difference per session. Usage: node bench/cometd_idle_memory.mjs [N]
import { readFileSync } from 'node:fs';
import { Server } from '../tests/functional/lib/server.mjs';
import { Client } from '../tests/functional/lib/client.mjs';
import { openMany, holdConnects, pendingAfter } from '../tests/functional/lib/bayeux.mjs';

const N = Number(process.argv[2] ?? 1000);
const rssKiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const server = await new Server({
  settings: {
    auth: { maxSessionsPerUser: 1000 },
    notifications: { timeoutMs: 600000, maxIntervalMs: 600000, maxSessionsPerUser: 0, maxSessionsPerBrowser: -1 },
  },
}).start();
try {
  const alice = new Client(server.url, 'alice');
  await alice.login();
  const cookie = `JSESSIONID=${alice.cookie}`;
  // Warm-up: one session through every code path, so that first-use
  // allocations are not counted per session.
  const warm = await openMany(server.url, cookie, 1, { subscription: '/v2/me/*' });
  await pendingAfter(Promise.all(holdConnects(server.url, cookie, warm)), 500);
  await sleep(500);
  const before = rssKiB(server.proc.pid);
  const ids = await openMany(server.url, cookie, N, { subscription: '/v2/me/*' });
  const held = holdConnects(server.url, cookie, ids);
  if (!(await pendingAfter(Promise.all(held), 2000))) throw new Error('connects were not held');
  const after = rssKiB(server.proc.pid);
  const per = ((after - before) * 1024) / N;
  console.log(`sessions: ${N} (long-polling, one held connect and one subscription each)`);
  console.log(`VmRSS before: ${before} kB, after: ${after} kB, difference: ${after - before} kB`);
  console.log(`per idle session: ${(per / 1024).toFixed(1)} KiB (${Math.round(per)} bytes)`);
} finally {
  await server.cleanup();
}
process.exit(0);
