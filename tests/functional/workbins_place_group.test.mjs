// PlaceGroup workbins end to end (workbins.md ops 4.4-4.6, 5, 6, 11, RequestStats
// and RequestAgentStats): a definition of type PlaceGroup gives floor-1 a
// workbin that alice (place-1) and bob (place-2) both see through their place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { WORKITEMS_IN } from './lib/workbins.mjs';

let server, alice, bob, floorWb;

before(async () => {
  server = await new Server().start();
  const ops = new Client(server.url, 'ops');
  const def = await ops.post('/api/v2/workbin-definitions', { name: 'floor-queue', displayName: 'Floor queue', type: 'PlaceGroup' });
  assert.equal(def.json.statusCode, 0, def.text);
  alice = await connectCometd(server.port, 'alice');
  bob = await connectCometd(server.port, 'bob');
  const all = await alice.rest.get('/api/v2/workbins?fields=*');
  floorWb = all.json.workbins.find((w) => w.name === 'floor-queue');
  assert.ok(floorWb, all.text);
});
after(async () => {
  for (const c of [alice, bob]) await c?.disconnect();
  await server?.cleanup();
});

test('the place group workbin, reached with placeGroup=', async () => {
  assert.equal(floorWb.type, 'PlaceGroup');
  assert.equal(floorWb.placeGroup, 'floor-1');
  const id = floorWb.id;
  const at = `/api/v2/me/workbins/${id}`;

  // Subscribe through the group form: the message names the place group.
  const sub = await bob.rest.post(`${at}?placeGroup=floor-1`, { operationName: 'Subscribe' });
  assert.equal(sub.json.statusCode, 0, sub.text);
  const subscribed = await bob.waitFor((m) => m.data.messageType === 'WorkbinSubscriptionStateChangeMessage' &&
    m.data.referenceId === sub.json.referenceId);
  assert.deepEqual(subscribed.data, {
    messageType: 'WorkbinSubscriptionStateChangeMessage', stateResource: 'Subscribed', id,
    placeGroup: 'floor-1', referenceId: sub.json.referenceId,
  });

  // alice parks a workitem there (group form of Add).
  const created = await alice.rest.post('/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  assert.equal(created.json.statusCode, 0, created.text);
  const item = created.json.id;
  const add = await alice.rest.post(`${at}?placeGroup=floor-1`, { operationName: 'AddWorkitem', id: item });
  assert.equal(add.json.statusCode, 0, add.text);
  const parked = await alice.waitFor((m) => m.data.messageType === 'WorkitemStateChangeMessage' &&
    m.data.referenceId === add.json.referenceId);
  assert.equal(parked.data.workitem.state, 'InWorkbin');
  assert.equal(parked.data.workitem.userData.Workbin, 'floor-queue');
  assert.equal(parked.data.workitem.userData.WorkbinPlaceGroupId, 'floor-1');
  await bob.waitFor((m) => m.data.messageType === 'WorkbinContentChanged' && m.data.action === 'ItemAdded' &&
    m.data.interaction?.id === item);

  // Reads: 4.4 (subresources), 4.5 (media type), 4.6 (several by workbinIds).
  const one = await bob.rest.get(`${at}?subresources=*&placeGroup=floor-1`);
  assert.equal(one.json.statusCode, 0, one.text);
  assert.equal(one.json.workbin.placeGroup, 'floor-1');
  assert.deepEqual(one.json.workbin.workitems.map((w) => w.id), [item]);
  const media = await bob.rest.get(`${at}/workitems?placeGroup=floor-1`);
  assert.equal(media.json.statusCode, 0, media.text);
  assert.equal(media.json.uris.length, 1);
  const several = await bob.rest.get(`/api/v2/me/workbins?workbinIds=${id}&subresources=*&placeGroup=floor-1`);
  assert.equal(several.json.statusCode, 0, several.text);
  assert.deepEqual(several.json.workbins.map((w) => w.id), [id]);
  const wrongGroup = await bob.rest.get(`${at}?agentGroup=team-a`);
  assert.equal(wrongGroup.json.statusCode, 6, wrongGroup.text);

  // Stats of the place group workbins of bob's place.
  const stats = await bob.rest.post('/api/v2/me/workbins', { operationName: 'RequestAgentStats', workbinType: 'PlaceGroup' });
  assert.equal(stats.json.statusCode, 0, stats.text);
  const sm = await bob.waitFor((m) => m.data.messageType === 'WorkbinStatsMessage' && m.data.referenceId === stats.json.referenceId);
  assert.deepEqual(sm.data.workbinStats, { [id]: { Count: 1, Owner: 'floor-1', Type: 'PlaceGroup' } });

  // bob pulls it through the group form.
  const pull = await bob.rest.post(`${at}?placeGroup=floor-1`, { operationName: 'PullWorkitem', id: item });
  assert.equal(pull.json.statusCode, 0, pull.text);
  await bob.waitFor((m) => m.data.messageType === 'WorkbinContentChanged' && m.data.action === 'ItemRemoved' &&
    m.data.interaction?.id === item);
  const after = await bob.rest.get(`/api/v2/me/workitems/${item}`);
  assert.equal(after.json.workitem.state, 'Processing');
});
