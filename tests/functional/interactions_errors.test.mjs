// Bad input on every interaction, queue and contact route: unknown ids, ids
// of another contact center, another agent's interaction, the wrong media
// for the route, read-only and oversized user data, missing and mistyped
// fields. Each case checks the HTTP status and statusCode, and that nothing
// stored changed (interactions, queues, contact profiles, referenceIds).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from './lib/server.mjs';
import { Client, DEMO } from './lib/client.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
const UNKNOWN = '0000000000000000';
let server, dir, feeder, alice, bob, sam, zed, zfeeder;
const ids = {};
let otherQueue, zedId;

// The demo contact center plus a second one, "other", with its own agent,
// API user and queue.
function provisioning() {
  const p = readDemo();
  p.contactCenters.push({
    name: 'other',
    users: [
      { userName: 'zed', password: 'zed-other-pw', firstName: 'Zed', lastName: 'Z', roles: ['ROLE_AGENT'] },
      { userName: 'zfeeder', password: 'zfeeder-other-pw', firstName: 'Z', lastName: 'Feeder', roles: ['ROLE_APIUSER'] },
    ],
    agentGroups: [{ name: 'team-z', agents: ['zed'] }],
    queues: [{ name: 'other-in', agentGroup: 'team-z' }],
  });
  return p;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbind-int-errors-'));
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(provisioning()));
  server = await new Server({ provision: file }).start();
  [feeder, alice, bob, sam] = ['feeder', 'alice', 'bob', 'sam'].map((u) => new Client(server.url, u));
  zed = new Client(server.url, 'zed', 'zed-other-pw');
  zfeeder = new Client(server.url, 'zfeeder', 'zfeeder-other-pw');
  for (const c of [feeder, alice, bob, sam, zed, zfeeder]) await c.login();
  otherQueue = (await zfeeder.get('/api/v2/queues?fields=*')).json.queues[0].id;
  zedId = (await zed.get('/api/v2/me')).json.user.id;

  const r = await alice.post('/api/v2/me', {
    operationName: 'StartContactCenterSession', channels: ['workitem', 'email'],
  });
  assert.equal(r.json.statusCode, 0);
  const create = async (client, collection, queue, extra = {}) => {
    const c = await client.post(`/api/v2/me/${collection}`, {
      operationName: 'Create', queueUri: `/queues/${queue}`, ...extra,
    });
    assert.equal(c.json.statusCode, 0, c.text);
    return c.json.id;
  };
  ids.work = await create(alice, 'workitems', WORKITEMS_IN, { userData: { Subject: 'mine' } });
  ids.email = await create(alice, 'emails', WORKITEMS_IN);
  ids.bobs = await create(bob, 'workitems', WORKITEMS_IN);
  ids.other = await create(zed, 'workitems', otherQueue, { contactId: 'Z-1' });
  const q = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, {
    operationName: 'Submit', mediaType: 'workitem', contactId: 'C-1',
  });
  ids.queued = q.json.id;
});

after(async () => {
  await server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

// Everything a failed request must leave as it was.
async function snapshot() {
  const out = {};
  for (const [name, id] of Object.entries(ids)) {
    const reader = name === 'other' ? zfeeder : feeder;
    out[name] = (await reader.get(`/api/v2/interactions/${id}`)).json;
  }
  out.aliceWorkitems = (await alice.get('/api/v2/me/workitems?fields=*')).json;
  out.queues = (await feeder.get('/api/v2/queues?fields=*')).json;
  out.otherQueues = (await zfeeder.get('/api/v2/queues?fields=*')).json;
  out.contact = (await feeder.get('/api/v2/contacts/C-1')).json;
  out.otherContact = (await zfeeder.get('/api/v2/contacts/Z-1')).json;
  return out;
}

// The next referenceId alice and feeder would get (consumed by a harmless
// successful request, so call it once per check).
async function nextRefs() {
  const a = await alice.post(`/api/v2/me/workitems/${ids.work}`, { operationName: 'SetInFocus' });
  const f = await feeder.post(`/api/v2/interactions/${ids.queued}`, {
    operationName: 'AttachUserData', userData: { Probe: 1 },
  });
  return [a.json.referenceId, f.json.referenceId];
}

async function expectCases(cases) {
  const [aliceRef, feederRef] = await nextRefs();
  const baseline = await snapshot();
  for (const [client, method, path, body, status, code, label] of cases) {
    const r = await client.call(method, path, body);
    assert.equal(r.status, status, `${label}: ${r.text}`);
    assert.equal(r.json.statusCode, code, `${label}: ${r.text}`);
    assert.deepEqual(Object.keys(r.json).sort(), ['statusCode', 'statusMessage'], label);
    assert.deepEqual(await snapshot(), baseline, `${label} changed something`);
  }
  // Failed requests consumed no referenceId.
  assert.deepEqual(await nextRefs(), [aliceRef + 1, feederRef + 1]);
}

const big = 'x'.repeat(16385);
const manyKeys = Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`k${i}`, i]));

