// End-to-end interaction flows with the real CometD JavaScript client: a feeder submits, the router offers to the
// ready agent, the agent accepts, changes user data and completes; every
// notification the agent's request causes carries that request's
// referenceId, and the router's offers carry none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client, DEMO } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
let server, feeder, alice, bob, emailsIn;

before(async () => {
  server = await new Server().start();
  feeder = new Client(server.url, 'feeder');
  await feeder.login();
  const queues = await feeder.get('/api/v2/queues?fields=*');
  emailsIn = queues.json.queues.find((q) => q.name === 'emails-in').id;
  alice = await connectCometd(server.port, 'alice');
  bob = await connectCometd(server.port, 'bob');
  for (const agent of [alice, bob]) {
    const r = await agent.rest.post('/api/v2/me', {
      operationName: 'StartContactCenterSession',
      channels: ['workitem', 'email', 'chat', 'tweet'],
    });
    assert.equal(r.json.statusCode, 0, r.text);
  }
});

after(async () => {
  await alice?.disconnect();
  await bob?.disconnect();
  await server.cleanup();
});

// The message on `channel` about interaction `id` matching `extra`.
function about(key, id, extra = () => true) {
  return (m) => m.data?.[key]?.id === id && extra(m.data);
}

async function ready(agent, channel, on = true) {
  const r = await agent.rest.post(`/api/v2/me/channels/${channel}`, {
    operationName: on ? 'Ready' : 'NotReady',
  });
  assert.equal(r.json.statusCode, 0, r.text);
}

// Posts an operation and returns its referenceId.
async function operate(agent, path, body) {
  const r = await agent.rest.post(path, body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.statusCode, 0, r.text);
  assert.ok(Number.isInteger(r.json.referenceId) && r.json.referenceId > 0);
  return r.json.referenceId;
}

// Runs Accept, AttachUserData, Complete on an offered interaction and checks
// each notification against the reply's referenceId.
async function handle(agent, key, id, path, channel, workingState, acceptBody = {}) {
  const accepted = await operate(agent, path, { operationName: 'Accept', ...acceptBody });
  const processing = await agent.waitFor(about(key, id, (d) => d.referenceId === accepted));
  assert.equal(processing.channel, channel);
  assert.equal(processing.data.notificationType, 'StatusChange');
  assert.equal(processing.data[key].state, workingState);
  assert.ok(processing.data[key].capabilities.includes('Complete'));
  assert.equal(processing.data[key].offerExpiresAt, undefined);

  const attached = await operate(agent, path, {
    operationName: 'AttachUserData',
    userData: { Outcome: 'refund', Score: 7 },
  });
  const updated = await agent.waitFor(about(key, id, (d) => d.referenceId === attached));
  assert.equal(updated.data.notificationType, 'PropertiesUpdated');
  assert.equal(updated.data[key].userData.Outcome, 'refund');
  assert.equal(updated.data[key].userData.Score, 7);
  assert.equal(updated.data[key].userData.InteractionId, id);

  const completed = await operate(agent, path, { operationName: 'Complete' });
  const done = await agent.waitFor(about(key, id, (d) => d.referenceId === completed));
  assert.equal(done.data.notificationType, 'StatusChange');
  assert.equal(done.data[key].state, 'Completed');
  assert.deepEqual(done.data[key].capabilities, []);
  assert.ok(accepted < attached && attached < completed);
}

