// Workbins reached through the by-user routes (a supervisor acting for an
// agent), the agentGroup= / placeGroup= checks, and Subscribe/Unsubscribe on
// several workbins at once (workbinIds, all or nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { connectCometd } from './lib/cometd.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
const ALICE_ID = '1b90bfb1f4335e9587c3f500f9e4432e';
const ALICE_WB = '3569d15d-3143-5ada-91b1-415626f3dbcc';
const BOB_WB = '56850484-16fe-55a4-b96a-d6c32c067e5b';
const TEAM_WB = 'eebeaff4-128f-5bdf-b152-15c89b90854f';
const PLACE_WB = '2c3a1825-c854-5868-9096-78b1bb6dab10';
const uri = (id) => `http://localhost:8090/api/v2/workbins/${id}`;
let server, alice, bob, sam;

before(async () => {
  server = await new Server().start();
  alice = await connectCometd(server.port, 'alice');
  bob = await connectCometd(server.port, 'bob');
  sam = await connectCometd(server.port, 'sam');
});

after(async () => {
  for (const c of [alice, bob, sam]) await c?.disconnect();
  await server?.cleanup();
});

async function create(agent) {
  const r = await agent.rest.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`,
  });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}

async function ok(client, path, body) {
  const r = await client.post(path, body);
  assert.equal(r.json.statusCode, 0, r.text);
  return r;
}

async function expectError(client, method, path, body, status, code, label) {
  const r = await client.call(method, path, body);
  assert.equal(r.status, status, `${label}: ${r.text}`);
  assert.equal(r.json.statusCode, code, `${label}: ${r.text}`);
}

const changed = (action, workbin, id) => (m) =>
  m.data.messageType === 'WorkbinContentChanged' && m.data.action === action &&
  m.data.id === workbin && m.data.interaction?.id === id;

test('by user: listing and content for a supervisor; refused for others', async () => {
  const list = await sam.rest.get(`/api/v2/users/${ALICE_ID}/workbins`);
  assert.deepEqual(list.json, { statusCode: 0, uris: [uri(ALICE_WB), uri(PLACE_WB)] });
  const one = await sam.rest.get(`/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}?subresources=workitem`);
  assert.equal(one.json.statusCode, 0, one.text);
  assert.equal(one.json.workbin.path, `/workbins/${ALICE_WB}`);
  assert.deepEqual(one.json.workbin.workitems, []);
  const team = await sam.rest.get(`/api/v2/users/${ALICE_ID}/workbins/${TEAM_WB}/workitems`);
  assert.deepEqual(team.json, { statusCode: 0, uris: [] });
  await expectError(sam.rest, 'GET', `/api/v2/users/${ALICE_ID}/workbins/${BOB_WB}`, undefined, 404, 6, "bob's workbin is not alice's");
  await expectError(bob.rest, 'GET', `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, undefined, 403, 5, 'bob may not act for alice');
  await expectError(bob.rest, 'GET', `/api/v2/users/${ALICE_ID}/workbins`, undefined, 403, 5, 'bob may not list for alice');
  await expectError(sam.rest, 'GET', `/api/v2/users/${'0'.repeat(32)}/workbins/${ALICE_WB}`, undefined, 404, 6, 'unknown user');
});

test('by user: a supervisor adds an agent\'s interaction and pulls it', async () => {
  const id = await create(alice);
  const add = await ok(sam.rest, `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, {
    operationName: 'AddWorkitem', id,
  });
  const ref = add.json.referenceId;
  const samCopy = await sam.waitFor((m) => changed('ItemAdded', ALICE_WB, id)(m) && m.data.referenceId === ref);
  assert.equal(samCopy.data.workbinUserId, ALICE_ID);
  const ownerCopy = await alice.waitFor(changed('ItemAdded', ALICE_WB, id));
  assert.equal(ownerCopy.data.referenceId, undefined);
  const lost = await alice.waitFor((m) => m.channel === '/v2/me/workitems' && m.data.workitem?.id === id &&
    m.data.workitem.state === 'InWorkbin');
  assert.equal(lost.data.referenceId, undefined);
  assert.deepEqual(lost.data.workitem.capabilities, []);

  const pull = await ok(sam.rest, `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, {
    operationName: 'PullInteraction', id,
  });
  await sam.waitFor((m) => m.channel === '/v2/me/workitems' && m.data.workitem?.id === id &&
    m.data.referenceId === pull.json.referenceId && m.data.workitem.state === 'Processing');
  const removed = await alice.waitFor(changed('ItemRemoved', ALICE_WB, id));
  assert.equal(removed.data.referenceId, undefined);
  const owned = await sam.rest.get(`/api/v2/me/workitems/${id}`);
  assert.equal(owned.json.workitem.state, 'Processing');
});