test('collections: Create and reads', async () => {
  const me = '/api/v2/me/workitems';
  const queueUri = `/queues/${WORKITEMS_IN}`;
  await expectCases([
    [alice, 'GET', '/api/v2/me/openmedia/promotion', undefined, 404, 6, 'unknown open-media type'],
    [alice, 'POST', me, {}, 400, 1, 'operationName missing'],
    [alice, 'POST', me, { operationName: 'Submit' }, 400, 2, 'operation of another route'],
    [alice, 'POST', me, { operationName: 'Create' }, 400, 1, 'queueUri missing'],
    [alice, 'POST', me, { operationName: 'Create', queueUri: 7 }, 400, 10, 'queueUri not a string'],
    [alice, 'POST', me, { operationName: 'Create', queueUri: '/queues/nope' }, 404, 6, 'unknown queue'],
    [alice, 'POST', me, { operationName: 'Create', queueUri: `/queues/${otherQueue}` }, 404, 6, "other tenant's queue"],
    [alice, 'POST', me, { operationName: 'Create', queueUri, parentId: UNKNOWN }, 404, 6, 'unknown parentId'],
    [alice, 'POST', me, { operationName: 'Create', queueUri, parentId: ids.other }, 404, 6, "other tenant's parentId"],
    [alice, 'POST', me, { operationName: 'Create', queueUri, contactId: 'not valid!' }, 400, 10, 'bad contactId'],
    [alice, 'POST', me, { operationName: 'Create', queueUri, userData: [] }, 400, 10, 'userData not an object'],
    [alice, 'POST', me, { operationName: 'Create', queueUri, userData: { a: true } }, 400, 10, 'bad value type'],
    [alice, 'POST', me, { operationName: 'Create', queueUri, userData: { a: big } }, 400, 10, 'oversized value'],
    [alice, 'POST', me, { operationName: 'Create', queueUri, userData: manyKeys }, 400, 10, 'too many keys'],
    [alice, 'POST', me, { operationName: 'Create', queueUri, userData: { ContactId: 'x' } }, 400, 11, 'read-only key'],
    [alice, 'POST', '/api/v2/me/chats', { operationName: 'Create', queueUri }, 400, 2, 'Create on chats'],
    [alice, 'POST', '/api/v2/me/openmedia/promotion', { operationName: 'Create', queueUri }, 404, 6, 'unknown open-media type'],
    [alice, 'POST', '/api/v2/me/openmedia/email', { operationName: 'Create', queueUri }, 404, 6, 'email through an open-media route'],
  ]);
});

