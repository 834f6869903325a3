// Authentication, sessions and CSRF against the real binary (auth.md §2-§4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client, DEMO, basic, request } from './lib/client.mjs';

let server;
before(async () => {
  server = await new Server({ settings: { auth: { sessionIdleTimeoutSeconds: 2 } } }).start();
});
after(async () => server.cleanup());

test('version is public and ignores credentials', async () => {
  const r = await request(server.url, 'GET', '/api/v2/diagnostics/version', {
    headers: { Authorization: basic('alice', 'wrong') },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { statusCode: 0, version: '8.5.200.0', product: 'workbind', productVersion: '0.1.0' });
  assert.equal(r.headers.get('set-cookie'), null);
});

test('Basic login returns alice with her derived id, a session cookie and a CSRF token', async () => {
  const r = await request(server.url, 'GET', '/api/v2/me', { headers: { Authorization: basic('alice') } });
  assert.equal(r.status, 200);
  assert.equal(r.json.statusCode, 0);
  assert.equal(r.json.user.id, DEMO.users.alice.id);
  assert.equal(r.json.user.userName, 'alice');
  assert.deepEqual(r.json.user.roles, ['ROLE_AGENT']);
  assert.equal(r.json.user.contactCenterId, DEMO.cc);
  assert.deepEqual(r.json.user.agentGroups, ['team-a']);
  assert.equal(r.json.user.defaultPlace, 'place-1');
  assert.equal(r.json.user.place, 'place-1');
  assert.equal(r.json.user.path, `/users/${DEMO.users.alice.id}`);
  assert.match(r.headers.get('set-cookie'), /^JSESSIONID=[0-9A-F]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
  assert.equal(r.headers.get('x-csrf-header'), 'X-CSRF-TOKEN');
  assert.match(r.headers.get('x-csrf-token'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(r.headers.get('content-type'), 'application/json;charset=UTF-8');
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('401 with WWW-Authenticate for missing, wrong or unknown credentials', async () => {
  for (const headers of [{}, { Authorization: basic('alice', 'nope') }, { Authorization: basic('zed', 'x') },
    { Authorization: 'Basic %%%' }]) {
    const r = await request(server.url, 'GET', '/api/v2/me', { headers });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { statusCode: 20, statusMessage: 'Access denied' });
    assert.equal(r.headers.get('www-authenticate'), 'Basic realm="workbind"');
  }
});

test('cookie session: reuse, CSRF required on writes, token accepted', async () => {
  const c = new Client(server.url, 'bob');
  await c.login();
  const me = await c.get('/api/v2/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.userName, 'bob');
  assert.equal(me.headers.get('set-cookie'), null, 'an existing session is reused');

  const noToken = await request(server.url, 'POST', '/api/v2/me', {
    headers: { Cookie: `JSESSIONID=${c.cookie}` },
    body: { operationName: 'StartContactCenterSession', channels: ['workitem'] },
  });
  assert.equal(noToken.status, 403);
  assert.deepEqual(noToken.json, { statusCode: 3, statusMessage: 'Missing or invalid Csrf token' });
  // Nothing changed: bob has no logged-in channel.
  const channels = await c.get('/api/v2/me/channels');
  assert.deepEqual(channels.json, { statusCode: 0, uris: [] });

  const wrong = await request(server.url, 'POST', '/api/v2/me', {
    headers: { Cookie: `JSESSIONID=${c.cookie}`, 'X-CSRF-TOKEN': '00000000-0000-4000-8000-000000000000' },
    body: { operationName: 'StartContactCenterSession', channels: ['workitem'] },
  });
  assert.equal(wrong.status, 403);

  const ok = await c.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  assert.deepEqual(ok.json, { statusCode: 0 });
  const after = await c.get('/api/v2/me/channels?fields=*');
  assert.equal(after.json.channels.length, 1);
  assert.equal(after.json.channels[0].channel, 'workitem');
  assert.equal(after.json.channels[0].userState.state, 'NotReady');
});

test('Basic writes need no CSRF token', async () => {
  const r = await request(server.url, 'POST', '/api/v2/me', {
    headers: { Authorization: basic('alice') },
    body: { operationName: 'StartContactCenterSession', channels: ['email'] },
  });
  assert.deepEqual(r.json, { statusCode: 0 });
});

test('unknown or expired cookie: 401 and the cookie is cleared', async () => {
  const r = await request(server.url, 'GET', '/api/v2/me', {
    headers: { Cookie: 'JSESSIONID=00000000000000000000000000000000' },
  });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('set-cookie'), 'JSESSIONID=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');

  const c = new Client(server.url, 'sam');
  await c.login();
  assert.equal((await c.get('/api/v2/me')).status, 200);
  await new Promise((res) => setTimeout(res, 3200));  // idle timeout is 2 s
  const expired = await request(server.url, 'GET', '/api/v2/me', { headers: { Cookie: `JSESSIONID=${c.cookie}` } });
  assert.equal(expired.status, 401);
  assert.equal(expired.json.statusCode, 20);
});

test('Basic of another user with a live cookie makes a new session for the Basic user', async () => {
  const a = new Client(server.url, 'alice');
  await a.login();
  const r = await request(server.url, 'GET', '/api/v2/me', {
    headers: { Cookie: `JSESSIONID=${a.cookie}`, Authorization: basic('bob') },
  });
  assert.equal(r.json.user.userName, 'bob');
  const m = r.headers.get('set-cookie').match(/JSESSIONID=([0-9A-F]{32})/);
  assert.ok(m && m[1] !== a.cookie);
  // alice's session is left alone.
  assert.equal((await a.get('/api/v2/me')).json.user.userName, 'alice');
});

test('EndContactCenterSession invalidates the session and logs out channels', async () => {
  const c = new Client(server.url, 'alice');
  await c.login();
  await c.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  const end = await c.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
  assert.deepEqual(end.json, { statusCode: 0 });
  assert.match(end.headers.get('set-cookie') ?? '', /^JSESSIONID=; Path=\/; Max-Age=0/);
  const after = await request(server.url, 'GET', '/api/v2/me', { headers: { Cookie: `JSESSIONID=${c.cookie}` } });
  assert.equal(after.status, 401);
  const fresh = new Client(server.url, 'alice');
  await fresh.login();
  assert.deepEqual((await fresh.get('/api/v2/me/channels')).json, { statusCode: 0, uris: [] });
});

test('system admin: own resource, refused elsewhere', async () => {
  const r = await request(server.url, 'GET', '/api/v2/me', { headers: { Authorization: basic('root') } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.user, {
    id: DEMO.users.root.id, userName: 'root', roles: [], enabled: true,
    uri: `http://localhost:8090/api/v2/system/admins/${DEMO.users.root.id}`,
    path: `/system/admins/${DEMO.users.root.id}`,
  });
  const users = await request(server.url, 'GET', '/api/v2/users', { headers: { Authorization: basic('root') } });
  assert.equal(users.status, 403);
  assert.equal(users.json.statusCode, 5);
});

test('roles: an agent cannot list users; a supervisor can', async () => {
  const a = await request(server.url, 'GET', '/api/v2/users', { headers: { Authorization: basic('alice') } });
  assert.equal(a.status, 403);
  assert.equal(a.json.statusCode, 5);
  assert.match(a.json.statusMessage, /ROLE_SUPERVISOR/);
  const s = await request(server.url, 'GET', '/api/v2/users', { headers: { Authorization: basic('sam') } });
  assert.equal(s.status, 200);
  assert.equal(s.json.uris.length, 5);
  assert.equal(s.json.uris[0], `http://localhost:8090/api/v2/users/${DEMO.users.alice.id}`);
  // An agent may read itself, not others.
  const self = await request(server.url, 'GET', `/api/v2/users/${DEMO.users.alice.id}`, { headers: { Authorization: basic('alice') } });
  assert.equal(self.json.user.userName, 'alice');
  const other = await request(server.url, 'GET', `/api/v2/users/${DEMO.users.bob.id}`, { headers: { Authorization: basic('alice') } });
  assert.equal(other.status, 403);
});
