// The log operators ship (operations.md, Logs): log.format json writes one
// JSON object per line, access lines carry their fields and the request id
// echoed in X-Request-Id; server.trustedProxies makes X-Forwarded-For the
// client address (access log, sign-in throttle) and X-Forwarded-Proto https
// a Secure cookie, for trusted peers only; log.level warn hides info lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, BIN, DEMO_PROVISIONING } from './lib/server.mjs';
import { request, basic } from './lib/client.mjs';

const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MADE_ID = /^[0-9a-f]{12}-[0-9a-f]{8,}$/;

// Every line of the output (stdout; stderr stays empty) as JSON.
function jsonLines(output) {
  const lines = output.split('\n').filter((l) => l !== '');
  return lines.map((l) => {
    let o;
    assert.doesNotThrow(() => (o = JSON.parse(l)), `not JSON: ${l}`);
    assert.equal(typeof o, 'object');
    assert.match(o.time, RFC3339_MS, l);
    assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'critical'].includes(o.level), l);
    assert.equal(typeof o.message, 'string', l);
    return o;
  });
}

function accessLine(lines, requestId) {
  const found = lines.filter((o) => o.requestId === requestId && o.method !== undefined);
  assert.equal(found.length, 1, `one access line with requestId ${requestId}`);
  return found[0];
}

test('json lines: every field of an access line, and the request id', async (t) => {
  const server = await new Server({ settings: { log: { format: 'json' } } }).start();
  t.after(() => server.cleanup());

  const sent = await request(server.url, 'GET', '/api/v2/me?password=hunter2&limit=1', {
    headers: { Authorization: basic('alice'), 'X-Request-Id': 'client-"id"-42' },
  });
  assert.equal(sent.status, 200);
  assert.equal(sent.headers.get('x-request-id'), 'client-"id"-42');

  const made = await request(server.url, 'GET', '/api/v2/no-such-thing');
  assert.equal(made.status, 404);
  const madeId = made.headers.get('x-request-id');
  assert.match(madeId, MADE_ID);

  // Not sane (a space): replaced by a made one.
  const refused = await request(server.url, 'GET', '/api/v2/diagnostics/version', {
    headers: { 'X-Request-Id': 'has space' },
  });
  assert.match(refused.headers.get('x-request-id'), MADE_ID);
  assert.notEqual(refused.headers.get('x-request-id'), madeId);

  const { code } = await server.stop();
  assert.equal(code, 0);
  const lines = jsonLines(server.output);
  assert.ok(lines.some((o) => o.level === 'info' && /listening on/.test(o.message)));

  const a = accessLine(lines, 'client-"id"-42');
  assert.equal(a.level, 'info');
  assert.equal(a.method, 'GET');
  assert.equal(a.path, '/api/v2/me?password=***&limit=1');
  assert.equal(a.status, 200);
  assert.equal(a.statusCode, 0);
  assert.equal(typeof a.durationMs, 'number');
  assert.ok(a.durationMs >= 0);
  assert.equal(a.user, 'alice');
  assert.equal(a.remote, '127.0.0.1');
  assert.ok(!server.output.includes('hunter2'), 'the password is not logged');

  const b = accessLine(lines, madeId);
  assert.equal(b.status, 404);
  assert.equal(b.statusCode, 6);
  assert.equal(b.user, undefined);
  assert.equal(b.path, '/api/v2/no-such-thing');
  accessLine(lines, refused.headers.get('x-request-id'));
});

// Failed sign-ins from 127.0.0.1 claiming to come from `forwardedFor`.
async function failedSignIn(server, forwardedFor, name) {
  return request(server.url, 'GET', '/api/v2/me', {
    headers: { Authorization: basic(name, 'wrong'), 'X-Forwarded-For': forwardedFor },
  });
}

const THROTTLE = { maxFailures: 1000, maxFailuresPerAddress: 2, lockoutSeconds: 600, windowSeconds: 600 };