test('items: reads through /me, the alias and /interactions', async () => {
  await expectCases([
    [alice, 'GET', `/api/v2/me/workitems/${UNKNOWN}`, undefined, 404, 6, 'unknown id'],
    [alice, 'GET', '/api/v2/me/workitems/bad-id!', undefined, 404, 6, 'malformed id'],
    [alice, 'GET', `/api/v2/me/workitems/${ids.other}`, undefined, 404, 6, "other tenant's interaction"],
    [alice, 'GET', `/api/v2/me/workitems/${ids.bobs}`, undefined, 404, 6, "another agent's interaction"],
    [alice, 'GET', `/api/v2/me/workitems/${ids.queued}`, undefined, 404, 6, 'a queued interaction'],
    [alice, 'GET', `/api/v2/me/emails/${ids.work}`, undefined, 404, 6, 'workitem on the email route'],
    [alice, 'GET', `/api/v2/me/openmedia/tweet/${ids.work}`, undefined, 404, 6, 'workitem on a tweet route'],
    [alice, 'GET', `/api/v2/workitems/${ids.bobs}`, undefined, 403, 5, "another agent's interaction (alias)"],
    [alice, 'GET', `/api/v2/workitems/${ids.other}`, undefined, 404, 6, "other tenant's interaction (alias)"],
    [alice, 'GET', `/api/v2/emails/${ids.work}`, undefined, 404, 6, 'wrong media (alias)'],
    [alice, 'GET', `/api/v2/openmedia/promotion/${ids.work}`, undefined, 404, 6, 'unknown open-media type (alias)'],
    [alice, 'GET', '/api/v2/me/openmedia/workitem', undefined, 404, 6, 'a family that is not open media'],
    [alice, 'GET', `/api/v2/me/openmedia/workitem/${ids.work}`, undefined, 404, 6, 'workitem through an open-media route'],
    [alice, 'GET', `/api/v2/openmedia/email/${ids.email}`, undefined, 404, 6, 'email through an open-media alias'],
    [alice, 'GET', `/api/v2/interactions/${UNKNOWN}`, undefined, 404, 6, 'unknown id (interactions)'],
    [alice, 'GET', `/api/v2/interactions/${ids.queued}`, undefined, 403, 5, 'not visible (interactions)'],
    [zfeeder, 'GET', `/api/v2/interactions/${ids.work}`, undefined, 404, 6, "other tenant's (interactions)"],
  ]);
  // What is allowed: the supervisor reads bob's, the feeder the queued one.
  const asSam = await sam.get(`/api/v2/workitems/${ids.bobs}`);
  assert.equal(asSam.json.workitem.state, 'Processing');
  assert.deepEqual(asSam.json.workitem.capabilities, []);
  const queued = await feeder.get(`/api/v2/interactions/${ids.queued}`);
  assert.equal(queued.json.interaction.state, 'Queued');
  assert.equal(queued.json.interaction.queueName, 'workitems-in');
});

