// Workbins with the real CometD client: listings, Add and Pull with their
// notifications (referenceId of the reply on both the workbin message and
// the agent-topic StatusChange), subscriptions, refused requests that
// change nothing, and concurrent Pulls with exactly one winner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
const ALICE_ID = '1b90bfb1f4335e9587c3f500f9e4432e';
const ALICE_WB = '3569d15d-3143-5ada-91b1-415626f3dbcc';
const BOB_WB = '56850484-16fe-55a4-b96a-d6c32c067e5b';
const TEAM_WB = 'eebeaff4-128f-5bdf-b152-15c89b90854f';
const PLACE_WB = '2c3a1825-c854-5868-9096-78b1bb6dab10';
const UNKNOWN_WB = '00000000-0000-5000-8000-000000000000';
let server, alice, bob, ops;

before(async () => {
  server = await new Server().start();
  alice = await connectCometd(server.port, 'alice');
  bob = await connectCometd(server.port, 'bob');
  ops = new Client(server.url, 'ops');
  await ops.login();
  for (const agent of [alice, bob]) {
    const r = await agent.rest.post('/api/v2/me', {
      operationName: 'StartContactCenterSession', channels: ['workitem', 'email'],
    });
    assert.equal(r.json.statusCode, 0, r.text);
  }
});

after(async () => {
  await alice?.disconnect();
  await bob?.disconnect();
  await server?.cleanup();
});

// A workitem owned by `agent` (Processing); returns its id.
async function create(agent, userData = {}) {
  const r = await agent.rest.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, userData,
  });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}

async function ok(client, path, body) {
  const r = await client.post(path, body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.statusCode, 0, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['referenceId', 'statusCode']);
  assert.ok(Number.isInteger(r.json.referenceId) && r.json.referenceId > 0);
  return r.json.referenceId;
}

const contentChanged = (action, workbin, id, extra = () => true) => (m) =>
  m.channel === '/v2/me/workbins' && m.data.messageType === 'WorkbinContentChanged' &&
  m.data.action === action && m.data.id === workbin && m.data.interaction?.id === id && extra(m.data);
const statusChange = (id, extra = () => true) => (m) =>
  m.channel === '/v2/me/workitems' && m.data.notificationType === 'StatusChange' &&
  m.data.workitem?.id === id && extra(m.data);

test('GetWorkbins: visible, own, fields, order', async () => {
  const all = await alice.rest.get('/api/v2/workbins?fields=*');
  assert.equal(all.json.statusCode, 0, all.text);
  assert.deepEqual(all.json.workbins.map((w) => w.id), [ALICE_WB, PLACE_WB, TEAM_WB]);
  const [own, place, team] = all.json.workbins;
  assert.deepEqual(own, {
    id: ALICE_WB, name: 'email-in-progress', workbinName: 'email-in-progress',
    displayName: own.displayName, type: 'Agent', ownerId: ALICE_ID,
    uri: `http://localhost:8090/api/v2/workbins/${ALICE_WB}`, path: `/workbins/${ALICE_WB}`,
  });
  assert.equal(place.type, 'Place');
  assert.equal(place.place, 'place-1');
  assert.equal(team.type, 'AgentGroup');
  assert.equal(team.agentGroup, 'team-a');

  const mine = await alice.rest.get('/api/v2/me/workbins');
  assert.deepEqual(mine.json, {
    statusCode: 0,
    uris: [ALICE_WB, PLACE_WB].map((id) => `http://localhost:8090/api/v2/workbins/${id}`),
  });
  const names = await alice.rest.get('/api/v2/me/workbins?fields=id,type');
  assert.deepEqual(names.json.workbins, [{ id: ALICE_WB, type: 'Agent' }, { id: PLACE_WB, type: 'Place' }]);
  // The admin sees every workbin of the contact center, bob's included.
  const adminView = await ops.get('/api/v2/workbins?fields=id');
  assert.ok(adminView.json.workbins.some((w) => w.id === BOB_WB));
  // workbinIds: in the given order, duplicates once.
  const picked = await alice.rest.get(`/api/v2/workbins?workbinIds=${TEAM_WB},${ALICE_WB},${TEAM_WB}`);
  assert.deepEqual(picked.json.workbins.map((w) => w.id), [TEAM_WB, ALICE_WB]);
});

