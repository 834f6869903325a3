// Workbin subscriptions end when their user can no longer see the workbin
// (membership or place change) or when the workbin is deleted; the user gets
// WorkbinSubscriptionStateChangeMessage Unsubscribed without referenceId.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { TEAM_WB, createAndAdd } from './lib/workbins.mjs';

const TEAM_A = 'efe27d28-2710-5fb0-aadd-d79da75d37f1';
const BOB_WB = '56850484-16fe-55a4-b96a-d6c32c067e5b';
const PLACE_1_WB = '2c3a1825-c854-5868-9096-78b1bb6dab10';

let server;
const open = [];
before(async () => { server = await new Server().start(); });
after(async () => {
  for (const c of open) await c.disconnect();
  await server?.cleanup();
});

async function connect(user) {
  const c = await connectCometd(server.port, user);
  open.push(c);
  return c;
}

const unsubscribed = (id) => (m) => m.data?.messageType === 'WorkbinSubscriptionStateChangeMessage' &&
  m.data.stateResource === 'Unsubscribed' && m.data.id === id;

async function subscribe(client, id) {
  const r = await client.rest.post(`/api/v2/me/workbins/${id}`, { operationName: 'Subscribe' });
  assert.equal(r.json.statusCode, 0, r.text);
}

// Messages to one user arrive in commit order: once `client` hears of its
// own later request, an earlier message for it would already be here.
async function fence(client, ownWorkbin) {
  const r = await client.rest.post(`/api/v2/me/workbins/${ownWorkbin}`, { operationName: 'RequestStats' });
  assert.equal(r.json.statusCode, 0, r.text);
  await client.waitFor((m) => m.data?.messageType === 'WorkbinStatsMessage' && m.data.referenceId === r.json.referenceId);
}

test('leaving the agent group ends the group workbin subscription', async () => {
  const ops = new Client(server.url, 'ops');
  const alice = new Client(server.url, 'alice');
  const bob = await connect('bob');
  await subscribe(bob, TEAM_WB);

  const change = await ops.put(`/api/v2/agent-groups/${TEAM_A}`, { agents: ['alice'] });
  assert.equal(change.json.statusCode, 0, change.text);
  const m = await bob.waitFor(unsubscribed(TEAM_WB));
  assert.deepEqual(m.data, {
    messageType: 'WorkbinSubscriptionStateChangeMessage', stateResource: 'Unsubscribed',
    id: TEAM_WB, agentGroup: 'team-a',
  });
  assert.ok(Number.isInteger(m.ext?.seq), 'numbered for replay');

  // Back in the group, bob is not subscribed any more.
  const back = await ops.put(`/api/v2/agent-groups/${TEAM_A}`, { agents: ['alice', 'bob'] });
  assert.equal(back.json.statusCode, 0, back.text);
  const item = await createAndAdd(alice, TEAM_WB);
  await fence(bob, BOB_WB);
  assert.equal(bob.messages.find((x) => x.data?.messageType === 'WorkbinContentChanged' &&
    x.data.interaction?.id === item), undefined);
});

test('deleting a workbin ends the subscriptions to it', async () => {
  const ops = new Client(server.url, 'ops');
  const def = await ops.post('/api/v2/workbin-definitions', { name: 'scratch', type: 'Agent' });
  assert.equal(def.json.statusCode, 0, def.text);
  const alice = await connect('alice');
  const list = await alice.rest.get('/api/v2/me/workbins?fields=*');
  const scratch = list.json.workbins.find((w) => w.name === 'scratch');
  assert.ok(scratch, list.text);
  await subscribe(alice, scratch.id);

  const del = await ops.del(`/api/v2/workbin-definitions/${def.json.id}`);
  assert.equal(del.json.statusCode, 0, del.text);
  const m = await alice.waitFor(unsubscribed(scratch.id));
  assert.deepEqual(m.data, {
    messageType: 'WorkbinSubscriptionStateChangeMessage', stateResource: 'Unsubscribed', id: scratch.id,
  });
  const gone = await alice.rest.post(`/api/v2/me/workbins/${scratch.id}`, { operationName: 'Unsubscribe' });
  assert.equal(gone.json.statusCode, 6, gone.text);
});

test('moving to another place ends the subscription to the old place\'s workbin, for the agent and its supervisor', async () => {
  // alice's default place is place-1; bob sits at place-2.
  const alice = await connect('alice');
  const sam = await connect('sam');
  await subscribe(alice, PLACE_1_WB);
  await subscribe(sam, PLACE_1_WB);
  const bob = new Client(server.url, 'bob');
  const bobAt = await bob.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'], place: 'place-2' });
  assert.equal(bobAt.json.statusCode, 0, bobAt.text);

  const move = await alice.rest.post('/api/v2/me', {
    operationName: 'StartContactCenterSession', channels: ['workitem'], place: 'place-2',
  });
  // place-2 is taken by bob: refused, and nothing ends.
  assert.equal(move.json.statusCode, 19, move.text);
  const end = await bob.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
  assert.equal(end.json.statusCode, 0, end.text);
  const moved = await alice.rest.post('/api/v2/me', {
    operationName: 'StartContactCenterSession', channels: ['workitem'], place: 'place-2',
  });
  assert.equal(moved.json.statusCode, 0, moved.text);
  const mine = await alice.waitFor(unsubscribed(PLACE_1_WB));
  assert.equal(mine.data.referenceId, undefined);
  // sam saw place-1 only through alice.
  await sam.waitFor(unsubscribed(PLACE_1_WB));
  for (const c of [alice, sam]) {
    const r = await c.rest.post(`/api/v2/me/workbins/${PLACE_1_WB}`, { operationName: 'Subscribe' });
    assert.equal(r.json.statusCode, 5, `${r.text}: no longer visible`);
  }
});
