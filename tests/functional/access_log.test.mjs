// The access log (one line per REST request on standard output) is written
// by a background thread in batches: no line may be lost when the server
// stops cleanly, and a line waits at most about a second while it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { request } from './lib/client.mjs';

// Resolves once the server's output matches `re`; rejects after `ms`.
function outputMatches(server, re, ms) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (re.test(server.output)) {
        clearTimeout(timer);
        server.proc.stdout.off('data', onData);
        resolve();
      }
    };
    const onData = () => setImmediate(check);
    const timer = setTimeout(() => {
      server.proc.stdout.off('data', onData);
      reject(new Error(`no ${re} in the output within ${ms} ms:\n${server.output.slice(-2000)}`));
    }, ms);
    server.proc.stdout.on('data', onData);
    check();
  });
}

test('every request of a run is in the log after a clean stop', async (t) => {
  const server = await new Server().start();
  t.after(() => server.cleanup());
  const N = 600;
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const r = await request(server.url, 'GET', `/api/v2/access-log-probe/${i}`);
      assert.equal(r.status, 404);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const { code, signal } = await server.stop();
  assert.equal(code, 0, `exit code ${code}, signal ${signal}`);
  const seen = new Map();
  for (const m of server.output.matchAll(/\[info\] GET \/api\/v2\/access-log-probe\/(\d+) 404 6 [\d.]+ms user=- req=\S+\n/g)) {
    seen.set(m[1], (seen.get(m[1]) ?? 0) + 1);
  }
  const missing = [];
  for (let i = 0; i < N; i++) if (seen.get(String(i)) !== 1) missing.push(i);
  assert.deepEqual(missing, [], `lines missing or repeated (${seen.size} distinct of ${N})`);
  // The last lines of a stop come after every access-log line.
  assert.ok(server.output.lastIndexOf('shutting down') > server.output.lastIndexOf('access-log-probe'));
});

test('a lone line is written while the server runs, without a stop', async (t) => {
  const server = await new Server().start();
  t.after(() => server.cleanup());
  const r = await request(server.url, 'GET', '/api/v2/diagnostics/version');
  assert.equal(r.status, 200);
  // The periodic flush writes it (every second); the bound is generous for
  // a busy machine.
  await outputMatches(server, /\[info\] GET \/api\/v2\/diagnostics\/version 200 0 [\d.]+ms user=- req=\S+\n/, 20000);
});
