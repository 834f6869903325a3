// Authorization matrix of the whole REST API: every route of the route table
// (read from /api/v2/openapi.json, which is generated from it) and every
// operationName it takes, called by nine principals, each relation to the
// target resources that matter:
//
//   alice   the agent the targets belong to (self)
//   bob     another agent of alice's group
//   sam     supervisor of alice's group
//   sue     supervisor of another group
//   ops     ROLE_ADMIN            feeder  ROLE_APIUSER
//   root    system admin          zed     ROLE_ADMIN of another contact center
//   anonymous
//
// Targets are alice's (her user, her Agent workbin, an interaction she owns)
// or the demo contact center's (its queue, places, groups, definitions).
// Bodies are chosen so that a principal that passes the authorization checks
// gets a known statusCode without side effects on the other rows (a field of
// the wrong type where the role check comes before validation, an unknown
// interaction in a visible workbin, a fresh interaction where the operation
// succeeds). A route or operation without a row here fails the test, and so
// does a row for a route the server does not have. Every call authenticates
// with Basic, so no call depends on the session another call left behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from './lib/server.mjs';
import { DEMO, basic, request } from './lib/client.mjs';
import { ALICE_WB, TEAM_WB, WORKITEMS_IN } from './lib/workbins.mjs';

const ALICE = DEMO.users.alice.id;
const UNKNOWN_INTERACTION = '0123456789abcdef0123456789abcdef';
let CAROL;  // carol's id: the target of Transfer (logged in on every channel used)
const PASSWORDS = {
  ...Object.fromEntries(Object.entries(DEMO.users).map(([k, v]) => [k, v.password])),
  carol: 'carol-test-pw', sue: 'sue-test-pw', zed: 'zed-test-pw',
};
const PRINCIPALS = ['alice', 'bob', 'sam', 'sue', 'ops', 'feeder', 'root', 'zed', 'anonymous'];
const USERS = ['alice', 'bob', 'sam', 'sue', 'ops', 'feeder', 'zed'];
const ROLES = {
  alice: 'ROLE_AGENT', bob: 'ROLE_AGENT', sam: 'ROLE_SUPERVISOR', sue: 'ROLE_SUPERVISOR',
  ops: 'ROLE_ADMIN', feeder: 'ROLE_APIUSER', zed: 'ROLE_ADMIN',
};
const HTTP = { 0: 200, 1: 400, 2: 400, 5: 403, 6: 404, 10: 400, 11: 400, 18: 409, 19: 409, 20: 401 };

// ---- expectation builders: principal -> statusCode ----

// Every user of a contact center gets `ok` (zed too unless given); system
// admins are refused (5).
function anyUser(ok, { zed = ok, root = 5 } = {}) {
  const m = Object.fromEntries(USERS.map((u) => [u, ok]));
  return { ...m, zed, root, anonymous: 20 };
}
// Users holding one of `roles` get `ok`, the other users 5; zed (an admin
// elsewhere) gets `zed` when admins are allowed.
function byRole(roles, ok, { zed = ok, root = 5 } = {}) {
  const m = Object.fromEntries(USERS.map((u) => [u, roles.includes(ROLES[u]) ? ok : 5]));
  if (roles.includes('ROLE_ADMIN')) m.zed = zed;
  return { ...m, root, anonymous: 20 };
}
const AGENT_LIKE = ['ROLE_AGENT', 'ROLE_SUPERVISOR'];
const READERS = ['ROLE_SUPERVISOR', 'ROLE_ADMIN', 'ROLE_APIUSER'];
// alice's resource: alice, her supervisor sam, ops and feeder see it; bob
// and sue do not (5); in zed's contact center it does not exist (6).
function visible(ok) {
  return { alice: ok, bob: 5, sam: ok, sue: 5, ops: ok, feeder: ok, zed: 6, root: 5, anonymous: 20 };
}
// An operation on alice's interaction: only the owner may operate; anyone
// else who may read it is outside its (empty) capabilities (2); bob and sue,
// who may not read it, get what GET answers them on the same route: on /me
// the unknown-id reply (6), on the alias routes "not visible" (5).
function ownerOnly(ok, { mine }) {
  const hidden = mine ? 6 : 5;
  return { alice: ok, bob: hidden, sam: 2, sue: hidden, ops: 2, feeder: 2, zed: 6, root: 5, anonymous: 20 };
}
function systemOnly(ok) {
  return { ...Object.fromEntries(USERS.map((u) => [u, 5])), root: ok, anonymous: 20 };
}
function publicRoute(ok) {
  return Object.fromEntries(PRINCIPALS.map((p) => [p, ok]));
}