test('workitem: Submit, offer to the ready agent, Accept, AttachUserData, Complete', async () => {
  await ready(alice, 'workitem');
  const submitted = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, {
    operationName: 'Submit',
    mediaType: 'workitem',
    contactId: '0000DaA3G4VF000Q',
    userData: { Subject: 'Refund request 4711', Priority: 2 },
  });
  assert.equal(submitted.json.statusCode, 0, submitted.text);
  assert.ok(submitted.json.referenceId > 0);
  const id = submitted.json.id;
  assert.match(id, /^[0-9A-HJKMNP-TV-Z]{16}$/);

  const offer = await alice.waitFor(about('workitem', id, (d) => d.workitem.state === 'Invited'));
  assert.equal(offer.channel, '/v2/me/workitems');
  assert.equal(offer.data.messageType, 'WorkitemStateChangeMessage');
  assert.equal(offer.data.notificationType, 'StatusChange');
  assert.equal('referenceId' in offer.data, false);
  const w = offer.data.workitem;
  assert.deepEqual(w.capabilities, ['Accept', 'Reject']);
  assert.equal(w.workitemType, 'Inbound');
  assert.equal(w.contactId, '0000DaA3G4VF000Q');
  assert.match(w.receivedDate, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.match(w.offerExpiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(w.userData, {
    InteractionId: id, ContactId: '0000DaA3G4VF000Q', Subject: 'Refund request 4711', Priority: 2,
  });
  assert.equal(w.path, `/workitems/${id}`);
  assert.equal(w.uri, `http://localhost:8090/api/v2/workitems/${id}`);
  assert.equal(bob.messages.some(about('workitem', id)), false);

  await handle(alice, 'workitem', id, `/api/v2/me/workitems/${id}`, '/v2/me/workitems',
    'Processing', { saveLAR: true });
  const mine = await alice.rest.get('/api/v2/me/workitems');
  assert.deepEqual(mine.json, { statusCode: 0, uris: [] });
  const contact = await alice.rest.get('/api/v2/contacts/0000DaA3G4VF000Q');
  assert.equal(contact.json.contact.lastAgentUserName, 'alice');
  assert.equal(contact.json.contact.lastAgentId, DEMO.users.alice.id);
  await ready(alice, 'workitem', false);
});

test('email: Submit with email fields, handled through the alias route', async () => {
  await ready(alice, 'email');
  const submitted = await feeder.post(`/api/v2/queues/${emailsIn}`, {
    operationName: 'Submit',
    mediaType: 'email',
    from: 'carol@customer.example',
    to: ['support@demo.example'],
    subject: 'Where is my order?',
    body: 'Hello, order 4711 has not arrived.',
  });
  const id = submitted.json.id;
  const offer = await alice.waitFor(about('email', id, (d) => d.email.state === 'Invited'));
  assert.equal(offer.channel, '/v2/me/emails');
  assert.equal(offer.data.messageType, 'EmailStateChangeMessage');
  const e = offer.data.email;
  assert.equal(e.emailType, 'Inbound');
  assert.equal(e.from, 'carol@customer.example');
  assert.deepEqual(e.to, ['support@demo.example']);
  assert.deepEqual(e.cc, []);
  assert.deepEqual(e.bcc, []);
  assert.equal(e.mime, 'text/plain');
  assert.deepEqual(e.attachments, []);
  await handle(alice, 'email', id, `/api/v2/emails/${id}`, '/v2/me/emails', 'Processing');
  await ready(alice, 'email', false);
});

test('chat: Submit with a nickname, Accept adds the agent participant, SetInFocus', async () => {
  await ready(alice, 'chat');
  const submitted = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, {
    operationName: 'Submit', mediaType: 'chat', nickname: 'Carol',
  });
  const id = submitted.json.id;
  const offer = await alice.waitFor(about('chat', id, (d) => d.chat.state === 'Invited'));
  assert.equal(offer.channel, '/v2/me/chats');
  assert.equal(offer.data.messageType, 'ChatStateChangeMessage');
  assert.equal(offer.data.chat.chatType, 'Inbound');
  assert.equal(offer.data.chat.participants.length, 1);
  assert.equal(offer.data.chat.participants[0].nickname, 'Carol');
  assert.equal(offer.data.chat.participants[0].type, 'Customer');

  const path = `/api/v2/me/chats/${id}`;
  const focus = await alice.rest.post(path, { operationName: 'SetInFocus' });
  assert.equal(focus.json.statusCode, 2);  // not in the capabilities of Invited
  await handle(alice, 'chat', id, path, '/v2/me/chats', 'Chatting', { nickname: 'Ali' });
  const read = await feeder.get(`/api/v2/chats/${id}`);
  assert.equal(read.json.chat.state, 'Completed');
  assert.deepEqual(read.json.chat.participants.map((p) => [p.nickname, p.type]),
    [['Carol', 'Customer'], ['Ali', 'Agent']]);
  assert.match(read.json.chat.participants[1].participantId, /^[0-9A-Z]{16}$/);
  await ready(alice, 'chat', false);
});

