// Provisioning: the file at start (errors, ids), the admin REST API, the
// system API, contact-center isolation and restart persistence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, runBinary, readDemo } from './lib/server.mjs';
import { Client, DEMO, basic, request } from './lib/client.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'workbind-prov-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// The demo contact center plus a second one, "acme", with its own agent.
function twoCenters() {
  const demo = readDemo();
  demo.contactCenters.push({
    name: 'acme',
    users: [{ userName: 'carol', password: 'carol-acme-pw', roles: ['ROLE_AGENT', 'ROLE_SUPERVISOR'], defaultPlace: 'desk' }],
    places: [{ name: 'desk' }],
    agentGroups: [{ name: 'crew', agents: ['carol'], supervisors: ['carol'] }],
    workbins: [{ name: 'drafts', type: 'Agent' }],
  });
  const path = join(tmp, 'two.json');
  writeFileSync(path, JSON.stringify(demo));
  return path;
}

let server;
before(async () => {
  server = await new Server({ provision: twoCenters() }).start();
});
after(async () => server.cleanup());

test('a bad provisioning file stops the start with exit 2 and JSON-pointer lines; nothing applied', async () => {
  const demo = readDemo();
  demo.contactCenters[0].users[2].rolse = ['ROLE_AGENT'];
  demo.contactCenters[0].agentGroups[0].supervisors = ['bob'];
  const path = join(tmp, 'bad.json');
  writeFileSync(path, JSON.stringify(demo));
  const dataDir = mkdtempSync(join(tmp, 'data-'));
  const r = await runBinary(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--provision', path]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^provisioning: \/contactCenters\/0\/users\/2\/rolse: unknown key$/m);
  assert.match(r.stderr, /^provisioning: \/contactCenters\/0\/agentGroups\/0\/supervisors\/0: user 'bob' lacks ROLE_SUPERVISOR$/m);
  // Start again on the same data dir with no file: no contact center was applied.
  const s = await new Server({ dataDir, provision: null }).start();
  try {
    const me = await request(s.url, 'GET', '/api/v2/me', { headers: { Authorization: basic('alice') } });
    assert.equal(me.status, 401);
  } finally {
    await s.stop();
  }
});

test('a bad settings file stops the start with exit 2 naming the key', async () => {
  const path = join(tmp, 'settings.json');
  writeFileSync(path, JSON.stringify({ http: { maxBodyByte: 5 }, notifications: { duplicateConnectHttpStatus: 404 } }));
  const r = await runBinary(['--config', path, '--listen', '127.0.0.1:0', '--data-dir', join(tmp, 'd2')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^settings: \/http\/maxBodyByte: unknown key$/m);
  assert.match(r.stderr, /^settings: \/notifications\/duplicateConnectHttpStatus: must be 500-599$/m);
});

test('--version and --help', async () => {
  const v = await runBinary(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), '0.1.0');
  const h = await runBinary(['--help']);
  assert.equal(h.code, 0);
  for (const flag of ['--config', '--listen', '--data-dir', '--provision', '--version']) assert.ok(h.stdout.includes(flag), flag);
});

test('the demo ids come out of the file', async () => {
  const ops = new Client(server.url, 'ops');
  const places = await ops.get('/api/v2/places?fields=*');
  assert.deepEqual(places.json.places.map((p) => [p.name, p.id]), [
    ['place-1', 'def7f67c-64b6-55ff-b849-4b3e0e0a867b'],
    ['place-2', '7dd43587-7a5b-5f9e-87ad-32c0f1487068'],
  ]);
  const groups = await ops.get('/api/v2/agent-groups/efe27d28-2710-5fb0-aadd-d79da75d37f1');
  assert.equal(groups.json.agentGroup.name, 'team-a');
  const defs = await ops.get('/api/v2/workbin-definitions');
  assert.deepEqual(defs.json.uris, [
    'http://localhost:8090/api/v2/workbin-definitions/f98ef68e-797c-5cbc-aa4e-4b8dea4558dc',
    'http://localhost:8090/api/v2/workbin-definitions/9817bff7-31fc-5988-91e6-41cdb5eee2fb',
    'http://localhost:8090/api/v2/workbin-definitions/4c0c2097-7428-5761-adbe-5ff37ebcdf90',
  ]);
  const queue = await ops.get('/api/v2/queues/ce726aca-110f-5a8e-bf93-f585d4a50628');
  assert.equal(queue.json.queue.name, 'workitems-in');
  assert.equal(queue.json.queue.agentGroup, 'team-a');
});

test('another contact center is invisible: same 404 as an unknown id', async () => {
  const carol = new Client(server.url, 'carol', 'carol-acme-pw');
  const me = await carol.get('/api/v2/me');
  assert.notEqual(me.json.user.contactCenterId, DEMO.cc);
  const placeOfDemo = await carol.get('/api/v2/places/def7f67c-64b6-55ff-b849-4b3e0e0a867b');
  const unknown = await carol.get('/api/v2/places/00000000-0000-5000-8000-000000000000');
  assert.equal(placeOfDemo.status, 404);
  assert.deepEqual(placeOfDemo.json.statusCode, unknown.json.statusCode);
  const alice = await carol.get(`/api/v2/users/${DEMO.users.alice.id}`);
  assert.equal(alice.status, 404);
  assert.equal(alice.json.statusCode, 6);
  const users = await carol.get('/api/v2/users');
  assert.equal(users.json.uris.length, 1);
  // carol's user name is taken server-wide.
  const ops = new Client(server.url, 'ops');
  const dup = await ops.post('/api/v2/users', { userName: 'carol', password: 'whatever-pw', roles: ['ROLE_AGENT'] });
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.json, { statusCode: 18, statusMessage: 'userName already taken' });
});