test('items: operations', async () => {
  const mine = `/api/v2/me/workitems/${ids.work}`;
  const alias = `/api/v2/workitems/${ids.work}`;
  const userUri = (id) => `http://localhost:8090/api/v2/users/${id}`;
  await expectCases([
    [alice, 'POST', mine, {}, 400, 1, 'operationName missing'],
    [alice, 'POST', mine, { operationName: 'Create' }, 400, 2, 'Create on an item'],
    [alice, 'POST', mine, { operationName: 'AddWorkitem' }, 400, 2, 'a workbin operation'],
    [alice, 'POST', `/api/v2/me/workitems/${UNKNOWN}`, { operationName: 'Complete' }, 404, 6, 'unknown id'],
    [alice, 'POST', `/api/v2/me/workitems/${ids.other}`, { operationName: 'Complete' }, 404, 6, "other tenant's"],
    [alice, 'POST', `/api/v2/workitems/${ids.other}`, { operationName: 'Complete' }, 404, 6, "other tenant's (alias)"],
    // Another agent's interaction, which alice may not read: what GET answers
    // on each route (on /me the unknown-id reply), never its state.
    [alice, 'POST', `/api/v2/me/workitems/${ids.bobs}`, { operationName: 'Complete' }, 404, 6, "another agent's"],
    [alice, 'POST', `/api/v2/workitems/${ids.bobs}`, { operationName: 'Complete' }, 403, 5, "another agent's (alias)"],
    [sam, 'POST', `/api/v2/workitems/${ids.bobs}`, { operationName: 'Complete' }, 400, 2, "supervisor on another's"],
    [feeder, 'POST', `/api/v2/workitems/${ids.queued}`, { operationName: 'Accept' }, 400, 2, 'a queued interaction'],
    [alice, 'POST', `/api/v2/me/emails/${ids.work}`, { operationName: 'Complete' }, 404, 6, 'wrong media'],
    [alice, 'POST', `/api/v2/chats/${ids.email}`, { operationName: 'Complete' }, 404, 6, 'wrong media (alias)'],
    [alice, 'POST', `/api/v2/openmedia/workitem/${ids.work}`, { operationName: 'Complete' }, 404, 6, 'workitem through an open-media route'],
    [alice, 'POST', `/api/v2/me/openmedia/tweet/${ids.work}`, { operationName: 'Complete' }, 404, 6, 'workitem through a tweet route'],
    [alice, 'POST', mine, { operationName: 'Accept' }, 400, 2, 'Accept while Processing'],
    [alice, 'POST', mine, { operationName: 'Reject' }, 400, 2, 'Reject while Processing'],
    [alice, 'POST', mine, { operationName: 'Accept', saveLAR: 'maybe' }, 400, 10, 'saveLAR not a boolean'],
    [alice, 'POST', mine, { operationName: 'AttachUserData' }, 400, 1, 'userData missing'],
    [alice, 'POST', mine, { operationName: 'AttachUserData', userData: 'x' }, 400, 10, 'userData not an object'],
    [alice, 'POST', mine, { operationName: 'AttachUserData', userData: { Workbin: 'w' } }, 400, 11, 'read-only key'],
    [alice, 'POST', alias, { operationName: 'UpdateUserData', userData: { InteractionId: 'x' } }, 400, 11, 'read-only key (alias)'],
    [alice, 'POST', mine, { operationName: 'UpdateUserData', userData: { a: big } }, 400, 10, 'oversized value'],
    [alice, 'POST', mine, { operationName: 'AttachUserData', userData: { [''] : 1 } }, 400, 10, 'empty key'],
    [alice, 'POST', mine, { operationName: 'AttachUserData', userData: manyKeys }, 400, 10, 'too many keys'],
    [alice, 'POST', mine, { operationName: 'AttachUserData', userData: { a: null } }, 400, 10, 'null value'],
    [alice, 'POST', mine, { operationName: 'DeleteUserData' }, 400, 1, 'keys missing'],
    [alice, 'POST', mine, { operationName: 'DeleteUserData', keys: [1] }, 400, 10, 'keys not strings'],
    [alice, 'POST', mine, { operationName: 'DeleteUserData', userData: 5 }, 400, 10, 'userData alias of the wrong type'],
    [alice, 'POST', mine, { operationName: 'DeleteUserData', keys: ['Subject', 'InteractionId'] }, 400, 11, 'deleting a read-only key'],
    [alice, 'POST', mine, { operationName: 'Transfer' }, 400, 1, 'Transfer without target'],
    [alice, 'POST', mine, { operationName: 'Transfer', userUri: userUri(DEMO.users.bob.id), queueName: 'emails-in' }, 400, 10, 'both targets'],
    [alice, 'POST', mine, { operationName: 'Transfer', userUri: userUri(DEMO.users.alice.id) }, 400, 10, 'Transfer to oneself'],
    [alice, 'POST', mine, { operationName: 'Transfer', userUri: userUri('ffffffffffffffffffffffffffffffff') }, 404, 6, 'unknown user'],
    [alice, 'POST', mine, { operationName: 'Transfer', userUri: userUri(zedId) }, 404, 6, "other tenant's user"],
    [alice, 'POST', mine, { operationName: 'Transfer', userUri: userUri(DEMO.users.bob.id) }, 400, 2, 'target not logged in'],
    [alice, 'POST', mine, { operationName: 'Transfer', queueName: 'nope' }, 404, 6, 'unknown queue'],
    [alice, 'POST', mine, { operationName: 'Transfer', queueName: 'other-in' }, 404, 6, "other tenant's queue"],
    [alice, 'POST', mine, { operationName: 'PlaceInQueue' }, 400, 1, 'queueName missing'],
    [alice, 'POST', mine, { operationName: 'PlaceInQueue', queueName: 3 }, 400, 10, 'queueName not a string'],
    [alice, 'POST', mine, { operationName: 'PlaceInQueue', queueName: 'other-in' }, 404, 6, "other tenant's queue"],
    [alice, 'POST', mine, { operationName: 'Complete', queueName: 'nope' }, 404, 6, 'Complete to an unknown queue'],
  ]);
});