test('open media: Create a tweet, SetInFocus and Complete on /v2/me/openmedia', async () => {
  const created = await alice.rest.post('/api/v2/me/openmedia/tweet', {
    operationName: 'Create',
    queueUri: `http://localhost:8090/api/v2/queues/${WORKITEMS_IN}`,
    userData: { TwitterHandle: '@carol' },
  });
  assert.equal(created.json.statusCode, 0, created.text);
  const id = created.json.id;
  const made = await alice.waitFor(about('openmedia', id, (d) => d.referenceId === created.json.referenceId));
  assert.equal(made.channel, '/v2/me/openmedia');
  assert.equal(made.data.messageType, 'OpenmediaStateChangeMessage');
  assert.equal(made.data.openmedia.state, 'Processing');
  assert.equal(made.data.openmedia.mediaType, 'tweet');
  assert.equal(made.data.openmedia.openmediaType, 'Outbound');
  assert.equal(made.data.openmedia.path, `/openmedia/tweet/${id}`);
  const list = await alice.rest.get('/api/v2/me/openmedia/tweet?fields=*');
  assert.deepEqual(list.json.openmedia.map((o) => o.id), [id]);
  const me = await alice.rest.get('/api/v2/me?subresources=openmedia,workitems');
  assert.deepEqual(me.json.user.openmedia.map((o) => o.id), [id]);
  assert.deepEqual(me.json.user.workitems, []);
  const focus = await operate(alice, `/api/v2/openmedia/tweet/${id}`, { operationName: 'SetInFocus' });
  const focused = await alice.waitFor(about('openmedia', id, (d) => d.referenceId === focus));
  assert.equal(focused.data.notificationType, 'PropertiesUpdated');
  const done = await operate(alice, `/api/v2/me/openmedia/tweet/${id}`, { operationName: 'Complete' });
  await alice.waitFor(about('openmedia', id, (d) => d.referenceId === done && d.openmedia.state === 'Completed'));
});

test('Transfer to a user who rejects: the caller gets an Error with its referenceId', async () => {
  const created = await alice.rest.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`,
  });
  const id = created.json.id;
  const transferred = await operate(alice, `/api/v2/workitems/${id}`, {
    operationName: 'Transfer', userUri: `http://localhost:8090/api/v2/users/${DEMO.users.bob.id}`,
  });
  const left = await alice.waitFor(about('workitem', id, (d) => d.referenceId === transferred));
  assert.equal(left.data.workitem.state, 'Completed');
  const invited = await bob.waitFor(about('workitem', id, (d) => d.workitem.state === 'Invited'));
  assert.equal('referenceId' in invited.data, false);
  const rejected = await operate(bob, `/api/v2/me/workitems/${id}`, { operationName: 'Reject' });
  const revoked = await bob.waitFor(about('workitem', id, (d) => d.referenceId === rejected));
  assert.equal(revoked.data.workitem.state, 'Revoked');
  assert.deepEqual(revoked.data.workitem.capabilities, []);
  const error = await alice.waitFor(about('workitem', id, (d) => d.notificationType === 'Error'));
  assert.equal(error.data.referenceId, transferred);
  assert.equal(error.data.errorCode, 16);
  assert.equal(error.data.errorMessage,
    "Transfer to 'bob' was not accepted; interaction placed in queue 'workitems-in'");
  assert.equal(error.data.workitem.state, 'Completed');
  const seen = await feeder.get(`/api/v2/interactions/${id}`);
  assert.equal(seen.json.interaction.state, 'Queued');
  assert.equal(seen.json.interaction.queueName, 'workitems-in');
});

test('supervisor user-data change reaches the owner without a referenceId', async () => {
  const created = await alice.rest.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`,
  });
  const id = created.json.id;
  const sam = new Client(server.url, 'sam');
  const r = await sam.post(`/api/v2/interactions/${id}`, {
    operationName: 'UpdateUserData', userData: { Escalated: 'yes' },
  });
  assert.equal(r.json.statusCode, 0, r.text);
  const note = await alice.waitFor(about('workitem', id, (d) => d.workitem.userData.Escalated === 'yes'));
  assert.equal(note.data.notificationType, 'PropertiesUpdated');
  assert.equal('referenceId' in note.data, false);
  await operate(alice, `/api/v2/me/workitems/${id}`, { operationName: 'Complete' });
});
