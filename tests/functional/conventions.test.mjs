// The request and reply conventions every route follows (conventions.md
// §1-§4): fixed error replies, body rules, order of checks, and that a bad
// request changes nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client, basic, rawExchange, request } from './lib/client.mjs';

let server, alice;
before(async () => {
  server = await new Server().start();
  alice = new Client(server.url, 'alice');
  await alice.login();
});
after(async () => server.cleanup());

const A = () => ({ Authorization: basic('alice') });

async function channelsOf(client) {
  return (await client.get('/api/v2/me/channels?fields=*')).json.channels;
}

test('unknown route: 404 statusCode 6 naming the path', async () => {
  const r = await request(server.url, 'GET', '/api/v2/foo', { headers: A() });
  assert.equal(r.status, 404);
  assert.deepEqual(r.json, { statusCode: 6, statusMessage: 'No such resource: /api/v2/foo' });
});

test('malformed path segments match nothing', async () => {
  for (const p of ['/api/v2/users/%2F', '/api/v2/features/%00', '/api/v2/users/%FF']) {
    const r = await request(server.url, 'GET', p, { headers: A() });
    assert.equal(r.status, 404, p);
    assert.equal(r.json.statusCode, 6, p);
  }
});

test('wrong method: 405 statusCode 3 with Allow', async () => {
  const r = await request(server.url, 'PUT', '/api/v2/me', { headers: A(), body: {} });
  assert.equal(r.status, 405);
  assert.deepEqual(r.json, { statusCode: 3, statusMessage: 'Method PUT not allowed on /api/v2/me' });
  assert.equal(r.headers.get('allow'), 'GET, POST');
});

test('OPTIONS on a route answers without authentication', async () => {
  const r = await request(server.url, 'OPTIONS', '/api/v2/me');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { statusCode: 0 });
});

test('trailing slash is ignored', async () => {
  const r = await request(server.url, 'GET', '/api/v2/me/', { headers: A() });
  assert.equal(r.json.user.userName, 'alice');
});

test('operationName missing (1) and unknown (2) with the accepted list', async () => {
  const before = await channelsOf(alice);
  const missing = await alice.post('/api/v2/me', {});
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.json, { statusCode: 1, statusMessage: "Missing required field 'operationName'" });
  const unknown = await alice.post('/api/v2/me', { operationName: 'Foo' });
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.json, {
    statusCode: 2,
    statusMessage: "Unknown operationName 'Foo'; accepted: StartContactCenterSession, EndContactCenterSession, Ready, NotReady",
  });
  assert.deepEqual(await channelsOf(alice), before);
});

test('malformed JSON names the byte offset; nothing changes', async () => {
  const before = await channelsOf(alice);
  const r = await request(server.url, 'POST', '/api/v2/me', {
    headers: { ...A(), 'Content-Type': 'application/json' },
    rawBody: '{"operationName":"StartContactCenterSession" "channels":["chat"]}',
  });
  assert.equal(r.status, 400);
  assert.equal(r.json.statusCode, 10);
  assert.match(r.json.statusMessage, /^Malformed JSON at byte 45: /);
  assert.deepEqual(Object.keys(r.json), ['statusCode', 'statusMessage']);
  assert.deepEqual(await channelsOf(alice), before);
});

test('body rules: non-object, content type, bad UTF-8, depth', async () => {
  const cases = [
    ['[1,2]', 'application/json', 400, 'Request body must be a JSON object'],
    ['"x"', 'application/json', 400, 'Request body must be a JSON object'],
    ['{}', 'text/plain', 415, 'Content-Type must be application/json'],
  ];
  for (const [body, ct, status, msg] of cases) {
    const r = await request(server.url, 'POST', '/api/v2/me', { headers: { ...A(), 'Content-Type': ct }, rawBody: body });
    assert.equal(r.status, status);
    assert.deepEqual(r.json, { statusCode: 10, statusMessage: msg });
  }
  const bad = await request(server.url, 'POST', '/api/v2/me', {
    headers: { ...A(), 'Content-Type': 'application/json' },
    rawBody: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.statusCode, 10);
  const deep = '{"a":' + '['.repeat(40) + ']'.repeat(40) + '}';
  const d = await request(server.url, 'POST', '/api/v2/me', { headers: { ...A(), 'Content-Type': 'application/json' }, rawBody: deep });
  assert.equal(d.status, 400);
  assert.equal(d.json.statusCode, 10);
});

test('wrong field type names the field; missing field names it', async () => {
  const before = await channelsOf(alice);
  const t = await alice.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: 'workitem' });
  assert.equal(t.status, 400);
  assert.deepEqual(t.json, { statusCode: 10, statusMessage: "Field 'channels' must be an array of strings" });
  const m = await alice.post('/api/v2/me', { operationName: 'StartContactCenterSession' });
  assert.deepEqual(m.json, { statusCode: 1, statusMessage: "Missing required field 'channels'" });
  assert.deepEqual(await channelsOf(alice), before);
});