test('by user: Subscribe names the user; several workbins at once', async () => {
  const r = await ok(sam.rest, `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, { operationName: 'Subscribe' });
  const m = await sam.waitFor((x) => x.data.messageType === 'WorkbinSubscriptionStateChangeMessage' &&
    x.data.referenceId === r.json.referenceId);
  assert.deepEqual(m.data, {
    messageType: 'WorkbinSubscriptionStateChangeMessage', stateResource: 'Subscribed',
    id: ALICE_WB, workbinUserId: ALICE_ID, referenceId: r.json.referenceId,
  });

  const many = await ok(alice.rest, `/api/v2/me/workbins?workbinIds=${TEAM_WB},${PLACE_WB}`, { operationName: 'Subscribe' });
  const refs = many.json.referenceIds;
  assert.deepEqual(Object.keys(refs), [TEAM_WB, PLACE_WB]);
  const teamMsg = await alice.waitFor((x) => x.data.referenceId === refs[TEAM_WB] &&
    x.data.messageType === 'WorkbinSubscriptionStateChangeMessage');
  assert.equal(teamMsg.data.agentGroup, 'team-a');
  const placeMsg = await alice.waitFor((x) => x.data.referenceId === refs[PLACE_WB] &&
    x.data.messageType === 'WorkbinSubscriptionStateChangeMessage');
  assert.equal(placeMsg.data.agentGroup, undefined);

  // All or nothing: one invisible id fails the request and sends nothing.
  const before = alice.messages.length;
  await expectError(alice.rest, 'POST', `/api/v2/workbins?workbinIds=${TEAM_WB},${BOB_WB}`, { operationName: 'Unsubscribe' }, 403, 5, 'one invisible workbin');
  await expectError(alice.rest, 'POST', '/api/v2/workbins', { operationName: 'Subscribe' }, 400, 1, 'workbinIds missing');
  await expectError(alice.rest, 'POST', '/api/v2/workbins?workbinIds=' + TEAM_WB, { operationName: 'AddWorkitem' }, 400, 2, 'Add on the collection');
  const next = await ok(alice.rest, `/api/v2/workbins?workbinIds=${TEAM_WB}`, { operationName: 'Unubscribe' });
  assert.equal(next.json.referenceIds[TEAM_WB], refs[PLACE_WB] + 1, 'failed requests used no referenceId');
  await alice.waitFor((x) => x.data.referenceId === next.json.referenceIds[TEAM_WB]);
  assert.equal(alice.messages.slice(before).filter((x) => x.data.stateResource === 'Unsubscribed').length, 1);
});

test('group parameters are checks on the addressed workbin', async () => {
  const g = await alice.rest.get(`/api/v2/me/workbins/${TEAM_WB}?subresources=workitem&agentGroup=team-a`);
  assert.equal(g.json.statusCode, 0, g.text);
  assert.equal(g.json.workbin.agentGroup, 'team-a');
  const several = await alice.rest.get(`/api/v2/me/workbins?workbinIds=${TEAM_WB}&agentGroup=team-a`);
  assert.equal(several.json.workbins[0].id, TEAM_WB);
  const id = await create(alice);
  await ok(alice.rest, `/api/v2/me/workbins/${TEAM_WB}?agentGroup=team-a`, { operationName: 'AddWorkitem', id });
  const cases = [
    ['GET', `/api/v2/me/workbins/${ALICE_WB}?agentGroup=team-a`, undefined, 404, 6, 'not a group workbin'],
    ['GET', `/api/v2/me/workbins/${TEAM_WB}?agentGroup=nope`, undefined, 404, 6, 'unknown agent group'],
    ['GET', `/api/v2/me/workbins/${TEAM_WB}?placeGroup=floor-1`, undefined, 404, 6, 'wrong group type'],
    ['GET', `/api/v2/me/workbins/${TEAM_WB}?placeGroup=nope`, undefined, 404, 6, 'unknown place group'],
    ['GET', `/api/v2/me/workbins/${TEAM_WB}?agentGroup=team-a&placeGroup=floor-1`, undefined, 400, 10, 'both group parameters'],
    ['GET', `/api/v2/me/workbins?workbinIds=${TEAM_WB},${ALICE_WB}&agentGroup=team-a`, undefined, 404, 6, 'one id outside the group'],
    ['POST', `/api/v2/me/workbins/${TEAM_WB}?agentGroup=nope`, { operationName: 'PullWorkitem', id }, 404, 6, 'pull with an unknown group'],
  ];
  for (const [method, path, body, status, code, label] of cases)
    await expectError(alice.rest, method, path, body, status, code, label);
  await ok(bob.rest, `/api/v2/workbins/${TEAM_WB}?agentGroup=team-a`, { operationName: 'PullWorkitem', id });
});

test('RequestStats: count and entry times to the caller', async () => {
  for (let i = 0; i < 2; i++) {
    const id = await create(alice);
    await ok(alice.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddWorkitem', id });
  }
  const r = await ok(alice.rest, `/api/v2/me/workbins/${TEAM_WB}?agentGroup=team-a`, { operationName: 'RequestStats' });
  assert.deepEqual(Object.keys(r.json).sort(), ['referenceId', 'statusCode']);
  const m = await alice.waitFor((x) => x.data.messageType === 'WorkbinStatsMessage' &&
    x.data.referenceId === r.json.referenceId);
  assert.equal(m.channel, '/v2/me/workbins');
  assert.equal(m.data.id, TEAM_WB);
  assert.equal(m.data.workbinType, 'AgentGroup');
  const team = m.data.workbinStats['team-a'];
  assert.equal(team.NumberOfInteractions, 2);
  assert.match(team.MinMovedToQueueAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(team.MaxMovedToQueueAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(team.MinMovedToQueueAt <= team.MaxMovedToQueueAt);

  const empty = await ok(alice.rest, `/api/v2/workbins/${PLACE_WB}`, { operationName: 'RequestStats' });
  const e = await alice.waitFor((x) => x.data.referenceId === empty.json.referenceId &&
    x.data.messageType === 'WorkbinStatsMessage');
  assert.deepEqual(e.data.workbinStats, { 'place-1': { NumberOfInteractions: 0 } });

  const agent = await ok(sam.rest, `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, { operationName: 'RequestStats' });
  const a = await sam.waitFor((x) => x.data.referenceId === agent.json.referenceId &&
    x.data.messageType === 'WorkbinStatsMessage');
  assert.deepEqual(Object.keys(a.data.workbinStats), [ALICE_ID]);

  await expectError(alice.rest, 'POST', `/api/v2/workbins/${BOB_WB}`, { operationName: 'RequestStats' }, 403, 5, 'stats of an invisible workbin');
  await expectError(alice.rest, 'POST', `/api/v2/workbins/${'1'.repeat(8)}-0000-5000-8000-000000000000`, { operationName: 'RequestStats' }, 404, 6, 'stats of an unknown workbin');
});