// ---- the matrix: `${METHOD} ${path}[ ${operationName}]` -> row ----
// row: {want, body?, target?} where target names the {id} to use.

const WRONG_TYPE = 12345;  // a value of the wrong JSON type for a string field
const M = {};
const row = (key, want, extra = {}) => (M[key] = { want, ...extra });

row('GET /api/v2/diagnostics/version', publicRoute(0));
row('GET /api/v2/openapi.json', publicRoute(undefined), { raw: true });
row('GET /api/v2/me', anyUser(0, { root: 0 }));
row('POST /api/v2/me StartContactCenterSession', byRole(AGENT_LIKE, 10), { body: { channels: WRONG_TYPE } });
row('POST /api/v2/me EndContactCenterSession', anyUser(0, { root: 0 }));
// Ready/NotReady without a contact-center session: the state check (2, or
// 6 for a channel that is not logged in) comes after the role check.
row('POST /api/v2/me Ready', byRole(AGENT_LIKE, 2));
row('POST /api/v2/me NotReady', byRole(AGENT_LIKE, 2));
row('GET /api/v2/features', anyUser(0));
row('GET /api/v2/features/{id}', anyUser(0));
row('GET /api/v2/users', byRole(READERS, 0));
row('GET /api/v2/users/{userId}', { ...anyUser(0, { zed: 6 }), bob: 5, sue: 0 });
row('GET /api/v2/me/channels', anyUser(0));
row('GET /api/v2/me/channels/{channel}', anyUser(6));
row('POST /api/v2/me/channels/{channel} Ready', byRole(AGENT_LIKE, 6));
row('POST /api/v2/me/channels/{channel} NotReady', byRole(AGENT_LIKE, 6));
row('GET /api/v2/users/{userId}/channels', visible(0));
row('GET /api/v2/users/{userId}/channels/{channel}', visible(6));
row('POST /api/v2/users/{userId}/channels/{channel} Ready', visible(6));
row('POST /api/v2/users/{userId}/channels/{channel} NotReady', visible(6));

// Provisioning collections: reads for every user of the contact center,
// writes for admins (a create with a name of the wrong type: 10).
for (const [base, target] of [['/api/v2/places', 'place'], ['/api/v2/place-groups', 'placeGroup'],
  ['/api/v2/agent-groups', 'agentGroup'], ['/api/v2/workbin-definitions', 'workbinDefinition'],
  ['/api/v2/queues', 'queue']]) {
  row(`GET ${base}`, anyUser(0));
  row(`GET ${base}/{id}`, anyUser(0, { zed: 6 }), { target });
  // Field types are checked before the lookup (conventions.md §4): zed too
  // gets 10. Deletes aim at an unknown id.
  row(`POST ${base}`, byRole(['ROLE_ADMIN'], 10), { body: { name: WRONG_TYPE, agentGroup: 'team-a', type: 'Agent' } });
  row(`PUT ${base}/{id}`, byRole(['ROLE_ADMIN'], 10), { target, body: { name: WRONG_TYPE } });
  row(`DELETE ${base}/{id}`, byRole(['ROLE_ADMIN'], 6), { target: 'unknownUuid' });
}
const NEW_USER = { userName: WRONG_TYPE, password: 'long-enough-pw', roles: ['ROLE_AGENT'] };
row('POST /api/v2/users', byRole(['ROLE_ADMIN'], 10), { body: NEW_USER });
row('PUT /api/v2/users/{userId}', byRole(['ROLE_ADMIN'], 10, { zed: 10 }), { body: { firstName: WRONG_TYPE } });
row('POST /api/v2/users/{userId}', byRole(['ROLE_ADMIN'], 10, { zed: 10 }), { body: { firstName: WRONG_TYPE } });
row('DELETE /api/v2/users/{userId}', byRole(['ROLE_ADMIN'], 6, { zed: 6 }), { target: 'unknownUser' });
// The system API: system admins only (an update with a name of the wrong
// type, a delete of an unknown contact center).
row('GET /api/v2/system/contact-centers', systemOnly(0));
row('POST /api/v2/system/contact-centers', systemOnly(10), { body: { name: WRONG_TYPE } });
row('GET /api/v2/system/contact-centers/{id}', systemOnly(0), { target: 'contactCenter' });
row('PUT /api/v2/system/contact-centers/{id}', systemOnly(10), { target: 'contactCenter', body: { displayName: WRONG_TYPE } });
row('DELETE /api/v2/system/contact-centers/{id}', systemOnly(6), { target: 'unknownContactCenter' });
row('POST /api/v2/system/contact-centers/{id}/users', systemOnly(10), { target: 'contactCenter', body: NEW_USER });
row('GET /api/v2/system/admins/{id}', systemOnly(0), { target: 'root' });