test('admin API: create, errors change nothing, role and feature gates', async () => {
  const ops = new Client(server.url, 'ops');
  await ops.login();
  const before = (await ops.get('/api/v2/places')).json.uris;
  const missing = await ops.post('/api/v2/places', {});
  assert.equal(missing.status, 400);
  assert.equal(missing.json.statusCode, 1);
  const badType = await ops.post('/api/v2/places', { name: 7 });
  assert.equal(badType.json.statusCode, 10);
  const dup = await ops.post('/api/v2/places', { name: 'place-1' });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.statusCode, 18);
  assert.deepEqual((await ops.get('/api/v2/places')).json.uris, before);
  const alice = new Client(server.url, 'alice');
  const denied = await alice.post('/api/v2/places', { name: 'place-9' });
  assert.equal(denied.status, 403);
  assert.equal(denied.json.statusCode, 5);
  assert.deepEqual((await ops.get('/api/v2/places')).json.uris, before);
  const created = await ops.post('/api/v2/places', { name: 'place-3' });
  assert.equal(created.json.statusCode, 0);
  assert.match(created.json.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(created.json.path, `/places/${created.json.id}`);
  const readOnly = await ops.put(`/api/v2/users/${DEMO.users.bob.id}`, { userName: 'robert' });
  assert.equal(readOnly.status, 400);
  assert.equal(readOnly.json.statusCode, 11);
  const op = await ops.post(`/api/v2/users/${DEMO.users.bob.id}`, { operationName: 'Foo' });
  assert.equal(op.status, 400);
  assert.equal(op.json.statusCode, 2);
});

test('system API: only system admins; a new contact center gets its first admin', async () => {
  const root = new Client(server.url, 'root');
  const ops = new Client(server.url, 'ops');
  const refused = await ops.get('/api/v2/system/contact-centers');
  assert.equal(refused.status, 403);
  assert.equal(refused.json.statusCode, 5);
  const created = await root.post('/api/v2/system/contact-centers', { name: 'newco', features: ['api-multimedia'] });
  assert.equal(created.json.statusCode, 0);
  const admin = await root.post(`/api/v2/system/contact-centers/${created.json.id}/users`,
    { userName: 'newadmin', password: 'newadmin-pw', roles: ['ROLE_ADMIN'] });
  assert.equal(admin.json.statusCode, 0);
  const na = new Client(server.url, 'newadmin', 'newadmin-pw');
  const me = await na.get('/api/v2/me');
  assert.equal(me.json.user.contactCenterId, created.json.id);
  // Provisioning writes are off in newco (feature not enabled): 404 like an unknown route.
  const place = await na.post('/api/v2/places', { name: 'x' });
  assert.equal(place.status, 404);
  assert.equal(place.json.statusCode, 6);
  const list = await root.get('/api/v2/system/contact-centers?fields=name');
  assert.deepEqual(list.json.contactCenters.map((c) => c.name), ['acme', 'demo', 'newco']);
});

test('restart: what was created over REST is still there', async () => {
  const ops = new Client(server.url, 'ops');
  const created = await ops.post('/api/v2/agent-groups', { name: 'team-night', agents: ['bob'] });
  assert.equal(created.json.statusCode, 0);
  await server.restart();
  const after = await new Client(server.url, 'ops').get(`/api/v2/agent-groups/${created.json.id}`);
  assert.equal(after.json.agentGroup.name, 'team-night');
  assert.deepEqual(after.json.agentGroup.agents, ['bob']);
  // The file was applied again; REST changes to keys it does not name are kept.
  const bob = await new Client(server.url, 'bob').get('/api/v2/me');
  assert.deepEqual(bob.json.user.agentGroups, ['team-a', 'team-night']);
});