test('behind a trusted proxy: X-Forwarded-For is the client, X-Forwarded-Proto https a Secure cookie', async (t) => {
  const server = await new Server({
    settings: {
      log: { format: 'json' },
      server: { trustedProxies: ['10.0.0.0/8', '127.0.0.1'] },
      auth: { throttle: THROTTLE },
    },
  }).start();
  t.after(() => server.cleanup());

  const r = await request(server.url, 'GET', '/api/v2/me', {
    headers: {
      Authorization: basic('alice'),
      'X-Forwarded-For': '198.51.100.66, 203.0.113.9, 10.1.2.3',
      'X-Forwarded-Proto': 'https',
      'X-Request-Id': 'via-proxy-1',
    },
  });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('set-cookie'), /^JSESSIONID=[^;]+;.*; Secure/);
  const plain = await request(server.url, 'GET', '/api/v2/me', {
    headers: { Authorization: basic('alice'), 'X-Forwarded-Proto': 'http' },
  });
  assert.equal(plain.status, 200);
  assert.doesNotMatch(plain.headers.get('set-cookie'), /Secure/);

  // The throttle counts per client address: 203.0.113.9 is locked out,
  // 203.0.113.10 is not.
  for (let i = 0; i < 2; i++) assert.equal((await failedSignIn(server, '203.0.113.9', `nobody${i}`)).status, 401);
  assert.equal((await failedSignIn(server, '203.0.113.9', 'nobody9')).status, 429);
  assert.equal((await failedSignIn(server, '203.0.113.10', 'nobody9')).status, 401);

  await server.stop();
  const a = accessLine(jsonLines(server.output), 'via-proxy-1');
  assert.equal(a.remote, '203.0.113.9');
});

test('without trusted proxies both headers are ignored', async (t) => {
  const server = await new Server({
    settings: { log: { format: 'json' }, auth: { throttle: THROTTLE } },
  }).start();
  t.after(() => server.cleanup());

  const r = await request(server.url, 'GET', '/api/v2/me', {
    headers: {
      Authorization: basic('alice'),
      'X-Forwarded-For': '203.0.113.9',
      'X-Forwarded-Proto': 'https',
      'X-Request-Id': 'spoofed-1',
    },
  });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('set-cookie'), /^JSESSIONID=/);
  assert.doesNotMatch(r.headers.get('set-cookie'), /Secure/);

  // A new X-Forwarded-For on every attempt changes nothing: the peer,
  // 127.0.0.1, is locked out.
  assert.equal((await failedSignIn(server, '203.0.113.1', 'nobody1')).status, 401);
  assert.equal((await failedSignIn(server, '203.0.113.2', 'nobody2')).status, 401);
  assert.equal((await failedSignIn(server, '203.0.113.3', 'nobody3')).status, 429);

  await server.stop();
  const a = accessLine(jsonLines(server.output), 'spoofed-1');
  assert.equal(a.remote, '127.0.0.1');
});

// A free loopback port: the server, at level warn, does not write the
// "listening" line the test helper waits for.
async function freePort() {
  const s = createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

// Resolves once GET /healthz answers; bounded.
async function answering(url, ms) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url + '/healthz')).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('log.level warn hides info lines and keeps warnings', async (t) => {
  const server = new Server({
    settings: {
      log: { format: 'json', level: 'warn' },
      // An unknown zone: a warning at start (the server goes on in UTC).
      server: { timeZone: 'Nowhere/Nothing' },
    },
  });
  t.after(() => server.cleanup());
  const port = await freePort();
  const settings = { ...server.settings, server: { ...server.settings.server, listen: `127.0.0.1:${port}` } };
  const configPath = join(server.dataDir, 'settings.json');
  writeFileSync(configPath, JSON.stringify(settings));
  let output = '';
  const proc = spawn(BIN, ['--config', configPath, '--data-dir', join(server.dataDir, 'db'), '--provision', DEMO_PROVISIONING], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  t.after(async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGKILL');
      await exited;
    }
  });
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await answering(url, 60000);

  const r = await request(url, 'GET', '/api/v2/diagnostics/version');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('x-request-id'), MADE_ID);
  proc.kill('SIGTERM');
  assert.equal(await exited, 0);

  const lines = jsonLines(output);
  assert.ok(lines.some((o) => o.level === 'warn' && o.message.startsWith('server.timeZone:')), output);
  assert.deepEqual(lines.filter((o) => o.level === 'info' || o.level === 'debug'), []);
});