test('AddWorkitem by the owner: reply, both notifications, content', async () => {
  const id = await create(alice, { Subject: 'seed' });
  const ref = await ok(alice.rest, `/api/v2/workbins/${ALICE_WB}`, {
    operationName: 'AddWorkitem', id, saveLAR: true,
  });
  const added = await alice.waitFor(contentChanged('ItemAdded', ALICE_WB, id, (d) => d.referenceId === ref));
  assert.equal(added.data.workbinType, 'Agent');
  assert.equal(added.data.workbinUserId, ALICE_ID);
  assert.equal(added.data.interaction.state, 'InWorkbin');
  assert.deepEqual(added.data.interaction.capabilities, []);
  assert.equal(added.data.interaction.userData.Workbin, 'email-in-progress');
  assert.equal(added.data.interaction.userData.WorkbinAgentId, 'alice');
  assert.equal(added.data.interaction.userData.Subject, 'seed');
  assert.deepEqual(added.data.workitemStateResourceV2, added.data.interaction);

  const changed = await alice.waitFor(statusChange(id, (d) => d.referenceId === ref));
  assert.equal(changed.data.messageType, 'WorkitemStateChangeMessage');
  assert.equal(changed.data.workitem.state, 'InWorkbin');
  assert.deepEqual(changed.data.workitem.capabilities, []);
  assert.equal(changed.data.workitem.userData.Workbin, 'email-in-progress');
  assert.equal(changed.data.workitem.userData.WorkbinAgentId, 'alice');

  const content = await alice.rest.get(`/api/v2/me/workbins/${ALICE_WB}?subresources=*`);
  assert.equal(content.json.statusCode, 0, content.text);
  assert.deepEqual(content.json.workbin.workitems.map((w) => w.id), [id]);
  assert.equal(content.json.workbin.emails, undefined, 'empty arrays are left out for *');
  const listed = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}?subresources=email,workitems`);
  assert.deepEqual(listed.json.workbin.emails, []);
  assert.equal(listed.json.workbin.workitems.length, 1);
  const plain = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}`);
  assert.equal(plain.json.workbin.workitems, undefined);
  const uris = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}/workitems`);
  assert.deepEqual(uris.json, { statusCode: 0, uris: [`http://localhost:8090/api/v2/workitems/${id}`] });
  const items = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}/workitem?fields=*`);
  assert.equal(items.json.workitems[0].state, 'InWorkbin');
  const wrapped = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}/emails?subresources=*&fields=id`);
  assert.deepEqual(wrapped.json.workbin, { id: ALICE_WB, emails: [] });
  const mine = await alice.rest.get('/api/v2/me/workitems');
  assert.ok(!mine.json.uris.some((u) => u.endsWith(id)), 'no longer owned');
  const contact = added.data.interaction.contactId;
  if (contact) {
    const profile = await alice.rest.get(`/api/v2/contacts/${contact}`);
    assert.equal(profile.json.statusCode, 0, profile.text);
  }
});

test('Subscribe, Add by uri, Pull by a subscriber, second Pull loses, Unubscribe', async () => {
  const sub = await ok(bob.rest, `/api/v2/me/workbins/${TEAM_WB}`, { operationName: 'Subscribe' });
  const subscribed = await bob.waitFor((m) =>
    m.data.messageType === 'WorkbinSubscriptionStateChangeMessage' && m.data.referenceId === sub);
  assert.deepEqual(subscribed.data, {
    messageType: 'WorkbinSubscriptionStateChangeMessage', stateResource: 'Subscribed',
    id: TEAM_WB, agentGroup: 'team-a', referenceId: sub,
  });
  assert.equal(subscribed.channel, '/v2/me/workbins');

  const id = await create(alice);
  const addRef = await ok(alice.rest, `/api/v2/workbins/${TEAM_WB}`, {
    operationName: 'AddInteraction', uri: `http://localhost:8090/api/v2/workitems/${id}`,
  });
  await alice.waitFor(contentChanged('ItemAdded', TEAM_WB, id, (d) => d.referenceId === addRef));
  const seen = await bob.waitFor(contentChanged('ItemAdded', TEAM_WB, id));
  assert.equal(seen.data.referenceId, undefined, 'only the actor gets the referenceId');
  assert.equal(seen.data.agentGroup, 'team-a');
  assert.equal(seen.data.interaction.userData.WorkbinAgentGroupId, 'team-a');

  const pullRef = await ok(bob.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'PullWorkitem', id });
  const removed = await bob.waitFor(contentChanged('ItemRemoved', TEAM_WB, id, (d) => d.referenceId === pullRef));
  assert.equal(removed.data.interaction.state, 'InWorkbin');
  assert.deepEqual(removed.data.workitemStateResourceV2, removed.data.interaction);
  const owned = await bob.waitFor(statusChange(id, (d) => d.referenceId === pullRef));
  assert.equal(owned.data.workitem.state, 'Processing');
  assert.ok(owned.data.workitem.capabilities.includes('Complete'));
  assert.equal(owned.data.workitem.userData.Workbin, 'team-backlog');

  const again = await alice.rest.post(`/api/v2/workbins/${TEAM_WB}`, { operationName: 'PullInteraction', id });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.statusCode, 19);
  assert.equal(again.json.statusMessage, `Interaction ${id} is no longer in workbin 'team-backlog'`);
  const mine = await bob.rest.get(`/api/v2/me/workitems/${id}`);
  assert.equal(mine.json.workitem.state, 'Processing');

  const unsub = await ok(bob.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'Unubscribe' });
  const gone = await bob.waitFor((m) =>
    m.data.messageType === 'WorkbinSubscriptionStateChangeMessage' && m.data.referenceId === unsub);
  assert.equal(gone.data.stateResource, 'Unsubscribed');
  // Idempotent.
  await ok(bob.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'Unsubscribe' });
  // No longer subscribed: a new Add reaches alice (actor) but not bob.
  const other = await create(alice);
  const ref2 = await ok(alice.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddWorkitem', id: other });
  await alice.waitFor(contentChanged('ItemAdded', TEAM_WB, other, (d) => d.referenceId === ref2));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!bob.messages.some(contentChanged('ItemAdded', TEAM_WB, other)));
});