test('MoveInteraction: one step between workbins, both audiences told', async () => {
  const id = await create(alice);
  await ok(alice.rest, `/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id });
  await ok(bob.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'Subscribe' });
  const cases = [
    [{ operationName: 'MoveInteraction', id, toWorkbinId: ALICE_WB }, 400, 10, 'same workbin'],
    [{ operationName: 'MoveInteraction', id }, 400, 1, 'toWorkbinId missing'],
    [{ operationName: 'MoveInteraction', toWorkbinId: TEAM_WB }, 400, 1, 'id missing'],
    [{ operationName: 'MoveInteraction', id, toWorkbinId: BOB_WB }, 403, 5, 'destination not visible'],
    [{ operationName: 'MoveInteraction', id, toWorkbinId: '00000000-0000-5000-8000-000000000000' }, 404, 6, 'unknown destination'],
  ];
  for (const [body, status, code, label] of cases)
    await expectError(alice.rest, 'POST', `/api/v2/workbins/${ALICE_WB}`, body, status, code, label);

  const r = await ok(alice.rest, `/api/v2/me/workbins/${ALICE_WB}`, {
    operationName: 'MoveInteraction', uri: `/workitems/${id}`, toWorkbinId: TEAM_WB,
  });
  const ref = r.json.referenceId;
  await alice.waitFor((m) => changed('ItemRemoved', ALICE_WB, id)(m) && m.data.referenceId === ref);
  const added = await alice.waitFor((m) => changed('ItemAdded', TEAM_WB, id)(m) && m.data.referenceId === ref);
  assert.equal(added.data.interaction.state, 'InWorkbin');
  assert.equal(added.data.interaction.userData.Workbin, 'team-backlog');
  assert.equal(added.data.interaction.userData.WorkbinAgentGroupId, 'team-a');
  assert.equal(added.data.interaction.userData.WorkbinAgentId, undefined);
  const seen = await bob.waitFor(changed('ItemAdded', TEAM_WB, id));
  assert.equal(seen.data.referenceId, undefined);
  await expectError(alice.rest, 'POST', `/api/v2/workbins/${ALICE_WB}`,
    { operationName: 'MoveInteraction', id, toWorkbinId: TEAM_WB }, 409, 19, 'no longer in the source');

  // By user: both workbins must be the user's.
  await expectError(sam.rest, 'POST', `/api/v2/users/${ALICE_ID}/workbins/${TEAM_WB}`,
    { operationName: 'MoveInteraction', id, toWorkbinId: BOB_WB }, 404, 6, "destination not alice's");
  await ok(sam.rest, `/api/v2/users/${ALICE_ID}/workbins/${TEAM_WB}`, { operationName: 'MoveInteraction', id, toWorkbinId: ALICE_WB });
  const content = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}/workitems`);
  assert.ok(content.json.uris.some((u) => u.endsWith(id)));
});

