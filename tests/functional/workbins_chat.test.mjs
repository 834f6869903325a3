// A chat through a workbin: its messages use the chat family's key
// (chatStateResourceV2), a Pull joins the puller as an Agent participant with
// the nickname of the body, and PullChat/AddChat only match chats.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
const TEAM_WB = 'eebeaff4-128f-5bdf-b152-15c89b90854f';
let server, alice, bob, feeder;

before(async () => {
  server = await new Server().start();
  alice = await connectCometd(server.port, 'alice');
  bob = await connectCometd(server.port, 'bob');
  feeder = new Client(server.url, 'feeder');
  await feeder.login();
  const r = await alice.rest.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['chat'] });
  assert.equal(r.json.statusCode, 0, r.text);
});

after(async () => {
  await alice?.disconnect();
  await bob?.disconnect();
  await server?.cleanup();
});

test('chat: Add, Pull with a nickname, family key', async () => {
  let r = await alice.rest.post('/api/v2/me/channels/chat', { operationName: 'Ready' });
  assert.equal(r.json.statusCode, 0, r.text);
  r = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, { operationName: 'Submit', mediaType: 'chat', nickname: 'Carol' });
  assert.equal(r.json.statusCode, 0, r.text);
  const id = r.json.id;
  await alice.waitFor((m) => m.data.chat?.id === id && m.data.chat.state === 'Invited');
  r = await alice.rest.post(`/api/v2/me/chats/${id}`, { operationName: 'Accept', nickname: 'Ali' });
  assert.equal(r.json.statusCode, 0, r.text);
  r = await alice.rest.post('/api/v2/me/channels/chat', { operationName: 'NotReady' });
  assert.equal(r.json.statusCode, 0, r.text);

  const wrong = await alice.rest.post(`/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddWorkitem', id });
  assert.equal(wrong.json.statusCode, 2, wrong.text);
  r = await alice.rest.post(`/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddChat', id });
  assert.equal(r.json.statusCode, 0, r.text);
  const added = await alice.waitFor((m) => m.data.messageType === 'WorkbinContentChanged' &&
    m.data.referenceId === r.json.referenceId);
  assert.deepEqual(added.data.chatStateResourceV2, added.data.interaction);
  assert.equal(added.data.interaction.state, 'InWorkbin');
  const lost = await alice.waitFor((m) => m.channel === '/v2/me/chats' && m.data.referenceId === r.json.referenceId);
  assert.equal(lost.data.chat.state, 'InWorkbin');

  r = await bob.rest.post(`/api/v2/workbins/${TEAM_WB}`, { operationName: 'PullChat', id, nickname: 'Bobby' });
  assert.equal(r.json.statusCode, 0, r.text);
  const owned = await bob.waitFor((m) => m.channel === '/v2/me/chats' && m.data.referenceId === r.json.referenceId);
  assert.equal(owned.data.chat.state, 'Chatting');
  assert.deepEqual(owned.data.chat.participants.map((p) => [p.nickname, p.type]),
    [['Carol', 'Customer'], ['Ali', 'Agent'], ['Bobby', 'Agent']]);
  const removed = await bob.waitFor((m) => m.data.messageType === 'WorkbinContentChanged' &&
    m.data.referenceId === r.json.referenceId);
  assert.equal(removed.data.action, 'ItemRemoved');
  assert.equal(removed.data.chatStateResourceV2.participants.length, 2, 'rendered as it was in the workbin');
});