test('refused requests change nothing', async () => {
  const inBin = await create(alice);
  await ok(alice.rest, `/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id: inBin });
  const owned = await create(alice);
  const email = (await alice.rest.post('/api/v2/me/emails', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`,
  })).json.id;
  const snapshot = async () => [
    (await ops.get(`/api/v2/workbins?fields=id&subresources=*`)).json,
    (await alice.rest.get('/api/v2/me/workitems')).json,
    (await alice.rest.get('/api/v2/me/emails')).json,
  ];
  const base = await snapshot();
  const item = (wb) => `/api/v2/workbins/${wb}`;
  const cases = [
    [alice, 'POST', item(BOB_WB), { operationName: 'AddWorkitem', id: owned }, 403, 5, 'workbin not visible'],
    [alice, 'GET', item(BOB_WB), undefined, 403, 5, 'GET of a workbin not visible'],
    [alice, 'POST', item(BOB_WB), { operationName: 'Subscribe' }, 403, 5, 'Subscribe not visible'],
    [alice, 'POST', item(UNKNOWN_WB), { operationName: 'AddWorkitem', id: owned }, 404, 6, 'unknown workbin'],
    [alice, 'POST', item('nope'), { operationName: 'AddWorkitem', id: owned }, 404, 6, 'malformed workbin id'],
    [alice, 'GET', item(UNKNOWN_WB), undefined, 404, 6, 'GET unknown workbin'],
    [alice, 'GET', `${item(ALICE_WB)}/nope`, undefined, 404, 6, 'unknown media segment'],
    [alice, 'GET', `${item(ALICE_WB)}?subresources=bogus`, undefined, 400, 10, 'bad subresources'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'AddWorkitem', id: '01HXV7095024NAT6' }, 404, 6, 'unknown interaction'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'AddEmail', id: owned }, 400, 2, 'wrong media'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'AddWorkitem', id: email }, 400, 2, 'email with AddWorkitem'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'AddOpenmedia', id: owned }, 400, 2, 'AddOpenmedia on a workitem'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'AddWorkitem' }, 400, 1, 'neither id nor uri'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'AddWorkitem', id: owned, uri: `/workitems/${inBin}` }, 400, 10, 'id and uri differ'],
    [alice, 'POST', item(TEAM_WB), { operationName: 'AddWorkitem', id: inBin }, 409, 19, 'already in a workbin'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'AddWorkitem', id: inBin }, 409, 19, 'already in this workbin'],
    [bob, 'POST', item(TEAM_WB), { operationName: 'AddWorkitem', id: owned }, 403, 5, 'not owned'],
    [alice, 'POST', item(TEAM_WB), { operationName: 'PullWorkitem', id: inBin }, 409, 19, 'pull from the wrong workbin'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'PullWorkitem', id: owned }, 409, 19, 'pull of an owned item'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'PullEmail', id: inBin }, 400, 2, 'pull with the wrong media'],
    [alice, 'POST', item(ALICE_WB), { operationName: 'Complete', id: inBin }, 400, 2, 'unknown operation'],
  ];
  for (const [who, method, path, body, status, code, label] of cases) {
    const client = who.rest ?? who;
    const r = await client.call(method, path, body);
    assert.equal(r.status, status, `${label}: ${r.text}`);
    assert.equal(r.json.statusCode, code, `${label}: ${r.text}`);
    assert.deepEqual(Object.keys(r.json).sort(), ['statusCode', 'statusMessage'], label);
  }
  assert.deepEqual(await snapshot(), base);
});

test('concurrent Pulls of one interaction: exactly one winner per round', async () => {
  for (let round = 0; round < 12; round++) {
    const id = await create(alice);
    await ok(alice.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddWorkitem', id });
    const results = await Promise.all([alice, bob].map((a) =>
      a.rest.post(`/api/v2/workbins/${TEAM_WB}`, { operationName: 'PullWorkitem', id })));
    const codes = results.map((r) => r.json.statusCode).sort();
    assert.deepEqual(codes, [0, 19], `round ${round}: ${results.map((r) => r.text)}`);
    const loser = results.find((r) => r.json.statusCode === 19);
    assert.equal(loser.status, 409);
    const winner = [alice, bob][results.findIndex((r) => r.json.statusCode === 0)];
    const got = await winner.rest.get(`/api/v2/me/workitems/${id}`);
    assert.equal(got.json.workitem.state, 'Processing');
  }
});