// Interactions. Workitems, emails and open media: a fresh interaction alice
// owns for every call (the operations that succeed change it); chats: a
// workitem id, which no chat route knows (6 for every user).
const OPS = {
  Accept: [2, {}], Reject: [2, {}], Complete: [0, {}],
  Transfer: [0, { userUri: 'http://localhost/api/v2/users/@CAROL' }],
  AttachUserData: [0, { userData: { Note: 'x' } }], UpdateUserData: [0, { userData: { Note: 'y' } }],
  DeleteUserData: [0, { keys: ['Note'] }], SetInFocus: [0, {}],
  PlaceInQueue: [0, { queueName: 'workitems-in' }],
};
for (const [mine, alias, media] of [['/api/v2/me/workitems', '/api/v2/workitems', 'workitem'],
  ['/api/v2/me/emails', '/api/v2/emails', 'email'],
  ['/api/v2/me/openmedia/{mediaType}', '/api/v2/openmedia/{mediaType}', 'tweet']]) {
  row(`GET ${mine}`, anyUser(0));
  row(`POST ${mine} Create`, anyUser(0, { zed: 6 }), { body: { queueUri: `/queues/${WORKITEMS_IN}` }, fresh: media, creates: true });
  row(`GET ${mine}/{id}`, { ...anyUser(6), alice: 0, root: 5 }, { fresh: media });
  row(`GET ${alias}/{id}`, visible(0), { fresh: media });
  for (const [op, [ok, body]] of Object.entries(OPS)) {
    const want = media === 'email' && ok === 2 ? 2 : ok;
    row(`POST ${mine}/{id} ${op}`, ownerOnly(want, { mine: true }), { body, fresh: media });
    row(`POST ${alias}/{id} ${op}`, ownerOnly(want, { mine: false }), { body, fresh: media });
  }
}
row('GET /api/v2/me/chats', anyUser(0));
row('POST /api/v2/me/chats Create', anyUser(2, { zed: 2 }), { body: { queueUri: `/queues/${WORKITEMS_IN}` } });
row('GET /api/v2/me/chats/{id}', anyUser(6), { fresh: 'workitem' });
row('GET /api/v2/chats/{id}', anyUser(6), { fresh: 'workitem' });
for (const op of Object.keys(OPS)) {
  row(`POST /api/v2/me/chats/{id} ${op}`, anyUser(6), { body: OPS[op][1], fresh: 'workitem' });
  row(`POST /api/v2/chats/{id} ${op}`, anyUser(6), { body: OPS[op][1], fresh: 'workitem' });
}
row('GET /api/v2/interactions/{id}', visible(0), { fresh: 'workitem' });
row('GET /api/v2/interactions/{id}/history', visible(0), { fresh: 'workitem' });
for (const op of ['AttachUserData', 'UpdateUserData', 'DeleteUserData']) {
  const w = byRole(READERS, 0, { zed: 6 });
  w.sue = 5;  // not visible to a supervisor of another group
  row(`POST /api/v2/interactions/{id} ${op}`, w, { body: OPS[op][1], fresh: 'workitem' });
}
row('POST /api/v2/queues/{id}', byRole(['ROLE_ADMIN'], 10), { target: 'queue', body: { description: WRONG_TYPE } });
row('POST /api/v2/queues/{id} Submit', byRole(['ROLE_ADMIN', 'ROLE_APIUSER'], 10),
  { target: 'queue', body: { mediaType: WRONG_TYPE } });
