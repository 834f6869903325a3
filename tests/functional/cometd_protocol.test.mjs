// The CometD endpoint at the wire level (notifications.md): raw Bayeux JSON
// over HTTP long-polling with fetch and the session cookie, against the real
// binary. Requests carry no BAYEUX_BROWSER cookie unless a test sets one, so
// the per-browser limit applies only where a test asks for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client, DEMO, basic } from './lib/client.mjs';
import { NOTIFICATIONS, RawSession, post, pendingAfter, sleep } from './lib/bayeux.mjs';

const TIMEOUT_MS = 3000; // short hold, so that timeouts are quick to observe
// A held connect is answered at the earliest after TIMEOUT_MS (or by an
// event); a reply that comes sooner was not held. No other timing is checked.
const AT_ONCE = TIMEOUT_MS;
const HEX32 = /^[0-9a-f]{32}$/;
const ALICE = DEMO.users.alice.id;
const BOB = DEMO.users.bob.id;

let server; // the main server
let small; // a server with small limits: sessions per user, expiry, queue
before(async () => {
  [server, small] = await Promise.all([
    new Server({
      settings: {
        auth: { maxSessionsPerUser: 1000 },
        notifications: {
          timeoutMs: TIMEOUT_MS, openChannels: ['/chat/**'], maxSessionsPerUser: 0,
          duplicateConnectHttpStatus: 503,
        },
      },
    }).start(),
    new Server({
      settings: {
        auth: { maxSessionsPerUser: 1000 },
        notifications: { timeoutMs: TIMEOUT_MS, maxSessionsPerUser: 2, maxIntervalMs: 1000, maxQueue: 5,
          openChannels: ['/chat/**'] },
      },
    }).start(),
  ]);
  // Contact-center sessions with the workitem channel, so that a Ready /
  // NotReady makes the server publish a ChannelStateChangeMessageV2.
  for (const user of ['alice', 'bob']) {
    const c = new Client(server.url, user);
    await c.login();
    const r = await c.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
    assert.equal(r.status, 200, r.text);
  }
});
after(async () => Promise.all([server?.cleanup(), small?.cleanup()]));

const open = (user, opts, hs, conn) => new RawSession(server.url, user, opts).open(hs, conn);

// Alternates NotReady / Ready for the user of `rest`; returns the referenceId
// of the REST reply (the server publishes ChannelStateChangeMessageV2).
const toggles = new Map();
async function changeState(rest) {
  const n = (toggles.get(rest.user) ?? 0) + 1;
  toggles.set(rest.user, n);
  const r = await rest.post('/api/v2/me/channels/workitem', { operationName: n % 2 ? 'NotReady' : 'Ready' });
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.json.referenceId, 'number');
  return r.json.referenceId;
}

// Polls (connects) until `until(events)` holds or `tries` connects were
// answered; returns every event received (messages without an id).
async function collect(s, until, tries = 4) {
  const events = [];
  for (let i = 0; i < tries; i++) {
    const r = await s.connect();
    assert.equal(r.status, 200, r.text);
    events.push(...r.json.filter((m) => !m.channel.startsWith('/meta/')));
    if (until(events)) break;
  }
  return events;
}

const isChannelChange = (ref) => (m) => m.data?.messageType === 'ChannelStateChangeMessageV2' && m.data.referenceId === ref;

// ---------------------------------------------------------------- handshake

test('handshake: reply fields, advice, version, transports, JSON content type', async () => {
  const s = new RawSession(server.url, 'alice');
  const r = await s.handshake();
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json;charset=UTF-8');
  assert.equal(r.json.length, 1);
  const [h] = r.json;
  assert.match(h.clientId, HEX32);
  assert.deepEqual(h, {
    id: '1', channel: '/meta/handshake', version: '1.0', minimumVersion: '1.0',
    supportedConnectionTypes: ['websocket', 'long-polling'], clientId: h.clientId, successful: true,
    advice: { reconnect: 'retry', interval: 0, timeout: TIMEOUT_MS, maxInterval: 10000 },
  });
});

