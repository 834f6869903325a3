// Workbin scale: the latency of reading pages of a large workbin
// (extensions.md §1.6). For each size, a fresh server and data folder: the
// demo contact center, alice's workbin filled with N items by seed_workbin
// (while the server is stopped), then, with the server running again:
//   - count=true (from the per-workbin counters),
//   - the first page of 50 by receivedDate and by -receivedDate,
//   - a page of 50 after a cursor in the middle of the workbin,
//   - for reference, the first page of 50 sorted by userData.Priority
//     (a sort whose cost grows with the workbin, by design).
// Each figure is the median and p99 of repeated requests over one
// keep-alive connection, measured by this client on the same machine.
// Usage: node bench/workbin_scale.mjs [sizes...]   (default: 10000 1000000)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = process.env.WORKBIND_BIN ?? join(ROOT, 'build/workbind');
const SEED = process.env.WORKBIND_SEED_BIN ?? join(ROOT, 'build/bench/workbin_scale/seed_workbin');
const ALICE_WB = '3569d15d-3143-5ada-91b1-415626f3dbcc';
const DEMO_CC = '9dd4189d-90ea-55aa-949a-05882002d93f';
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(10000, 1000000);

function startServer(dir) {
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({
    server: { listen: '127.0.0.1:0' },
    auth: { argon2: { memoryKiB: 1024, iterations: 1 } },
  }));
  const proc = spawn(BIN, ['--config', join(dir, 'settings.json'), '--data-dir', join(dir, 'data'),
    '--provision', join(ROOT, 'config/demo-provisioning.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = out.match(/\(port (\d+)\)/);
      if (m) resolve({ proc, port: Number(m[1]) });
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`workbind exited ${code}: ${out}`)));
  });
}

async function stopServer(s) {
  const done = new Promise((r) => s.proc.on('exit', r));
  s.proc.kill('SIGTERM');
  await done;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(port, path) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request({
      host: '127.0.0.1', port, path, agent,
      headers: { Authorization: `Basic ${Buffer.from('alice:alice-demo-pw').toString('base64')}` },
    }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, json: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(port, path, samples) {
  const times = [];
  let last;
  for (let i = 0; i < samples; i++) {
    last = await get(port, path);
    if (last.json.statusCode !== 0) throw new Error(`${path}: ${JSON.stringify(last.json)}`);
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: q(0.5), p99: q(0.99), last };
}

const rows = [];
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'wb-scale-'));
  try {
    let server = await startServer(dir);
    await get(server.port, '/api/v2/me');  // provisioned and answering
    await stopServer(server);
    const seeded = spawnSync(SEED, [join(dir, 'data'), ALICE_WB, DEMO_CC, String(n)], { encoding: 'utf8' });
    if (seeded.status !== 0) throw new Error(`seed_workbin: ${seeded.stderr}`);
    process.stderr.write(`${n}: ${seeded.stdout}`);
    server = await startServer(dir);
    const base = `/api/v2/workbins/${ALICE_WB}/workitems?fields=id`;
    const count = await measure(server.port, `/api/v2/workbins/${ALICE_WB}?count=true`, 200);
    if (count.last.json.totalCount !== n) throw new Error(`count ${count.last.json.totalCount} != ${n}`);
    const first = await measure(server.port, `${base}&limit=50`, 200);
    const firstDesc = await measure(server.port, `${base}&limit=50&sort=-receivedDate`, 200);
    // Walk with pages of 1000 to the middle for a deep cursor.
    let cursor;
    const workitems = n - Math.ceil(n / 10);
    for (let seen = 0; seen < workitems / 2;) {
      const r = await get(server.port, `${base}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen += r.json.workitems.length;
      cursor = r.json.nextCursor;
    }
    const deep = await measure(server.port, `${base}&limit=50&cursor=${encodeURIComponent(cursor)}`, 200);
    const byUserData = await measure(server.port, `${base}&limit=50&sort=userData.Priority`, n > 100000 ? 5 : 50);
    rows.push({ n, count, first, firstDesc, deep, byUserData });
    await stopServer(server);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
agent.destroy();

const f = (x) => x.toFixed(2).padStart(8);
console.log('\nworkbin scale: latency of one request (ms, p50 / p99), client and server on this machine');
console.log('items      | count=true        | first page 50     | first page 50 desc | page 50 mid cursor | userData sort 50');
for (const r of rows)
  console.log(`${String(r.n).padEnd(10)} | ${f(r.count.p50)} /${f(r.count.p99)} | ${f(r.first.p50)} /${f(r.first.p99)} | ` +
    `${f(r.firstDesc.p50)} /${f(r.firstDesc.p99)}  | ${f(r.deep.p50)} /${f(r.deep.p99)}  | ${f(r.byUserData.p50)} /${f(r.byUserData.p99)}`);
for (const r of rows)
  console.log(`RESULT workbin_scale items=${r.n} count_p50_ms=${r.count.p50.toFixed(2)} first_page_p50_ms=${r.first.p50.toFixed(2)} ` +
    `first_page_p99_ms=${r.first.p99.toFixed(2)} mid_cursor_p50_ms=${r.deep.p50.toFixed(2)} mid_cursor_p99_ms=${r.deep.p99.toFixed(2)} ` +
    `user_data_sort_p50_ms=${r.byUserData.p50.toFixed(2)}`);