row('GET /api/v2/contacts/{id}', anyUser(0, { zed: 6 }), { target: 'contact' });

// Workbins: alice's Agent workbin; an unknown interaction for Add/Pull/Move
// (6 once the workbin is visible), as in workbins_authorization.test.mjs.
const wbFamily = (op) => (/^Add/.test(op) ? 'Add' : /^Pull/.test(op) ? 'Pull'
  : ['Subscribe', 'Unsubscribe', 'Unubscribe'].includes(op) ? 'Subscription' : op);
const WB_BODY = {
  Add: { id: UNKNOWN_INTERACTION }, Pull: { id: UNKNOWN_INTERACTION }, Subscription: {}, RequestStats: {},
  RequestAgentStats: { workbinType: 'Agent' }, MoveInteraction: { id: UNKNOWN_INTERACTION, toWorkbinId: TEAM_WB },
};
const WB_OK = { Add: 6, Pull: 6, Subscription: 0, RequestStats: 0, MoveInteraction: 6 };
const WB_OPS = ['AddInteraction', 'AddEmail', 'AddChat', 'AddWorkitem', 'AddTweet', 'AddFacebook',
  'AddFacebooksession', 'AddOpenmedia', 'PullInteraction', 'PullEmail', 'PullChat', 'PullWorkitem',
  'PullTweet', 'PullFacebook', 'PullFacebooksession', 'PullOpenmedia', 'Subscribe', 'Unsubscribe',
  'RequestStats', 'MoveInteraction', 'AddInteractionToWorkbin', 'Unubscribe'];
row('GET /api/v2/workbins', anyUser(0));
row('GET /api/v2/me/workbins', anyUser(0));
for (const base of ['/api/v2/workbins', '/api/v2/me/workbins', '/api/v2/users/{userId}/workbins']) {
  const perUser = base.includes('{userId}');
  for (const op of ['Subscribe', 'Unsubscribe', 'Unubscribe', 'RequestAgentStats']) {
    const fam = wbFamily(op);
    const want = fam === 'Subscription' || perUser ? visible(0) : anyUser(0);
    row(`POST ${base} ${op}`, want, { body: WB_BODY[fam], query: fam === 'Subscription' ? `?workbinIds=${ALICE_WB}` : '' });
  }
}
row('GET /api/v2/users/{userId}/workbins', visible(0));
for (const base of ['/api/v2/workbins/{id}', '/api/v2/me/workbins/{id}', '/api/v2/users/{userId}/workbins/{id}']) {
  for (const op of WB_OPS) row(`POST ${base} ${op}`, visible(WB_OK[wbFamily(op)]), { body: WB_BODY[wbFamily(op)] });
}
for (const p of ['/api/v2/users/{userId}/workbins/{id}', '/api/v2/{userId}/workbins/{id}', '/api/v2/workbins/{id}', '/api/v2/me/workbins/{id}']) {
  row(`GET ${p}`, visible(0));
  row(`GET ${p}/{mediaType}`, visible(0));
}

// ---- running it ----

let server, dir;
const ids = {};