test('handshake: sets BAYEUX_BROWSER when absent, not when present', async () => {
  const s = new RawSession(server.url, 'alice');
  const r = await s.handshake();
  assert.match(r.headers.get('set-cookie'), /^BAYEUX_BROWSER=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
  const again = new RawSession(server.url, 'alice', { rest: s.rest, browser: 'ab'.repeat(16) });
  const r2 = await again.handshake();
  assert.equal(r2.json[0].successful, true);
  assert.equal(r2.headers.get('set-cookie'), null);
});

test('handshake: a new clientId every time; a clientId sent with the handshake is ignored', async () => {
  const s = new RawSession(server.url, 'alice');
  const a = (await s.handshake()).json[0].clientId;
  const b = (await s.handshake({ clientId: a })).json[0].clientId;
  assert.match(b, HEX32);
  assert.notEqual(a, b);
});

test('handshake: version starting with 1 or absent accepted; other version refused', async () => {
  const s = new RawSession(server.url, 'alice');
  assert.equal((await s.handshake({ version: '1.7' })).json[0].successful, true);
  assert.equal((await s.handshake({ version: undefined })).json[0].successful, true);
  const r = await s.handshake({ version: '2.0' });
  assert.equal(r.json[0].successful, false);
  assert.equal(r.json[0].error, '400::Unsupported version');
  assert.deepEqual(r.json[0].advice, { reconnect: 'none' });
  assert.equal(r.json[0].clientId, undefined);
});

test('handshake: no common connection type is refused with the server list', async () => {
  const s = new RawSession(server.url, 'alice');
  const r = await s.handshake({ supportedConnectionTypes: ['callback-polling', 'iframe'] });
  const [h] = r.json;
  assert.equal(h.successful, false);
  assert.equal(h.error, '400::Unsupported connection type');
  assert.deepEqual(h.supportedConnectionTypes, ['websocket', 'long-polling']);
  assert.deepEqual(h.advice, { reconnect: 'none' });
  assert.equal(h.clientId, undefined);
});

test('handshake: refused without an authenticated HTTP session (403::Handshake denied)', async () => {
  const denied = (id) => [{ channel: '/meta/handshake', id, successful: false, error: '403::Handshake denied',
    advice: { reconnect: 'none' } }];
  const msg = [{ id: '1', channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }];
  const none = await post(server.url, msg);
  assert.equal(none.status, 200);
  assert.deepEqual(none.json, denied('1'));
  const bogus = await post(server.url, msg, { cookie: 'JSESSIONID=0123456789ABCDEF0123456789ABCDEF' });
  assert.deepEqual(bogus.json, denied('1'));
  const wrong = await post(server.url, msg, { headers: { Authorization: basic('alice', 'wrong') } });
  assert.deepEqual(wrong.json, denied('1'));
});

test('handshake: refused for a system admin, even with valid credentials', async () => {
  const msg = [{ id: '7', channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }];
  const r = await post(server.url, msg, { headers: { Authorization: basic('root') } });
  assert.deepEqual(r.json, [{ channel: '/meta/handshake', id: '7', successful: false, error: '403::Handshake denied',
    advice: { reconnect: 'none' } }]);
});

test('handshake: Basic credentials create the HTTP session and set JSESSIONID', async () => {
  const msg = [{ id: '1', channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }];
  const r = await post(server.url, msg, { headers: { Authorization: basic('bob') } });
  assert.equal(r.json[0].successful, true);
  const jsession = r.headers.get('set-cookie').match(/JSESSIONID=([0-9A-F]{32})/)[1];
  // The cookie alone now carries the session.
  const c = await post(server.url, [{ id: '2', channel: '/meta/connect', connectionType: 'long-polling',
    clientId: r.json[0].clientId }], { cookie: `JSESSIONID=${jsession}` });
  assert.equal(c.json[0].successful, true);
});

test('handshake must be the only message of its request: HTTP 400 statusCode 10', async () => {
  const s = new RawSession(server.url, 'alice');
  await s.rest.login();
  const r = await s.send([{ id: '1', channel: '/meta/handshake', version: '1.0' },
    { id: '2', channel: '/meta/connect', clientId: 'ab'.repeat(16), connectionType: 'long-polling' }]);
  assert.equal(r.status, 400);
  assert.deepEqual(r.json, { statusCode: 10, statusMessage: 'A handshake must be the only message of its request' });
});

test('timesync extension: the handshake reply carries tc, ts, p, a', async () => {
  const s = new RawSession(server.url, 'alice');
  const tc = Date.now();
  const r = await s.handshake({ ext: { timesync: { tc, l: 0, o: 0 } } });
  const t = r.json[0].ext.timesync;
  assert.equal(t.tc, tc);
  for (const k of ['ts', 'p', 'a']) assert.equal(typeof t[k], 'number', k);
});

// ------------------------------------------------------------------ connect

test('first connect is answered at once with the full advice', async () => {
  const s = new RawSession(server.url, 'alice');
  await s.handshake();
  const r = await s.connect();
  assert.deepEqual(r.json, [{ id: '2', channel: '/meta/connect', successful: true, clientId: s.clientId,
    advice: { reconnect: 'retry', interval: 0, timeout: TIMEOUT_MS } }]);
  assert.ok(r.ms < AT_ONCE, `answered after ${r.ms} ms`);
});

test('held connect: released by the timeout, successful, no advice, no events', async () => {
  const s = await open('alice');
  const r = await s.connect();
  assert.deepEqual(r.json, [{ id: '3', channel: '/meta/connect', successful: true, clientId: s.clientId }]);
  assert.ok(r.ms >= TIMEOUT_MS * 0.9, `answered after ${r.ms} ms`);
});

test('held connect: released by a publish on an open channel, events before the reply', async () => {
  const alice = await open('alice');
  const bob = await open('bob');
  assert.equal((await alice.subscribe('/chat/room1')).json[0].successful, true);
  const held = alice.connect();
  assert.ok(await pendingAfter(held, 300), 'connect is held');
  const p = await bob.publish('/chat/room1', { text: 'hi' }, { id: '99' });
  assert.deepEqual(p.json, [{ id: '99', channel: '/chat/room1', successful: true }]);
  const r = await held;
  assert.deepEqual(r.json, [
    { channel: '/chat/room1', data: { text: 'hi' } },
    { id: '4', channel: '/meta/connect', successful: true, clientId: alice.clientId },
  ]);
});

test('connect with advice.timeout 0 is answered at once; the timeout is never echoed', async () => {
  const s = await open('alice');
  const r = await s.connect({ advice: { timeout: 0 } });
  assert.ok(r.ms < AT_ONCE, `answered after ${r.ms} ms`);
  assert.equal(r.json.length, 1);
  assert.equal(r.json[0].successful, true);
  assert.notEqual(r.json[0].advice?.timeout, 0);
});

test('connect with a client advice.interval: echoed in the reply advice', async () => {
  const s = await open('alice');
  const r = await s.connect({ advice: { timeout: 0, interval: 500 } });
  assert.equal(r.json[0].successful, true);
  assert.equal(r.json[0].advice.interval, 500);
  assert.equal(r.json[0].advice.timeout, TIMEOUT_MS);
});

test('a second connect supersedes the held one: HTTP duplicateConnectHttpStatus, statusCode 4', async () => {
  const s = await open('alice');
  const first = s.connect();
  assert.ok(await pendingAfter(first, 300));
  const second = s.connect();
  const r = await first;
  assert.equal(r.status, 503);
  assert.deepEqual(r.json, { statusCode: 4, statusMessage: 'Superseded by a newer /meta/connect' });
  assert.ok(await pendingAfter(second, 300), 'the newer connect is held in its turn');
  await s.disconnect();
  assert.deepEqual((await second).json[0].advice, { reconnect: 'none' });
});

test('disconnect: held connect answered with reconnect none; later messages 402', async () => {
  const s = await open('alice');
  const held = s.connect(); // id 3
  assert.ok(await pendingAfter(held, 300));
  const d = await s.disconnect(); // id 4
  assert.deepEqual(d.json, [{ id: '4', channel: '/meta/disconnect', successful: true, clientId: s.clientId }]);
  assert.deepEqual((await held).json, [{ id: '3', channel: '/meta/connect', successful: true, clientId: s.clientId,
    advice: { reconnect: 'none' } }]);
  const c = await s.connect();
  assert.deepEqual(c.json, [{ id: '5', channel: '/meta/connect', successful: false, error: '402::Unknown client',
    advice: { reconnect: 'handshake', interval: 0 } }]);
  const sub = await s.subscribe('/v2/me/*');
  assert.equal(sub.json[0].successful, false);
  assert.equal(sub.json[0].error, '402::Unknown client');
  assert.equal(sub.json[0].advice, undefined);
  const d2 = await s.disconnect();
  assert.equal(d2.json[0].successful, false);
  assert.equal(d2.json[0].error, '402::Unknown client');
});

test('402::Unknown client with reconnect handshake for an unknown clientId; a new handshake works', async () => {
  const s = new RawSession(server.url, 'alice');
  await s.rest.login();
  s.clientId = '0'.repeat(32);
  const r = await s.connect({ id: '5' });
  assert.deepEqual(r.json, [{ id: '5', channel: '/meta/connect', successful: false, error: '402::Unknown client',
    advice: { reconnect: 'handshake', interval: 0 } }]);
  await s.open();
  assert.match(s.clientId, HEX32);
});

test('a clientId cannot be borrowed: foreign or missing session cookie is 402', async () => {
  const alice = await open('alice');
  const bob = new Client(server.url, 'bob');
  await bob.login();
  const msg = [{ id: '9', channel: '/meta/connect', connectionType: 'long-polling', clientId: alice.clientId }];
  for (const cookie of [`JSESSIONID=${bob.cookie}`, undefined]) {
    const r = await post(server.url, msg, { cookie });
    assert.deepEqual(r.json, [{ id: '9', channel: '/meta/connect', successful: false, error: '402::Unknown client',
      advice: { reconnect: 'handshake', interval: 0 } }]);
  }
  // The owner still can.
  assert.equal((await alice.connect({ advice: { timeout: 0 } })).json[0].successful, true);
});

test('multiple-clients: a second held connect in one browser is answered at once with the advice', async () => {
  const a = new RawSession(server.url, 'alice');
  const hs = await a.handshake();
  a.browser = hs.headers.get('set-cookie').match(/BAYEUX_BROWSER=([0-9a-f]{32})/)[1];
  await a.connect();
  const b = await new RawSession(server.url, 'alice', { rest: a.rest, browser: a.browser }).open();
  const heldA = a.connect();
  assert.ok(await pendingAfter(heldA, 300));
  const rb = await b.connect();
  assert.equal(rb.json[0].successful, true);
  assert.deepEqual(rb.json[0].advice, { 'multiple-clients': true, reconnect: 'retry', interval: 2000 });
  await a.disconnect();
  await heldA;
  // The browser holds nothing now: b is held again, with the normal advice.
  const rb2 = b.connect();
  assert.ok(await pendingAfter(rb2, 300), 'held once the other session stopped holding');
  const advice = (await rb2).json[0].advice;
  assert.ok(advice, 'advice changed back');
  assert.equal(advice['multiple-clients'], undefined);
  assert.equal(advice.interval, 0);
});

// ------------------------------------------------------ batching, ids, bodies

test('batching: several messages in one POST, processed in order, one response', async () => {
  const s = await open('alice');
  const r = await s.send([
    { id: '10', channel: '/meta/subscribe', subscription: '/chat/batch' },
    { id: '11', channel: '/chat/batch', data: { n: 1 } },
    { id: '12', channel: '/meta/unsubscribe', subscription: '/chat/batch' },
    { id: '13', channel: '/chat/batch', data: { n: 2 } },
  ]);
  assert.equal(r.status, 200);
  const replies = r.json.filter((m) => m.id !== undefined);
  assert.deepEqual(replies.map((m) => [m.id, m.channel, m.successful]),
    [['10', '/meta/subscribe', true], ['11', '/chat/batch', true], ['12', '/meta/unsubscribe', true],
      ['13', '/chat/batch', true]]);
  const events = r.json.filter((m) => m.id === undefined);
  assert.deepEqual(events, [{ channel: '/chat/batch', data: { n: 1 } }], 'the publisher is included; not after unsubscribe');
  assert.ok(r.json.indexOf(events[0]) < r.json.indexOf(replies[0]), 'events come before the replies');
});

test('id echo: strings and numbers echoed unchanged; an invalid id is refused and not echoed', async () => {
  const s = await open('alice');
  const r = await s.send([
    { id: 'abc123', channel: '/meta/subscribe', subscription: '/chat/ids' },
    { id: 42, channel: '/meta/unsubscribe', subscription: '/chat/ids' },
    { id: { no: 1 }, channel: '/meta/subscribe', subscription: '/chat/ids' },
  ]);
  assert.equal(r.json[0].id, 'abc123');
  assert.equal(r.json[1].id, 42);
  assert.equal(r.json[2].successful, false);
  assert.equal(r.json[2].error, '405::invalid id');
  assert.equal(r.json[2].id, undefined);
});

test('a single message object is accepted as an array of one', async () => {
  const s = await open('alice');
  const r = await post(server.url, { id: '5', channel: '/meta/connect', clientId: s.clientId, advice: { timeout: 0 } },
    { cookie: s.cookie });
  assert.equal(r.status, 200);
  assert.ok(Array.isArray(r.json));
  assert.equal(r.json[0].successful, true);
});

test('malformed JSON: HTTP 400 statusCode 10, nothing processed', async () => {
  const s = await open('alice');
  const r = await s.send([], { raw: '[{"channel":"/meta/connect",' });
  assert.equal(r.status, 400);
  assert.equal(r.json.statusCode, 10);
  assert.match(r.json.statusMessage, /^Malformed JSON at byte \d+/);
});

test('empty array or a non-container JSON value: HTTP 400 statusCode 10', async () => {
  const s = await open('alice');
  for (const raw of ['[]', '42', '"x"', 'null']) {
    const r = await s.send([], { raw });
    assert.equal(r.status, 400, raw);
    assert.equal(r.json.statusCode, 10, raw);
  }
});

test('a body over maxMessageBytes: HTTP 413 statusCode 10', async () => {
  const s = await open('alice');
  const r = await s.publish('/chat/big', { blob: 'x'.repeat(70000) });
  assert.equal(r.status, 413);
  assert.deepEqual(r.json, { statusCode: 10, statusMessage: 'Bayeux request exceeds 65536 bytes' });
});

test('a form-urlencoded body is refused: 415 statusCode 10', async () => {
  const s = await open('alice');
  const msg = JSON.stringify([{ id: '8', channel: '/meta/subscribe', subscription: '/chat/form', clientId: s.clientId }]);
  const r = await s.send([], { raw: `message=${encodeURIComponent(msg)}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 415, r.text);
  assert.deepEqual(r.json, { statusCode: 10, statusMessage: 'Content-Type must be application/json' });
});

test('missing or invalid channel names', async () => {
  const s = await open('alice');
  const r = await s.send([
    { id: '1' },
    { id: '2', channel: 'nochannel' },
    { id: '3', channel: '/a//b' },
    { id: '4', channel: '/a/*/b' },
    { id: '5', channel: '/a/b%c' },
  ].map((m) => ({ ...m, clientId: s.clientId })));
  assert.equal(r.json[0].successful, false);
  assert.equal(r.json[0].id, '1');
  assert.equal(r.json[0].error, '400::channel missing');
  for (const i of [1, 2, 3, 4]) {
    assert.equal(r.json[i].successful, false, JSON.stringify(r.json[i]));
    assert.equal(r.json[i].error, '405::invalid channel', JSON.stringify(r.json[i]));
    assert.equal(r.json[i].id, String(i + 1));
  }
});

// ---------------------------------------------------- subscribe and publish

test('subscribe reply echoes the subscription; an array stays an array', async () => {
  const s = await open('alice');
  const one = await s.subscribe('/v2/me/*');
  assert.deepEqual(one.json, [{ id: '3', channel: '/meta/subscribe', subscription: '/v2/me/*', successful: true,
    clientId: s.clientId }]);
  const many = await s.subscribe(['/v2/me/channels', '/v2/me/workbins']);
  assert.deepEqual(many.json[0].subscription, ['/v2/me/channels', '/v2/me/workbins']);
  assert.equal(many.json[0].successful, true);
  const again = await s.subscribe('/v2/me/*');
  assert.equal(again.json[0].successful, true, 'subscribing twice succeeds');
  const un = await s.send([{ id: '9', channel: '/meta/unsubscribe', subscription: '/chat/never' }]);
  assert.equal(un.json[0].successful, true, 'unsubscribing what was never subscribed succeeds');
});

test('subscribe errors: missing, invalid, /meta/**, unknown and root channels', async () => {
  const s = await open('alice');
  const err = async (subscription) => {
    const r = await s.send([{ id: 'x', channel: '/meta/subscribe', ...(subscription === undefined ? {} : { subscription }) }]);
    assert.equal(r.json[0].successful, false, JSON.stringify(r.json));
    assert.equal(r.json[0].advice, undefined);
    return r.json[0].error;
  };
  assert.equal(await err(undefined), '403::subscription_missing');
  assert.equal(await err('/a//b'), '403::subscription_invalid');
  for (const ch of ['/meta/**', '/meta/connect', '/meta/*', '/**', '/v2/**', '/v2/*', '/nowhere', '/other/x']) {
    assert.equal(await err(ch), '403::Subscription denied', ch);
  }
});

test('subscribe is all-or-nothing: one refused pattern records nothing', async () => {
  const alice = await open('alice');
  const bob = await open('bob');
  const r = await alice.subscribe(['/chat/all-or-nothing', '/meta/**']);
  assert.equal(r.json[0].successful, false);
  assert.equal(r.json[0].error, '403::Subscription denied');
  await bob.publish('/chat/all-or-nothing', { x: 1 });
  const c = await alice.connect({ advice: { timeout: 0 } });
  assert.deepEqual(c.json.filter((m) => !m.id), []);
});

test('/service/** subscribe succeeds as a no-op; publish succeeds and is not broadcast', async () => {
  const s = await open('alice');
  const sub = await s.subscribe('/service/echo');
  assert.deepEqual(sub.json, [{ id: '3', channel: '/meta/subscribe', subscription: '/service/echo', successful: true,
    clientId: s.clientId }]);
  const pub = await s.publish('/service/echo', { a: 1 });
  assert.deepEqual(pub.json, [{ id: '4', channel: '/service/echo', successful: true }]);
  const c = await s.connect({ advice: { timeout: 0 } });
  assert.equal(c.json.length, 1);
});

test('publish: refused on /v2/** and unknown channels; data required', async () => {
  const s = await open('alice');
  for (const ch of ['/v2/me/channels', `/v2/users/${ALICE}/channels`, '/nowhere']) {
    const r = await s.publish(ch, { x: 1 }, { id: '6' });
    assert.deepEqual(r.json, [{ id: '6', channel: ch, successful: false, error: '403::Publish denied' }], ch);
  }
  const r = await s.send([{ id: '7', channel: '/chat/x' }]);
  assert.equal(r.json[0].successful, false);
  assert.equal(r.json[0].error, '400::data missing');
});

test('open channel: delivered copy has no clientId or id; other sessions of the contact center get it', async () => {
  const alice = await open('alice');
  const bob = await open('bob');
  await alice.subscribe('/chat/*');
  await bob.subscribe('/chat/room2');
  const p = await alice.publish('/chat/room2', { text: 'yo' }, { id: '77' });
  assert.deepEqual(p.json, [{ channel: '/chat/room2', data: { text: 'yo' } },
    { id: '77', channel: '/chat/room2', successful: true }]);
  const c = await bob.connect({ advice: { timeout: 0 } });
  assert.deepEqual(c.json.filter((m) => !m.id), [{ channel: '/chat/room2', data: { text: 'yo' } }]);
});

test('server-published message: one copy per session with overlapping wildcards', async () => {
  const s = await open('alice');
  const sub = await s.subscribe(['/v2/me/*', '/v2/me/channels', '/v2/me/**']);
  assert.equal(sub.json[0].successful, true);
  const ref = await changeState(s.rest);
  const events = await collect(s, (ev) => ev.some(isChannelChange(ref)));
  // Drain anything else that may still come.
  const more = (await s.connect({ advice: { timeout: 0 } })).json.filter((m) => !m.id);
  const copies = [...events, ...more].filter(isChannelChange(ref));
  assert.equal(copies.length, 1, JSON.stringify(events));
  assert.equal(copies[0].channel, '/v2/me/channels');
  assert.equal(copies[0].clientId, undefined);
  assert.equal(copies[0].data.channels[0].channel, 'workitem');
});

test('a session that is not subscribed gets nothing; /v2/me is per user', async () => {
  const alice = await open('alice');
  const bob = await open('bob');
  await bob.subscribe('/v2/me/*');
  const unsubscribed = await open('alice');
  await alice.subscribe('/v2/me/channels');
  const ref = await changeState(alice.rest);
  await collect(alice, (ev) => ev.some(isChannelChange(ref)));
  const b = await bob.connect({ advice: { timeout: 0 } });
  assert.deepEqual(b.json.filter((m) => !m.id), [], 'bob gets none of alice\'s messages');
  const u = await unsubscribed.connect({ advice: { timeout: 0 } });
  assert.deepEqual(u.json.filter((m) => !m.id), []);
});

test('another user\'s topic is refused for an agent (403::Subscription denied)', async () => {
  const s = await open('alice');
  for (const ch of [`/v2/users/${BOB}`, `/v2/users/${BOB}/channels`, '/v2/users/*', '/v2/users/**']) {
    const r = await s.subscribe(ch);
    assert.equal(r.json[0].successful, false, ch);
    assert.equal(r.json[0].error, '403::Subscription denied', ch);
  }
});

test('supervisor copy: sam gets /v2/users/<alice>/channels with userId/userUri, no referenceId', async () => {
  const sam = await open('sam');
  const ok = await sam.subscribe(`/v2/users/${ALICE}/channels`);
  assert.equal(ok.json[0].successful, true, ok.text);
  const foreign = await sam.subscribe(`/v2/users/${DEMO.users.ops.id}/channels`);
  assert.equal(foreign.json[0].error, '403::Subscription denied', 'sam may not act for ops');
  const alice = await open('alice');
  await alice.subscribe('/v2/me/channels');
  const ref = await changeState(alice.rest);
  const mine = (await collect(alice, (ev) => ev.some(isChannelChange(ref)))).find(isChannelChange(ref));
  assert.ok(mine, 'alice\'s own copy carries her referenceId');
  const copies = await collect(sam, (ev) => ev.some((m) => m.channel === `/v2/users/${ALICE}/channels`));
  const copy = copies.find((m) => m.channel === `/v2/users/${ALICE}/channels`);
  assert.ok(copy, JSON.stringify(copies));
  assert.equal(copy.data.messageType, 'ChannelStateChangeMessageV2');
  assert.equal(copy.data.userId, ALICE);
  assert.match(copy.data.userUri, new RegExp(`/api/v2/users/${ALICE}$`));
  assert.equal(copy.data.referenceId, undefined);
  assert.equal(copy.ext?.seq, undefined);
  assert.deepEqual(copy.data.channels, mine.data.channels);
});

test('ext.seq on messages addressed to a user on /v2/me/**: per user, +1 per message, same in every session', async () => {
  const s = await open('alice');
  await s.subscribe('/v2/me/channels');
  const other = await open('alice');
  await other.subscribe('/v2/me/channels');
  const ref1 = await changeState(s.rest);
  const ref2 = await changeState(s.rest);
  const got = await collect(s, (ev) => ev.some(isChannelChange(ref2)));
  const m1 = got.find(isChannelChange(ref1));
  const m2 = got.find(isChannelChange(ref2));
  assert.ok(Number.isInteger(m1.ext?.seq) && m1.ext.seq > 0, JSON.stringify(m1));
  assert.equal(m2.ext.seq, m1.ext.seq + 1);
  const seen = await collect(other, (ev) => ev.some(isChannelChange(ref2)));
  assert.equal(seen.find(isChannelChange(ref2)).ext.seq, m2.ext.seq);
});

// ------------------------------------------------------------- extensions

test('ack extension: events only on connect replies, redelivered after a lost connect reply', async () => {
  const s = new RawSession(server.url, 'alice');
  const h = await s.handshake({ ext: { ack: true } });
  assert.deepEqual(h.json[0].ext, { ack: true });
  const first = await s.connect({ ext: { ack: 0 } });
  assert.equal(first.json[0].ext.ack, 1);
  await s.subscribe('/chat/ack');
  const pub = await s.publish('/chat/ack', { n: 1 });
  assert.deepEqual(pub.json.filter((m) => !m.id), [], 'no event on a publish reply with ack');
  const c1 = await s.connect({ ext: { ack: 1 } });
  assert.deepEqual(c1.json.filter((m) => !m.id), [{ channel: '/chat/ack', data: { n: 1 } }]);
  const b = c1.json.find((m) => m.channel === '/meta/connect').ext.ack;
  assert.equal(b, 2);
  // The reply is "lost": the client acknowledges only batch 1 again.
  const c2 = await s.connect({ ext: { ack: 1 } });
  assert.ok(c2.ms < AT_ONCE, 'unacknowledged events: answered at once');
  assert.deepEqual(c2.json.filter((m) => !m.id), [{ channel: '/chat/ack', data: { n: 1 } }]);
  const b2 = c2.json.find((m) => m.channel === '/meta/connect').ext.ack;
  assert.ok(b2 > b);
  // Acknowledged: nothing stored, the connect is held.
  const c3 = s.connect({ ext: { ack: b2 } });
  assert.ok(await pendingAfter(c3, 300));
  await s.disconnect();
  assert.deepEqual((await c3).json.filter((m) => !m.id), []);
});

// ------------------------------------------------------- URLs and methods

test('suffix URLs and the bare path all carry Bayeux', async () => {
  const s = new RawSession(server.url, 'alice');
  await s.rest.login();
  const P = NOTIFICATIONS;
  const hs = await s.send([{ id: 'h', channel: '/meta/handshake', version: '1.0' }], { path: `${P}/handshake` });
  assert.equal(hs.json[0].successful, true);
  s.clientId = hs.json[0].clientId;
  const c = await s.send([{ id: 'c', channel: '/meta/connect', connectionType: 'long-polling' }], { path: `${P}/connect` });
  assert.equal(c.json[0].successful, true);
  for (const [suffix, channel] of [['/subscribe', '/meta/subscribe'], ['/unsubscribe', '/meta/unsubscribe'], ['/', '/meta/subscribe'], ['', '/meta/subscribe']]) {
    const r = await s.send([{ id: 's', channel, subscription: '/chat/url' }], { path: P + suffix });
    assert.equal(r.status, 200, suffix);
    assert.equal(r.json[0].successful, true, suffix);
  }
  const d = await s.send([{ id: 'd', channel: '/meta/disconnect' }], { path: `${P}/disconnect` });
  assert.equal(d.json[0].successful, true);
});

test('other suffixes 404, other methods 405, plain GET 400, OPTIONS 200', async () => {
  const s = await open('alice');
  const bogus = await s.connect({}, { path: `${NOTIFICATIONS}/bogus` });
  assert.equal(bogus.status, 404);
  assert.equal(bogus.json.statusCode, 6);
  const put = await post(server.url, [], { method: 'PUT', cookie: s.cookie });
  assert.equal(put.status, 405);
  assert.equal(put.json.statusCode, 3);
  const get = await post(server.url, undefined, { method: 'GET', cookie: s.cookie });
  assert.equal(get.status, 400);
  assert.equal(get.json.statusCode, 10);
  for (const path of [NOTIFICATIONS, `${NOTIFICATIONS}/connect`]) {
    const o = await post(server.url, undefined, { method: 'OPTIONS', path, headers: { Origin: 'http://example.test' } });
    assert.equal(o.status, 200, path);
  }
});

// -------------------------------------------- sessions ended by the server

test('EndContactCenterSession ends the Bayeux sessions of that HTTP session only', async () => {
  const ending = await open('bob');
  const other = await open('bob');
  await ending.subscribe('/v2/me/channels');
  await other.subscribe('/v2/me/channels');
  const held = ending.connect();
  assert.ok(await pendingAfter(held, 300));
  const end = await ending.rest.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
  assert.equal(end.status, 200);
  const r = await held;
  assert.deepEqual(r.json, [
    { id: '4', channel: '/meta/connect', successful: true, clientId: ending.clientId, advice: { reconnect: 'none' } }],
    'no channels:[] message for the session that ended it');
  const after = await post(server.url, [{ id: '5', channel: '/meta/connect', clientId: ending.clientId }],
    { cookie: ending.cookie });
  assert.equal(after.json[0].error, '402::Unknown client');
  // The other HTTP session of bob lives on and hears that the channels are gone.
  const events = await collect(other, (ev) => ev.some((m) => m.data?.messageType === 'ChannelStateChangeMessageV2'));
  const gone = events.find((m) => m.data?.messageType === 'ChannelStateChangeMessageV2');
  assert.deepEqual(gone.data.channels, []);
  assert.equal(gone.data.referenceId, undefined);
});

// ------------------------------------------------------ limits (small server)

test('maxSessionsPerUser: one more handshake is refused with 403::Too many sessions', async () => {
  const a = await new RawSession(small.url, 'alice').open();
  await new RawSession(small.url, 'alice').open();
  const c = new RawSession(small.url, 'alice');
  const r = await c.handshake();
  assert.equal(r.json[0].successful, false);
  assert.equal(r.json[0].error, '403::Too many sessions');
  assert.deepEqual(r.json[0].advice, { reconnect: 'none' });
  await a.disconnect();
  assert.equal((await c.handshake()).json[0].successful, true, 'a slot is free again');
  await c.disconnect();
});

test('expiry: a session without connects for maxIntervalMs is gone (402, reconnect handshake)', async () => {
  const s = await new RawSession(small.url, 'bob').open();
  await sleep(2500);
  const r = await s.connect();
  assert.deepEqual(r.json[0].advice, { reconnect: 'handshake', interval: 0 });
  assert.equal(r.json[0].error, '402::Unknown client');
});

test('queue overflow: a session that does not poll is dropped past maxQueue', async () => {
  const idle = await new RawSession(small.url, 'bob').open();
  await idle.subscribe('/chat/flood');
  const pub = await new RawSession(small.url, 'sam').open();
  const r = await pub.send(Array.from({ length: 8 }, (_, i) => ({ id: String(i), channel: '/chat/flood', data: { i } })));
  assert.ok(r.json.every((m) => m.successful));
  const c = await idle.connect();
  assert.equal(c.json[0].successful, false);
  assert.equal(c.json[0].error, '402::Unknown client');
  assert.deepEqual(c.json[0].advice, { reconnect: 'handshake', interval: 0 });
});
