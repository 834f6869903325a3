// Error replies tell a caller nothing of an interaction it may not read.
// The two reported cases, exactly: carol (an agent of another group, no
// access to alice's interactions) sends Complete to alice's Processing
// workitem, and bob (an agent of alice's group) adds alice's interaction,
// parked in her workbin email-in-progress, to his own workbin. Each reply is
// the reply the same caller gets from GET for the same id: on /me the reply
// to an unknown id (byte for byte but the id), elsewhere "not visible";
// neither names the state, the workbin or the owner, and nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { ALICE_WB, BOB_WB, WORKITEMS_IN } from './lib/workbins.mjs';

const UNKNOWN = '0123456789ABCDEF';
let server, dir, alice, bob, carol, ops;

before(async () => {
  // The demo contact center plus carol, an agent of a group of her own.
  const demo = readDemo();
  const cc = demo.contactCenters[0];
  cc.users.push({ userName: 'carol', password: 'carol-test-pw', roles: ['ROLE_AGENT'] });
  cc.agentGroups.push({ name: 'team-b', agents: ['carol'] });
  dir = mkdtempSync(join(tmpdir(), 'wb-disclosure-'));
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  server = await new Server({ provision: file }).start();
  alice = new Client(server.url, 'alice');
  bob = new Client(server.url, 'bob');
  carol = new Client(server.url, 'carol', 'carol-test-pw');
  ops = new Client(server.url, 'ops');
  for (const c of [alice, bob, carol, ops]) await c.login();
});
after(async () => {
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function create() {
  const r = await alice.post('/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}

// What an admin reads of the interaction and its history.
async function stored(id) {
  return [(await ops.get(`/api/v2/interactions/${id}`)).text, (await ops.get(`/api/v2/interactions/${id}/history`)).text];
}

function assertSameReply(got, want, label) {
  assert.equal(got.status, want.status, `${label}: ${got.text}`);
  assert.equal(got.text, want.text, label);
  assert.equal(got.headers.get('content-type'), want.headers.get('content-type'), label);
}

test("carol's Complete on alice's Processing workitem is answered as for an unknown id", async () => {
  const id = await create();
  const before = await stored(id);
  assert.match(before[0], /"state":"Processing"/);

  const path = `/api/v2/me/workitems/${id}`;
  const got = await carol.post(path, { operationName: 'Complete' });
  const unknown = await carol.post(`/api/v2/me/workitems/${UNKNOWN}`, { operationName: 'Complete' });
  assert.equal(got.status, 404, got.text);
  assert.equal(got.status, unknown.status);
  assert.equal(got.text, unknown.text.replaceAll(UNKNOWN, id));
  assert.deepEqual(got.json, { statusCode: 6, statusMessage: `No such interaction '${id}'` });
  // ... which is what GET answers carol for that id.
  assertSameReply(got, await carol.get(path), 'GET /me');
  assert.doesNotMatch(got.text, /Processing|alice|workitems-in/);

  // The alias route answers what GET on the alias answers: not visible,
  // and still not the state.
  const alias = `/api/v2/workitems/${id}`;
  const viaAlias = await carol.post(alias, { operationName: 'Complete' });
  assertSameReply(viaAlias, await carol.get(alias), 'GET alias');
  assert.deepEqual(viaAlias.json, { statusCode: 5, statusMessage: `Interaction ${id} is not visible to user 'carol'` });

  assert.deepEqual(await stored(id), before, 'nothing changed');
  // alice, who owns it, still gets the precise state error.
  const own = await alice.post(path, { operationName: 'Accept' });
  assert.equal(own.status, 400, own.text);
  assert.match(own.json.statusMessage, /not valid in state 'Processing'/);
});

test("bob's AddWorkitem of alice's interaction in her workbin names no workbin", async () => {
  const id = await create();
  const add = await alice.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id });
  assert.equal(add.json.statusCode, 0, add.text);
  const before = await stored(id);
  assert.match(before[0], /"state":"InWorkbin"/);
  const wb = await alice.get(`/api/v2/workbins/${ALICE_WB}`);
  assert.equal(wb.json.workbin.name, 'email-in-progress', wb.text);

  const got = await bob.post(`/api/v2/workbins/${BOB_WB}`, { operationName: 'AddWorkitem', id });
  // Exactly what GET answers bob for that interaction: not visible.
  assertSameReply(got, await bob.get(`/api/v2/interactions/${id}`), 'GET /interactions');
  assert.deepEqual(got.json, { statusCode: 5, statusMessage: `Interaction ${id} is not visible to user 'bob'` });
  assert.doesNotMatch(got.text, /email-in-progress|InWorkbin|alice|already/);
  // The reply for an unknown id has the same shape and, like this one,
  // names nothing but the id.
  const unknown = await bob.post(`/api/v2/workbins/${BOB_WB}`, { operationName: 'AddWorkitem', id: UNKNOWN });
  assert.deepEqual(unknown.json, { statusCode: 6, statusMessage: `No such interaction '${UNKNOWN}'` });
  assert.deepEqual(Object.keys(got.json), Object.keys(unknown.json));
  // Neither the media (AddEmail) nor a Pull or Move out of bob's own
  // workbin tells more.
  const other = await bobsOtherWorkbin();
  for (const body of [{ operationName: 'AddEmail', id }, { operationName: 'PullWorkitem', id },
    { operationName: 'MoveInteraction', id, toWorkbinId: other }])
    assertSameReply(await bob.post(`/api/v2/workbins/${BOB_WB}`, body), got, body.operationName);
  assert.deepEqual(await stored(id), before, 'nothing changed');
});

// A workbin bob sees other than his Agent workbin (the destination of a Move).
async function bobsOtherWorkbin() {
  const r = await bob.get('/api/v2/workbins');
  const ids = r.json.uris.map((u) => u.split('/').pop()).filter((w) => w !== BOB_WB);
  assert.ok(ids.length > 0, r.text);
  return ids[0];
}