test('oversized body: 413 statusCode 10, decided from Content-Length', async () => {
  const auth = basic('alice');
  const r = await rawExchange(server.port, [
    `POST /api/v2/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 1100000\r\n\r\n`,
    '{"operationName":"Ready","pad":"' + 'x'.repeat(200000),
  ]);
  assert.match(r, /^HTTP\/1\.1 413 /);
  assert.ok(r.endsWith('{"statusCode":10,"statusMessage":"Request body exceeds 1048576 bytes"}'), r);
});

test('oversized headers: 400 statusCode 10', async () => {
  const r = await rawExchange(server.port, [`GET /api/v2/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`]);
  assert.match(r, /^HTTP\/1\.1 400/);
  assert.match(r, /"statusCode":10/);
});

test('HEAD is not supported: 405 without a body', async () => {
  const r = await rawExchange(server.port, [`HEAD /api/v2/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic('alice')}\r\nConnection: close\r\n\r\n`]);
  assert.match(r, /^HTTP\/1\.1 405 /);
  assert.match(r, /\r\nAllow: GET, POST\r\n/);
  assert.ok(r.endsWith('\r\n\r\n'), 'no body after the headers');
});

test('StartContactCenterSession partial success (7) and all failing', async () => {
  const bob = new Client(server.url, 'bob');
  await bob.login();
  const partial = await bob.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem', 'voice'] });
  assert.equal(partial.status, 200);
  assert.deepEqual(partial.json, {
    statusCode: 7,
    channels: [{ channel: 'workitem', statusCode: 0 }, { channel: 'voice', statusCode: 10, statusMessage: "Channel 'voice' is not available" }],
  });
  const before = await channelsOf(bob);
  const none = await bob.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'] });
  assert.equal(none.status, 400);
  assert.deepEqual(none.json, { statusCode: 10, statusMessage: "Channel 'voice' is not available" });
  assert.deepEqual(await channelsOf(bob), before);
});

test('place in use by another agent: 409 statusCode 19, nothing changed', async () => {
  const sam = new Client(server.url, 'sam');
  await sam.login();
  await alice.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['chat'], place: 'place-1' });
  const r = await sam.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['chat'], place: 'place-1' });
  assert.equal(r.status, 409);
  assert.equal(r.json.statusCode, 19);
  assert.deepEqual(await channelsOf(sam), []);
  const unknown = await sam.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['chat'], place: 'nowhere' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.statusCode, 6);
});

test('Ready / NotReady: referenceIds increase; channel not logged in is 404', async () => {
  const c = new Client(server.url, 'bob');
  await c.login();
  await c.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem', 'email'] });
  const r1 = await c.post('/api/v2/me/channels/workitem', { operationName: 'Ready' });
  const r2 = await c.post('/api/v2/me/channels/email', { operationName: 'NotReady', reason: 'Lunch' });
  assert.equal(r1.json.statusCode, 0);
  assert.equal(r2.json.referenceId, r1.json.referenceId + 1);
  const one = await c.get('/api/v2/me/channels/email');
  assert.deepEqual(one.json.channel.userState,
    { id: '900D55CC-2BB0-431F-8BF9-D3525B383BE6', displayName: 'Not Ready', state: 'NotReady', reason: 'Lunch' });
  const missing = await c.post('/api/v2/me/channels/chat', { operationName: 'Ready' });
  assert.equal(missing.status, 404);
  assert.equal(missing.json.statusCode, 6);
  const all = await c.post('/api/v2/me', { operationName: 'Ready' });
  assert.equal(all.json.referenceId, r2.json.referenceId + 1);
  const ch = (await c.get('/api/v2/me/channels?fields=*')).json.channels;
  assert.ok(ch.every((x) => x.userState.state === 'Ready'));
});

test('features: listing and a disabled feature is not found', async () => {
  const r = await alice.get('/api/v2/features');
  assert.equal(r.json.uris.length, 4);
  assert.equal(r.json.uris[0], 'http://localhost:8090/api/v2/features/api-multimedia');
  const one = await alice.get('/api/v2/features/api-multimedia');
  assert.deepEqual(one.json.feature, {
    id: 'api-multimedia', name: 'api-multimedia',
    uri: 'http://localhost:8090/api/v2/features/api-multimedia', path: '/features/api-multimedia',
  });
  const none = await alice.get('/api/v2/features/api-nope');
  assert.equal(none.status, 404);
});

test('subresources: unknown name is 10; * adds every child', async () => {
  const bad = await alice.get('/api/v2/me?subresources=bogus');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.statusCode, 10);
  const all = await alice.get('/api/v2/me?subresources=*');
  assert.deepEqual(all.json.user.devices, []);
  assert.deepEqual(all.json.user.settings, {});
  assert.ok(Array.isArray(all.json.user.channels));
  assert.equal(all.json.user.features.length, 4);
  const fields = await alice.get('/api/v2/me?fields=id,userName');
  assert.deepEqual(Object.keys(fields.json.user).sort(), ['id', 'userName']);
});