test('RequestAgentStats: counts per workbin of a type and owner', async () => {
  const stats = async (client, path, body) => {
    const r = await ok(client, path, { operationName: 'RequestAgentStats', ...body });
    const who = client === sam.rest ? sam : alice;
    const m = await who.waitFor((x) => x.data.messageType === 'WorkbinStatsMessage' &&
      x.data.referenceId === r.json.referenceId);
    assert.equal(m.channel, '/v2/me/workbins');
    return m.data.workbinStats;
  };
  const content = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}/workitems`);
  const own = await stats(alice.rest, '/api/v2/workbins', {});
  assert.deepEqual(own, { [ALICE_WB]: { Count: content.json.uris.length, Owner: ALICE_ID, Type: 'Agent' } });
  const place = await stats(alice.rest, '/api/v2/me/workbins', { workbinType: 'Place', workbinOwner: 'place-1' });
  assert.deepEqual(Object.keys(place), [PLACE_WB]);
  assert.equal(place[PLACE_WB].Owner, 'place-1');
  const groups = await stats(alice.rest, '/api/v2/workbins', { workbinType: 'AgentGroup' });
  assert.deepEqual(Object.keys(groups), [TEAM_WB]);
  assert.equal(groups[TEAM_WB].Owner, 'team-a');
  assert.deepEqual(await stats(alice.rest, '/api/v2/workbins', { workbinType: 'PlaceGroup', workbinOwner: 'floor-1' }), {});
  const byUser = await stats(sam.rest, `/api/v2/users/${ALICE_ID}/workbins`, {});
  assert.deepEqual(Object.keys(byUser), [ALICE_WB]);

  const cases = [
    [alice.rest, '/api/v2/workbins', { workbinType: 'Queue' }, 400, 10, 'bad workbinType'],
    [alice.rest, '/api/v2/workbins', { workbinOwner: 'nobody' }, 404, 6, 'unknown owner'],
    [alice.rest, '/api/v2/workbins', { workbinOwner: 'bob' }, 403, 5, "bob's workbins are not visible"],
    [bob.rest, `/api/v2/users/${ALICE_ID}/workbins`, {}, 403, 5, 'bob may not act for alice'],
  ];
  for (const [client, path, body, status, code, label] of cases)
    await expectError(client, 'POST', path, { operationName: 'RequestAgentStats', ...body }, status, code, label);
});

test('the by-user alias without users/: reads only', async () => {
  const r = await sam.rest.get(`/api/v2/${ALICE_ID}/workbins/${ALICE_WB}/emails?subresources=*`);
  assert.equal(r.json.statusCode, 0, r.text);
  assert.equal(r.json.workbin.id, ALICE_WB);
  assert.deepEqual(r.json.workbin.emails, []);
  const one = await sam.rest.get(`/api/v2/${ALICE_ID}/workbins/${ALICE_WB}`);
  assert.equal(one.json.workbin.ownerId, ALICE_ID);
  await expectError(sam.rest, 'POST', `/api/v2/${ALICE_ID}/workbins/${ALICE_WB}`, { operationName: 'Subscribe' }, 405, 3, 'POST on the alias');
  await expectError(sam.rest, 'GET', `/api/v2/nothex/workbins/${ALICE_WB}`, undefined, 404, 6, 'not a user id');
  await expectError(bob.rest, 'GET', `/api/v2/${ALICE_ID}/workbins/${ALICE_WB}`, undefined, 403, 5, 'bob may not act for alice');
  // /me still means the caller's own routes.
  const mine = await alice.rest.get(`/api/v2/me/workbins/${ALICE_WB}`);
  assert.equal(mine.json.statusCode, 0, mine.text);
});