function concrete(key, r) {
  const [method, path] = key.split(' ');
  if (path === '/api/v2/features/{id}') return '/api/v2/features/api-multimedia';
  const id = r.target ? ids[r.target] : path.includes('workbins/{id}') ? ALICE_WB : ids.fresh;
  let p = path.replace('{userId}', r.target && !path.includes('{id}') ? id : ALICE).replace('{channel}', 'workitem').replace('{id}', id);
  p = p.replace('/openmedia/{mediaType}', '/openmedia/tweet').replace('{mediaType}', 'workitems');
  return p + (r.query ?? '');
}

function call(who, method, path, body) {
  const headers = who === 'anonymous' ? {} : { Authorization: basic(who, PASSWORDS[who]) };
  return request(server.url, method, path, { headers, body });
}

// A new interaction alice owns, of `media` (workitem, email or tweet).
async function freshInteraction(media) {
  const path = media === 'workitem' ? '/api/v2/me/workitems' : media === 'email' ? '/api/v2/me/emails' : `/api/v2/me/openmedia/${media}`;
  const r = await call('alice', 'POST', path, { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  assert.equal(r.json?.statusCode, 0, r.text);
  return r.json.id;
}

before(async () => {
  const demo = readDemo();
  const cc = demo.contactCenters[0];
  cc.mediaTypes = ['promotion'];
  cc.users.push(
    { userName: 'carol', password: PASSWORDS.carol, roles: ['ROLE_AGENT'] },
    { userName: 'sue', password: PASSWORDS.sue, roles: ['ROLE_SUPERVISOR'] });
  cc.agentGroups.push({ name: 'team-b', agents: ['carol'], supervisors: ['sue'] });
  demo.contactCenters.push({
    name: 'acme',
    users: [{ userName: 'zed', password: PASSWORDS.zed, roles: ['ROLE_ADMIN'] }],
    workbins: [{ name: 'inbox', type: 'Agent' }],
  });
  dir = mkdtempSync(join(tmpdir(), 'wb-authz-all-'));
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  server = await new Server({ provision: file }).start();
  const first = async (path) => (await call('ops', 'GET', `${path}?fields=*`)).json;
  ids.place = (await first('/api/v2/places')).places[0].id;
  ids.placeGroup = (await first('/api/v2/place-groups')).placeGroups[0].id;
  ids.agentGroup = (await first('/api/v2/agent-groups')).agentGroups[0].id;
  ids.workbinDefinition = (await first('/api/v2/workbin-definitions')).workbinDefinitions[0].id;
  ids.queue = WORKITEMS_IN;
  ids.contactCenter = DEMO.cc;
  ids.unknownContactCenter = '00000000-0000-5000-8000-000000000000';
  ids.unknownUser = UNKNOWN_INTERACTION;
  ids.unknownUuid = '00000000-0000-5000-8000-00000000abcd';
  ids.root = DEMO.users.root.id;
  const sub = await call('feeder', 'POST', `/api/v2/queues/${WORKITEMS_IN}`,
    { operationName: 'Submit', mediaType: 'workitem', contactId: 'AUTHZ-1' });
  assert.equal(sub.json?.statusCode, 0, sub.text);
  ids.contact = 'AUTHZ-1';
  const carol = await call('carol', 'GET', '/api/v2/me');
  CAROL = carol.json.user.id;
  const start = await call('carol', 'POST', '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem', 'email', 'tweet'] });
  assert.equal(start.json?.statusCode, 0, start.text);
});
after(async () => {
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every route and operation has a row, and each principal gets its statusCode', async () => {
  const doc = await request(server.url, 'GET', '/api/v2/openapi.json');
  assert.equal(doc.status, 200);
  const cases = [];
  for (const [path, item] of Object.entries(doc.json.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const m = method.toUpperCase();
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const names = (schema?.oneOf ?? (schema ? [schema] : [])).map((s) => s.properties?.operationName?.const);
      if (!names.length) names.push(undefined);
      for (const name of names) cases.push({ key: `${m} ${path}${name ? ` ${name}` : ''}`, m, name });
    }
  }
  const keys = new Set(cases.map((c) => c.key));
  const missing = [...keys].filter((k) => !M[k]);
  assert.deepEqual(missing, [], 'routes and operations without a row in the matrix');
  const unused = Object.keys(M).filter((k) => !keys.has(k));
  assert.deepEqual(unused, [], 'rows for routes the server does not have');

  const failures = [];
  let calls = 0;
  for (const c of cases) {
    const r = M[c.key];
    for (const who of PRINCIPALS) {
      if (r.fresh) ids.fresh = await freshInteraction(r.fresh);
      let body = c.m === 'GET' || c.m === 'DELETE' ? undefined : { ...(c.name ? { operationName: c.name } : {}), ...(r.body ?? {}) };
      if (body) body = JSON.parse(JSON.stringify(body).replace('@CAROL', CAROL));
      const path = concrete(c.key, r);
      const res = await call(who, c.m, path, body);
      calls++;
      const want = r.want[who];
      if (r.raw) {
        if (res.status !== 200) failures.push(`${who} ${c.key}: HTTP ${res.status}`);
        continue;
      }
      const got = res.json?.statusCode;
      if (got !== want || res.status !== HTTP[want])
        failures.push(`${who} ${c.m} ${path} ${c.name ?? ''}: want ${want}/${HTTP[want]}, got ${got}/${res.status} ${res.text.slice(0, 140)}`);
    }
  }
  console.log(`authorization matrix: ${keys.size} routes and operations x ${PRINCIPALS.length} principals = ${calls} calls`);
  assert.deepEqual(failures, []);
});

