// Slow and misbehaving clients: one that stops reading its replies, one that
// pipelines hundreds of requests, one that opens many Bayeux sessions, one
// that never polls, and slow headers. The server's resident memory
// (/proc/<pid>/status VmRSS) stays within a bound derived from the
// configured limits, the misbehaving client is cut off by the documented
// limit, and a well-behaved client keeps being served throughout. Nothing
// here asserts on time: where a limit is a timeout, the test waits for the
// outcome.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { Server } from './lib/server.mjs';
import { Client, basic, request } from './lib/client.mjs';
import { RawSession } from './lib/bayeux.mjs';

const MAX_PENDING = 256 * 1024;   // http.maxPendingResponseBytes
const PIPELINE = 16;              // http.maxPipelinedRequests
const MAX_QUEUE = 100;            // notifications.maxQueue
const MAX_SESSIONS = 8;           // notifications.maxSessionsPerUser
const HEADER_TIMEOUT = 2;         // http.headerTimeoutSeconds
// What the misbehaving clients may add to the server's resident memory:
// far below what they ask for (hundreds of MiB of replies and events), far
// above the configured limits (a few MiB), to leave room for allocator noise.
const RSS_BOUND_KIB = 48 * 1024;

let server;

function rssKiB() {
  const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  return Number(status.match(/^VmRSS:\s+(\d+) kB/m)[1]);
}

// The well-behaved client: one request, answered.
async function stillServed() {
  const r = await request(server.url, 'GET', '/api/v2/me', { headers: { Authorization: basic('bob') } });
  assert.equal(r.json?.statusCode, 0, 'a well-behaved client is served');
}

before(async () => {
  server = await new Server({
    settings: {
      // The longest write timeout: only maxPendingResponseBytes can cut off
      // a client that stops reading within the test.
      http: { maxPendingResponseBytes: MAX_PENDING, maxPipelinedRequests: PIPELINE, headerTimeoutSeconds: HEADER_TIMEOUT, writeTimeoutSeconds: 3600 },
      notifications: { maxQueue: MAX_QUEUE, maxSessionsPerUser: MAX_SESSIONS, maxSessionsPerBrowser: -1, maxIntervalMs: 600000 },
    },
  }).start();
  // Warm up, so that the baselines below include the steady state.
  for (let i = 0; i < 50; i++) await request(server.url, 'GET', '/api/v2/openapi.json');
  await stillServed();
});
after(async () => server?.cleanup());

test('a client that stops reading is disconnected past maxPendingResponseBytes; memory stays bounded', async () => {
  const doc = await request(server.url, 'GET', '/api/v2/openapi.json');
  const replyBytes = doc.text.length;
  // Ask for ~300 MiB of replies and never read them.
  const requests = Math.ceil((300 * 1024 * 1024) / replyBytes);
  const baseline = rssKiB();
  const sock = net.connect(server.port, '127.0.0.1');
  sock.pause();
  const closed = new Promise((resolve) => sock.on('close', resolve));
  sock.on('error', () => {});
  await new Promise((resolve) => sock.on('connect', resolve));
  const one = 'GET /api/v2/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  let written = 0;
  let peak = baseline;
  for (; written < requests && !sock.destroyed; written++) {
    if (!sock.write(one)) await Promise.race([new Promise((r) => sock.once('drain', r)), closed]);
    if (written % 500 === 0) {
      peak = Math.max(peak, rssKiB());
      await stillServed();
    }
  }
  await closed;  // the server cut it off (the client never reads, so only the server can close)
  peak = Math.max(peak, rssKiB());
  console.log(`stopped reader: ${written} of ${requests} requests written (${replyBytes} reply bytes each); VmRSS +${peak - baseline} KiB`);
  assert.ok(written < requests, `the server read all ${requests} requests of a client that reads nothing`);
  assert.ok(peak - baseline < RSS_BOUND_KIB, `VmRSS grew by ${peak - baseline} KiB`);
  await stillServed();
});

