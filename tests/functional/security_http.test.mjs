// Cross-site requests and HTTP hardening against the real binary: writes
// must declare a JSON body (415 otherwise, so that a browser page can never
// send one without a CORS preflight), cookie writes from a foreign Origin are
// refused, a pipelined request's reply survives a malformed request behind
// it, the console and the API carry security headers, and a 401 challenges
// with Basic only clients that are not browser scripts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from './lib/server.mjs';
import { Client, basic, rawExchange, request } from './lib/client.mjs';
import { post as bayeuxPost } from './lib/bayeux.mjs';

const LISTED = 'https://desk.example';
let dir, server, alice, bob;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbind-sec-'));
  const root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'assets', 'index-4f9c2a1b.js'), 'export const x = 1;\n');
  server = await new Server({ settings: { web: { root }, http: { cors: { allowedOrigins: [LISTED] } } } }).start();
  alice = new Client(server.url, 'alice');
  await alice.login();
  bob = new Client(server.url, 'bob');
  await bob.login();
  for (const c of [alice, bob]) {
    const r = await c.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
    assert.equal(r.status, 200, r.text);
  }
});

after(async () => {
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function workitemState(client) {
  const r = await client.get('/api/v2/me/channels?fields=*');
  assert.equal(r.status, 200, r.text);
  return r.json.channels.find((ch) => ch.channel === 'workitem');
}

const CHANNEL = '/api/v2/me/channels/workitem';
const UNSUPPORTED = { statusCode: 10, statusMessage: 'Content-Type must be application/json' };

test('a write without a JSON Content-Type is 415 statusCode 10 and changes nothing', async () => {
  const before = await workitemState(alice);
  const op = before.userState?.state === 'Ready' ? 'NotReady' : 'Ready';
  const body = JSON.stringify({ operationName: op });
  // What a cross-site page can send without a preflight: no type (a Buffer
  // body gets none from fetch), text/plain, the form types.
  for (const type of [undefined, 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x']) {
    for (const auth of ['cookie', 'basic']) {
      const headers = auth === 'cookie' ? alice.headers() : { Authorization: basic('alice') };
      if (type) headers['Content-Type'] = type;
      const r = await request(server.url, 'POST', CHANNEL, { headers, rawBody: Buffer.from(body) });
      assert.equal(r.status, 415, `${type} ${auth}: ${r.text}`);
      assert.deepEqual(r.json, UNSUPPORTED);
      assert.equal(r.headers.get('set-cookie'), null, 'no session is opened');
    }
  }
  // An empty POST without a type is refused too.
  const empty = await request(server.url, 'POST', '/api/v2/me', { headers: alice.headers(), rawBody: Buffer.alloc(0) });
  assert.equal(empty.status, 415);
  assert.deepEqual(await workitemState(alice), before);

  // The same write declared as JSON (any case, with a charset) is applied.
  const ok = await request(server.url, 'POST', CHANNEL, {
    headers: { ...alice.headers(), 'Content-Type': 'Application/JSON; charset=UTF-8' },
    rawBody: Buffer.from(body),
  });
  assert.equal(ok.status, 200, ok.text);
  assert.notDeepEqual(await workitemState(alice), before);
});

test('Bayeux long-polling requires a JSON Content-Type', async () => {
  const handshake = [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }];
  const cookie = `JSESSIONID=${alice.cookie}`;
  for (const [type, raw] of [['text/plain', JSON.stringify(handshake)],
    ['application/x-www-form-urlencoded', `message=${encodeURIComponent(JSON.stringify(handshake))}`]]) {
    const r = await bayeuxPost(server.url, undefined, { cookie, headers: { 'Content-Type': type }, raw });
    assert.equal(r.status, 415, `${type}: ${r.text}`);
    assert.deepEqual(r.json, UNSUPPORTED);
  }
  const none = await fetch(`${server.url}/api/v2/notifications`, {
    method: 'POST', headers: { Cookie: cookie }, body: Buffer.from(JSON.stringify(handshake)),
  });
  assert.equal(none.status, 415);
  const ok = await bayeuxPost(server.url, handshake, { cookie, headers: { 'Content-Type': 'application/json;charset=UTF-8' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json[0].successful, true);
});

test('a cookie write from a foreign Origin is 403 statusCode 3 and changes nothing', async () => {
  const before = await workitemState(alice);
  const op = before.userState?.state === 'Ready' ? 'NotReady' : 'Ready';
  for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`]) {
    const r = await alice.post(CHANNEL, { operationName: op }, { Origin: origin });
    assert.equal(r.status, 403, `${origin}: ${r.text}`);
    assert.deepEqual(r.json, { statusCode: 3, statusMessage: 'Origin not allowed' });
  }
  assert.deepEqual(await workitemState(alice), before);
  // The server's own origin and a listed one may write.
  const own = await alice.post(CHANNEL, { operationName: op }, { Origin: `http://127.0.0.1:${server.port}` });
  assert.equal(own.status, 200, own.text);
  const back = op === 'Ready' ? 'NotReady' : 'Ready';
  const listed = await alice.post(CHANNEL, { operationName: back }, { Origin: LISTED });
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(await workitemState(alice), before);
});

test('a malformed request pipelined behind a write does not swallow its reply', async () => {
  assert.equal((await bob.post(CHANNEL, { operationName: 'Ready' })).status, 200);
  const body = JSON.stringify({ operationName: 'NotReady' });
  const bytes = `POST ${CHANNEL} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${basic('bob')}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}` +
    'GARBAGE\r\n\r\n';
  const reply = await rawExchange(server.port, [bytes]);  // one write; resolves on close
  const second = reply.indexOf('HTTP/1.1 400 ');
  assert.match(reply, /^HTTP\/1\.1 200 /, reply);
  assert.ok(second > 0, reply);
  assert.match(reply.slice(0, second), /\r\n\r\n\{"statusCode":0[,}][^\r]*$/);
  assert.match(reply.slice(second), /\r\n\r\n\{"statusCode":10,"statusMessage":"[^"]+"\}$/);
  assert.equal((await workitemState(bob)).userState.state, 'NotReady');
});

test('the console carries CSP, X-Frame-Options, Referrer-Policy and nosniff', async () => {
  for (const path of ['/', '/agent', '/assets/index-4f9c2a1b.js']) {
    const r = await request(server.url, 'GET', path);
    assert.equal(r.status, 200, path);
    const csp = r.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "connect-src 'self' ws: wss:", "frame-ancestors 'none'",
      "base-uri 'none'", "object-src 'none'"])
      assert.ok(csp.split(/;\s*/).includes(directive), `${path}: ${directive} in ${csp}`);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
  }
});

test('API replies carry nosniff, no-referrer and frame-ancestors none', async () => {
  const replies = [
    await alice.get('/api/v2/me'),
    await request(server.url, 'GET', '/api/v2/me'),
    await request(server.url, 'GET', '/api/v2/nope'),
    await request(server.url, 'GET', '/api/v2/diagnostics/version'),
    await bayeuxPost(server.url, [{ channel: '/meta/handshake' }], { cookie: `JSESSIONID=${alice.cookie}` }),
  ];
  for (const r of replies) {
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', r.text);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', r.text);
    assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, r.text);
  }
});

test('a 401 challenges with Basic except browser scripts (X-Requested-With or Origin)', async () => {
  const plain = await request(server.url, 'GET', '/api/v2/me');
  assert.equal(plain.status, 401);
  assert.equal(plain.headers.get('www-authenticate'), 'Basic realm="workbind"');
  for (const headers of [{ 'X-Requested-With': 'XMLHttpRequest' }, { Origin: 'http://evil.example' }, { Origin: LISTED },
    { 'X-Requested-With': 'XMLHttpRequest', Authorization: basic('alice', 'wrong') }]) {
    const r = await request(server.url, 'GET', '/api/v2/me', { headers });
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.deepEqual(r.json, { statusCode: 20, statusMessage: 'Access denied' });
    assert.equal(r.headers.get('www-authenticate'), null, JSON.stringify(headers));
  }
});
