// WebSocket security (docs/security.md): the upgrade is refused unless its
// credentials authenticate (401) and its Origin, when present, is the
// server's own or an allowed one (403); a socket is closed when the HTTP
// session that authenticated it ends (logout, a disabled account), and a
// handshake on a socket is always checked against the live session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client, DEMO, basic } from './lib/client.mjs';
import { openWs } from './lib/raw_ws.mjs';

let server;
const sockets = [];

before(async () => {
  server = await new Server({ settings: { http: { cors: { allowedOrigins: ['https://desk.example'] } } } }).start();
});
after(async () => {
  for (const s of sockets) s.close();
  await server?.cleanup();
});

async function open(headers) {
  const r = await openWs(server.port, headers);
  if (r.ws) sockets.push(r);
  return r;
}

async function signedIn(user) {
  const c = new Client(server.url, user);
  await c.login();
  return c;
}

test('the upgrade refuses credentials that do not authenticate with 401', async () => {
  for (const headers of [
    { Cookie: 'JSESSIONID=00' },
    { Authorization: basic('sam', 'not-his-password') },
    { Authorization: basic('nobody', 'x') },
    {},
  ]) {
    const r = await open(headers);
    assert.equal(r.status, 401, `${JSON.stringify(headers)} was accepted`);
    assert.deepEqual(JSON.parse(r.body), { statusCode: 20, statusMessage: 'Access denied' });
  }
  // A browser's upgrade (it carries Origin) gets no Basic challenge.
  const fromPage = await openWs(server.port, { Cookie: 'JSESSIONID=00', Origin: `http://127.0.0.1:${server.port}` });
  assert.equal(fromPage.status, 401);
  assert.equal(fromPage.headers['www-authenticate'], undefined);
  const fromCurl = await openWs(server.port, { Cookie: 'JSESSIONID=00' });
  assert.equal(fromCurl.headers['www-authenticate'], 'Basic realm="workbind"');
});

test('the upgrade refuses a foreign Origin with 403 and accepts the own and allowed ones', async () => {
  const sam = await signedIn('sam');
  const cookie = `JSESSIONID=${sam.cookie}`;
  for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`]) {
    const r = await open({ Cookie: cookie, Origin: origin });
    assert.equal(r.status, 403, `Origin ${origin} was accepted`);
    assert.deepEqual(JSON.parse(r.body), { statusCode: 3, statusMessage: 'Origin not allowed' });
  }
  for (const origin of [`http://127.0.0.1:${server.port}`, 'https://desk.example']) {
    const r = await open({ Cookie: cookie, Origin: origin });
    assert.ok(r.ws, `Origin ${origin} was refused: ${r.status}`);
    assert.equal((await r.handshake()).successful, true);
  }
});

// Handshakes, subscribes to /v2/me/** (and, for a supervisor, to the
// team's /v2/users/**) and leaves a connect held.
async function subscribed(ws, { supervisor = false } = {}) {
  const hs = await ws.handshake();
  assert.equal(hs.successful, true, JSON.stringify(hs));
  const clientId = hs.clientId;
  const subs = ['/v2/me/**', ...(supervisor ? ['/v2/users/**'] : [])];
  ws.send(subs.map((subscription, i) => ({ id: `s${i}`, channel: '/meta/subscribe', clientId, subscription })));
  for (let i = 0; i < subs.length; i++) {
    const r = await ws.waitFor((m) => m.id === `s${i}`);
    assert.equal(r.successful, true, JSON.stringify(r));
  }
  ws.send([{ id: 'c1', channel: '/meta/connect', clientId, connectionType: 'websocket', advice: { timeout: 0 } }]);
  await ws.waitFor((m) => m.id === 'c1');
  ws.send([{ id: 'c2', channel: '/meta/connect', clientId, connectionType: 'websocket' }]);
  return clientId;
}

// `user` signed in over REST, and a socket opened with that session's
// cookie, handshaken and subscribed (see subscribed()).
async function subscribedSocket(user, options) {
  const client = await signedIn(user);
  const ws = await open({ Cookie: `JSESSIONID=${client.cookie}` });
  assert.ok(ws.ws, `upgrade refused: ${ws.status}`);
  await subscribed(ws, options);
  return { client, ws };
}

test('EndContactCenterSession closes the WebSockets its session opened', async () => {
  const { client: sam, ws } = await subscribedSocket('sam', { supervisor: true });
  const end = await sam.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
  assert.equal(end.json.statusCode, 0, end.text);
  const held = await ws.waitFor((m) => m.id === 'c2');
  assert.deepEqual(held.advice, { reconnect: 'none' });
  const closed = await ws.waitClosed();
  assert.equal(closed.code, 1008);
  // The cookie no longer opens a socket either.
  assert.equal((await open({ Cookie: `JSESSIONID=${sam.cookie}` })).status, 401);
});

test('disabling the account closes its WebSockets, whose handshakes no longer succeed', async () => {
  const { client: bob, ws } = await subscribedSocket('bob');
  const ops = await signedIn('ops');
  const off = await ops.put(`/api/v2/users/${DEMO.users.bob.id}`, { enabled: false });
  assert.equal(off.json.statusCode, 0, off.text);
  try {
    const closed = await ws.waitClosed();
    assert.equal(closed.code, 1008);
    // Nothing more arrives for bob once he is disabled: the socket is gone
    // and a new one is refused.
    assert.equal((await open({ Cookie: `JSESSIONID=${bob.cookie}` })).status, 401);
    assert.equal((await open({ Authorization: basic('bob') })).status, 401);
  } finally {
    const on = await ops.put(`/api/v2/users/${DEMO.users.bob.id}`, { enabled: true });
    assert.equal(on.json.statusCode, 0, on.text);
  }
});

test('a socket opened with Basic credentials closes when its HTTP session is evicted', async () => {
  // One HTTP session per user: a new sign-in evicts the socket's session.
  const small = await new Server({ settings: { auth: { maxSessionsPerUser: 1 } } }).start();
  try {
    const r = await openWs(small.port, { Authorization: basic('alice') });
    assert.ok(r.ws, `upgrade refused: ${r.status}`);
    sockets.push(r);
    await subscribed(r);
    // A handshake again on the same socket reuses its HTTP session (it does
    // not open, and so evict, one per handshake).
    r.send([{ id: 'd1', channel: '/meta/disconnect', clientId: r.messages.find((m) => m.id === 'h1').clientId }]);
    await r.waitFor((m) => m.id === 'd1');
    assert.equal((await r.handshake('h2')).successful, true);
    const alice = new Client(small.url, 'alice');
    await alice.login();
    const closed = await r.waitClosed();
    assert.equal(closed.code, 1008);
  } finally {
    await small.cleanup();
  }
});

test('a password changed by an admin closes the WebSockets of that user', async () => {
  const { ws } = await subscribedSocket('alice');
  const ops = await signedIn('ops');
  const set = await ops.put(`/api/v2/users/${DEMO.users.alice.id}`, { password: 'alice-new-pw-2' });
  assert.equal(set.json.statusCode, 0, set.text);
  try {
    const closed = await ws.waitClosed();
    assert.equal(closed.code, 1008);
    assert.equal((await open({ Authorization: basic('alice') })).status, 401, 'the old password still opens a socket');
  } finally {
    const back = await ops.put(`/api/v2/users/${DEMO.users.alice.id}`, { password: DEMO.users.alice.password });
    assert.equal(back.json.statusCode, 0, back.text);
  }
});