test('/interactions/{id}: user data by supervisors, admins and API users', async () => {
  const path = `/api/v2/interactions/${ids.work}`;
  await expectCases([
    [alice, 'POST', path, { operationName: 'AttachUserData', userData: { a: 1 } }, 403, 5, 'an agent'],
    [sam, 'POST', path, { operationName: 'Complete' }, 400, 2, 'not a user-data operation'],
    [sam, 'POST', `/api/v2/interactions/${UNKNOWN}`, { operationName: 'AttachUserData', userData: { a: 1 } }, 404, 6, 'unknown id'],
    [feeder, 'POST', `/api/v2/interactions/${ids.other}`, { operationName: 'AttachUserData', userData: { a: 1 } }, 404, 6, "other tenant's"],
    [feeder, 'POST', path, { operationName: 'AttachUserData', userData: { Workbin: 'x' } }, 400, 11, 'read-only key'],
    [feeder, 'POST', path, { operationName: 'DeleteUserData', keys: ['ContactId'] }, 400, 11, 'deleting a read-only key'],
    [feeder, 'POST', path, { operationName: 'UpdateUserData', userData: { a: big } }, 400, 10, 'oversized value'],
  ]);
});

test('queues: Submit', async () => {
  const path = `/api/v2/queues/${WORKITEMS_IN}`;
  await expectCases([
    [alice, 'POST', path, { operationName: 'Submit', mediaType: 'workitem' }, 403, 5, 'an agent'],
    [sam, 'POST', path, { operationName: 'Submit', mediaType: 'workitem' }, 403, 5, 'a supervisor'],
    [feeder, 'POST', path, { operationName: 'Foo' }, 400, 2, 'unknown operation'],
    [feeder, 'POST', path, { operationName: 'Submit' }, 400, 1, 'mediaType missing'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 1 }, 400, 10, 'mediaType not a string'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'fax' }, 400, 10, 'unknown media type'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'workitem', contactId: '' }, 400, 10, 'empty contactId'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'workitem', contactId: 'x'.repeat(65) }, 400, 10, 'long contactId'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'workitem', userData: { ContactId: 'x' } }, 400, 11, 'read-only key'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'workitem', userData: manyKeys }, 400, 10, 'too many keys with InteractionId'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'email', to: 'a@b' }, 400, 10, 'to not an array'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'workitem', parentId: UNKNOWN }, 404, 6, 'unknown parentId'],
    [feeder, 'POST', path, { operationName: 'Submit', mediaType: 'workitem', parentId: ids.other }, 404, 6, "other tenant's parentId"],
    [feeder, 'POST', '/api/v2/queues/nope', { operationName: 'Submit', mediaType: 'workitem' }, 404, 6, 'unknown queue'],
    [feeder, 'POST', `/api/v2/queues/${otherQueue}`, { operationName: 'Submit', mediaType: 'workitem' }, 404, 6, "other tenant's queue"],
  ]);
});

test('contacts', async () => {
  await expectCases([
    [alice, 'GET', '/api/v2/contacts/NOPE', undefined, 404, 6, 'unknown contact'],
    [alice, 'GET', '/api/v2/contacts/Z-1', undefined, 404, 6, "other tenant's contact"],
    [alice, 'GET', '/api/v2/contacts/bad%20id', undefined, 404, 6, 'malformed contact id'],
    [alice, 'GET', '/api/v2/contacts', undefined, 404, 6, 'the contact directory'],
  ]);
  const c = await alice.get('/api/v2/contacts/C-1');
  assert.deepEqual(c.json, {
    statusCode: 0,
    contact: { id: 'C-1', uri: 'http://localhost:8090/api/v2/contacts/C-1', path: '/contacts/C-1' },
  });
});
