// Who may add what: queued work by supervisors, admins and API users (not
// by agents), no Add of a completed interaction, and an open offer: the
// offeree may not park it, a supervisor may, and the offeree is told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
const ALICE_WB = '3569d15d-3143-5ada-91b1-415626f3dbcc';
const BOB_WB = '56850484-16fe-55a4-b96a-d6c32c067e5b';
const TEAM_WB = 'eebeaff4-128f-5bdf-b152-15c89b90854f';
let server, alice, bob, sam, ops, feeder;

before(async () => {
  server = await new Server().start();
  alice = await connectCometd(server.port, 'alice');
  bob = await connectCometd(server.port, 'bob');
  sam = new Client(server.url, 'sam');
  ops = new Client(server.url, 'ops');
  feeder = new Client(server.url, 'feeder');
  for (const c of [sam, ops, feeder]) await c.login();
});

after(async () => {
  await alice?.disconnect();
  await bob?.disconnect();
  await server?.cleanup();
});

async function submit() {
  const r = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, { operationName: 'Submit', mediaType: 'workitem' });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}

async function add(client, workbin, id, expected = 0, status = 200) {
  const r = await client.post(`/api/v2/workbins/${workbin}`, { operationName: 'AddWorkitem', id });
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.statusCode, expected, r.text);
  return r.json;
}

async function state(id) {
  return (await ops.get(`/api/v2/interactions/${id}`)).json.interaction;
}

test('queued work: agents may not add it; supervisors, admins and API users may', async () => {
  const first = await submit();
  const second = await submit();
  const third = await submit();
  assert.equal((await state(first)).state, 'Queued');
  await add(alice.rest, ALICE_WB, first, 5, 403);
  assert.equal((await state(first)).state, 'Queued');

  await add(sam, TEAM_WB, first);
  const parked = await state(first);
  assert.equal(parked.state, 'InWorkbin');
  assert.equal(parked.userData.WorkbinAgentGroupId, 'team-a');

  await add(ops, BOB_WB, second);
  const told = await bob.waitFor((m) => m.data.messageType === 'WorkbinContentChanged' &&
    m.data.interaction?.id === second);
  assert.equal(told.data.referenceId, undefined, 'the owner of the workbin is not the actor');
  assert.equal(told.data.interaction.userData.WorkbinAgentId, 'bob');

  await add(feeder, ALICE_WB, third);
  assert.equal((await state(third)).state, 'InWorkbin');
});

test('a completed interaction cannot be added', async () => {
  const c = await alice.rest.post('/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  const id = c.json.id;
  const done = await alice.rest.post(`/api/v2/me/workitems/${id}`, { operationName: 'Complete' });
  assert.equal(done.json.statusCode, 0, done.text);
  await add(ops, TEAM_WB, id, 2, 400);
  await add(alice.rest, ALICE_WB, id, 5, 403);
  assert.equal((await state(id)).state, 'Completed');
});

test('an open offer: not by the offeree; a supervisor parks it and the offeree hears', async () => {
  let r = await alice.rest.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  assert.equal(r.json.statusCode, 0, r.text);
  r = await alice.rest.post('/api/v2/me/channels/workitem', { operationName: 'Ready' });
  assert.equal(r.json.statusCode, 0, r.text);
  const id = await submit();
  await alice.waitFor((m) => m.data.workitem?.id === id && m.data.workitem.state === 'Invited');
  await add(alice.rest, ALICE_WB, id, 2, 400);
  assert.equal((await state(id)).state, 'Invited');

  const reply = await add(sam, ALICE_WB, id);
  const revoked = await alice.waitFor((m) => m.channel === '/v2/me/workitems' && m.data.workitem?.id === id &&
    m.data.workitem.state === 'InWorkbin');
  assert.equal(revoked.data.notificationType, 'StatusChange');
  assert.equal(revoked.data.referenceId, undefined);
  assert.ok(reply.referenceId > 0);
  const parked = await state(id);
  assert.equal(parked.state, 'InWorkbin');
  assert.equal(parked.userData.WorkbinAgentId, 'alice');
});

test('user data changed on an interaction in a workbin: ItemUpdated', async () => {
  const id = await submit();
  await add(ops, BOB_WB, id);
  const r = await ops.post(`/api/v2/interactions/${id}`, {
    operationName: 'AttachUserData', userData: { Note: 'call back' },
  });
  assert.equal(r.json.statusCode, 0, r.text);
  const updated = await bob.waitFor((m) => m.data.messageType === 'WorkbinContentChanged' &&
    m.data.action === 'ItemUpdated' && m.data.interaction?.id === id);
  assert.equal(updated.data.id, BOB_WB);
  assert.equal(updated.data.referenceId, undefined);
  assert.equal(updated.data.interaction.state, 'InWorkbin');
  assert.equal(updated.data.interaction.userData.Note, 'call back');
  assert.deepEqual(updated.data.workitemStateResourceV2, updated.data.interaction);
});