// ---- strangers learn nothing of an interaction they may not read ----
// bob (an agent of alice's group), carol (an agent of another group) and sue
// (that group's supervisor) may not read alice's interactions, whether
// Processing (alice owns it), Queued (in workitems-in, nobody ready) or
// InWorkbin (in alice's workbin). Every operation on one of them, whatever
// its state, answers exactly what GET answers the same caller for the same
// id, before any state, capability, media, target or conflict check: on /me
// the unknown-id reply, elsewhere "not visible"; the reply names nothing but
// the id, and nothing stored changes.

async function aliceInState(state) {
  const id = await freshInteraction('workitem');
  if (state === 'Queued') {
    const r = await call('alice', 'POST', `/api/v2/me/workitems/${id}`, { operationName: 'PlaceInQueue', queueName: 'workitems-in' });
    assert.equal(r.json?.statusCode, 0, r.text);
  } else if (state === 'InWorkbin') {
    const r = await call('alice', 'POST', `/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id });
    assert.equal(r.json?.statusCode, 0, r.text);
  }
  return id;
}

// What ops (an admin) reads of the interaction and its history.
async function stored(id) {
  const r = await call('ops', 'GET', `/api/v2/interactions/${id}`);
  const h = await call('ops', 'GET', `/api/v2/interactions/${id}/history`);
  return { interaction: r.json, history: h.json };
}

async function workbinIds(who, path) {
  const r = await call(who, 'GET', path);
  assert.equal(r.json?.statusCode, 0, r.text);
  return r.json.uris.map((u) => u.split('/').pop());
}

test('a stranger gets the reply GET gives it for that id, in every state of the interaction', async () => {
  const sue = (await call('sue', 'GET', '/api/v2/me')).json.user.id;
  const itemOps = {
    ...Object.fromEntries(Object.entries(OPS).map(([op, [, body]]) => [op, body])),
    Transfer: { queueName: 'workitems-in' },
  };
  const extra = [
    ['Transfer', { queueName: 'no-such-queue' }], ['Transfer', { userUri: 'http://localhost/api/v2/users/ffffffffffffffffffffffffffffffff' }],
    ['PlaceInQueue', { queueName: 'no-such-queue' }], ['Complete', { queueName: 'no-such-queue' }],
  ];
  const failures = [];
  let calls = 0;
  for (const who of ['bob', 'carol', 'sue']) {
    const visibleWbs = (await workbinIds(who, '/api/v2/workbins')).filter((w) => w !== ALICE_WB);
    assert.ok(visibleWbs.length >= 2, `${who} sees two workbins`);
    const [own, other] = visibleWbs;
    for (const state of ['Processing', 'Queued', 'InWorkbin']) {
      const id = await aliceInState(state);
      const before = await stored(id);
      assert.equal(before.interaction.interaction.state, state);
      const get = async (path) => call(who, 'GET', path.replace('@ID', id));
      const refs = {
        mine: await get('/api/v2/me/workitems/@ID'),
        alias: await get('/api/v2/workitems/@ID'),
        any: await get('/api/v2/interactions/@ID'),
        aliceWb: await get(`/api/v2/workbins/${ALICE_WB}`),
      };
      assert.equal(refs.mine.status, 404);
      assert.equal(refs.alias.status, 403);
      assert.equal(refs.any.status, 403);
      assert.equal(refs.aliceWb.status, 403);
      // [label, path, body, the reply it must equal, whether it must also
      // equal the reply for an unknown id]
      const cases = [];
      for (const [op, body] of [...Object.entries(itemOps), ...extra]) {
        cases.push([`/me ${op}`, '/api/v2/me/workitems/@ID', { operationName: op, ...body }, refs.mine, true]);
        cases.push([`alias ${op}`, '/api/v2/workitems/@ID', { operationName: op, ...body }, refs.alias]);
      }
      // Agents are refused this route by role before any lookup (the same
      // reply as for an unknown id); sue gets GET's reply.
      for (const op of ['AttachUserData', 'UpdateUserData', 'DeleteUserData'])
        cases.push([`interactions ${op}`, '/api/v2/interactions/@ID', { operationName: op, ...itemOps[op] },
          who === 'sue' ? refs.any : null, who !== 'sue']);
      const wbOps = [['AddWorkitem'], ['AddInteraction'], ['AddEmail'], ['PullWorkitem'], ['PullInteraction'],
        ['PullEmail'], ['MoveInteraction', { toWorkbinId: other }]];
      for (const [op, body] of wbOps) {
        cases.push([`own workbin ${op}`, `/api/v2/workbins/${own}`, { operationName: op, id: '@ID', ...body }, refs.any]);
        cases.push([`me/workbins ${op}`, `/api/v2/me/workbins/${own}`, { operationName: op, id: '@ID', ...body }, refs.any]);
        cases.push([`alice's workbin ${op}`, `/api/v2/workbins/${ALICE_WB}`, { operationName: op, id: '@ID', ...body }, refs.aliceWb]);
      }
      if (who === 'sue') {
        // The supervisor variant: through carol, whom sue supervises.
        const carolWb = (await workbinIds('sue', `/api/v2/users/${CAROL}/workbins`))[0];
        for (const [op, body] of wbOps.slice(0, 4))
          cases.push([`users/carol ${op}`, `/api/v2/users/${CAROL}/workbins/${carolWb}`, { operationName: op, id: '@ID', ...body }, refs.any]);
      }
      for (const [label, path, body, ref, mine] of cases) {
        const fill = (x, v) => JSON.parse(JSON.stringify(x).replaceAll('@ID', v));
        const r = await call(who, 'POST', path.replace('@ID', id), fill(body, id));
        calls++;
        const tag = `${who} ${state} ${label}`;
        if (ref && (r.status !== ref.status || r.text !== ref.text))
          failures.push(`${tag}: want ${ref.status} ${ref.text}, got ${r.status} ${r.text}`);
        if (mine) {
          const u = await call(who, 'POST', path.replace('@ID', UNKNOWN_INTERACTION), fill(body, UNKNOWN_INTERACTION));
          if (r.status !== u.status || r.text !== u.text.replaceAll(UNKNOWN_INTERACTION, id))
            failures.push(`${tag}: unknown id gives ${u.status} ${u.text}, got ${r.status} ${r.text}`);
        }
        for (const secret of [state, 'alice', 'email-in-progress', 'workitems-in', 'workitem\''])
          if (r.text.includes(secret)) failures.push(`${tag}: names ${secret}: ${r.text}`);
      }
      assert.deepEqual(await stored(id), before, `${who} ${state}: something changed`);
    }
  }
  console.log(`strangers: ${calls} operations on invisible interactions`);
  assert.deepEqual(failures, []);
});