test('hundreds of pipelined requests on one connection are all answered, in order', async () => {
  const N = 600;
  const baseline = rssKiB();
  const sock = net.connect(server.port, '127.0.0.1');
  let data = '';
  sock.on('data', (d) => (data += d));
  await new Promise((resolve) => sock.on('connect', resolve));
  let batch = '';
  for (let i = 0; i < N; i++)
    batch += `GET /api/v2/users/nobody-${i} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic('ops')}\r\n\r\n`;
  sock.write(batch);
  const replies = () => (data.match(/HTTP\/1\.1 /g) ?? []).length;
  let closed = false;
  sock.on('close', () => (closed = true));
  while (replies() < N && !closed) await new Promise((resolve) => { sock.once('data', resolve); setTimeout(resolve, 200); });
  assert.equal(replies(), N, `the connection closed after ${replies()} replies`);
  sock.destroy();
  const bodies = [...data.matchAll(/nobody-(\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(bodies, [...Array(N).keys()], 'one reply per request, in request order');
  console.log(`pipelining: ${N} requests answered in order; VmRSS +${rssKiB() - baseline} KiB`);
  assert.ok(rssKiB() - baseline < RSS_BOUND_KIB);
  await stillServed();
});

test('a user opening many Bayeux sessions gets maxSessionsPerUser of them', async () => {
  const baseline = rssKiB();
  const results = [];
  // One HTTP session carries every handshake (more HTTP sessions than
  // auth.maxSessionsPerUser would end the oldest, and their Bayeux sessions).
  const rest = new Client(server.url, 'alice');
  await rest.login();
  for (let i = 0; i < 200; i++) {
    const s = new RawSession(server.url, 'alice', { rest });
    const r = await s.handshake();
    results.push(r.json?.[0]?.successful ? 'ok' : r.json?.[0]?.error);
  }
  assert.equal(results.filter((x) => x === 'ok').length, MAX_SESSIONS);
  assert.deepEqual([...new Set(results.filter((x) => x !== 'ok'))], ['403::Too many sessions']);
  console.log(`many sessions: 200 handshakes, ${MAX_SESSIONS} accepted; VmRSS +${rssKiB() - baseline} KiB`);
  assert.ok(rssKiB() - baseline < RSS_BOUND_KIB);
  await stillServed();
});

test('a Bayeux session that never polls is dropped past maxQueue; memory stays bounded', async () => {
  const sam = new RawSession(server.url, 'sam');
  await sam.handshake();
  // The first connect is answered at once; then sam never polls again.
  await sam.send([{ id: sam.id(), channel: '/meta/connect', connectionType: 'long-polling' }]);
  const sub = await sam.send([{ id: sam.id(), channel: '/meta/subscribe', subscription: '/v2/me/channels' }]);
  assert.equal(sub.json?.[0]?.successful, true, sub.text);
  const agent = new Client(server.url, 'sam');
  await agent.login();
  const baseline = rssKiB();
  const start = await agent.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  assert.equal(start.json.statusCode, 0, start.text);
  // Each Ready/NotReady is one message on /v2/me/channels: far more than maxQueue.
  for (let i = 0; i < MAX_QUEUE * 5; i++) {
    const r = await agent.post('/api/v2/me/channels/workitem', { operationName: i % 2 ? 'Ready' : 'NotReady', reason: 'x'.repeat(2000) });
    assert.equal(r.json.statusCode, 0, r.text);
  }
  const c = await sam.send([{ id: sam.id(), channel: '/meta/connect', connectionType: 'long-polling' }]);
  assert.equal(c.json?.find((m) => m.channel === '/meta/connect')?.error, '402::Unknown client', c.text.slice(0, 300));
  console.log(`never polls: ${MAX_QUEUE * 5} events of ~2 KiB, session dropped; VmRSS +${rssKiB() - baseline} KiB`);
  assert.ok(rssKiB() - baseline < RSS_BOUND_KIB);
  await stillServed();
});

test('slow headers (slowloris): the connection is closed after headerTimeoutSeconds, others are served', async () => {
  const socks = [];
  for (let i = 0; i < 50; i++) {
    const s = net.connect(server.port, '127.0.0.1');
    s.on('error', () => {});
    s.write('GET /api/v2/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    socks.push({ s, closed: new Promise((resolve) => s.on('close', resolve)) });
  }
  // One more header byte now and then, never the end of the headers.
  const drip = setInterval(() => socks.forEach(({ s }) => !s.destroyed && s.write('a')), 500);
  await stillServed();
  await Promise.all(socks.map((x) => x.closed));  // closed by the server, not by us
  clearInterval(drip);
  await stillServed();
});
