// GET /api/v2/interactions/{id}/history (extensions.md §4): a workitem
// submitted by the feeder, offered to alice by the router, accepted with
// saveLAR, given user data, parked in the team workbin, pulled by bob and
// completed; every event with every key. Then who may read it: bob (owner
// of the last step), alice only through the history rule, carol (an agent
// outside team-a) refused with 403/5, and an unknown id 404/6.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, readDemo } from './lib/server.mjs';
import { Client, DEMO } from './lib/client.mjs';
import { WORKITEMS_IN, TEAM_WB } from './lib/workbins.mjs';

const ALICE = DEMO.users.alice.id;
const BOB = DEMO.users.bob.id;
const FEEDER = DEMO.users.feeder.id;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let server, dir, feeder, alice, bob, carol, sam;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbind-history-'));
  const demo = readDemo();
  demo.contactCenters[0].users.push({
    userName: 'carol', password: 'carol-demo-pw', firstName: 'Carol', lastName: 'Cole',
    emailAddress: 'carol@demo.example', roles: ['ROLE_AGENT'],
  });
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  server = await new Server({ provision: file }).start();
  feeder = new Client(server.url, 'feeder');
  alice = new Client(server.url, 'alice');
  bob = new Client(server.url, 'bob');
  carol = new Client(server.url, 'carol', 'carol-demo-pw');
  sam = new Client(server.url, 'sam');
  for (const c of [alice, bob, carol, sam]) await c.login();
});

after(async () => {
  await server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function ok(client, path, body) {
  const r = await client.post(path, body);
  assert.equal(r.json?.statusCode, 0, `${client.user} ${path} ${JSON.stringify(body)}: ${r.text}`);
  return r.json;
}

// Polls alice's workitems until `id` is offered to her.
async function waitForOffer(id) {
  for (let i = 0; i < 200; ++i) {
    const r = await alice.get(`/api/v2/me/workitems/${id}`);
    if (r.status === 200 && r.json.workitem?.state === 'Invited') return;
    await sleep(50);
  }
  assert.fail(`workitem ${id} was never offered to alice`);
}

test('the history of a workitem from Submit to Complete, key by key', async () => {
  await ok(alice, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  await ok(alice, '/api/v2/me/channels/workitem', { operationName: 'Ready' });

  const submitted = await ok(feeder, `/api/v2/queues/${WORKITEMS_IN}`, {
    operationName: 'Submit', mediaType: 'workitem', contactId: 'C-HIST-1',
  });
  const id = submitted.id;
  await waitForOffer(id);
  const accept = await ok(alice, `/api/v2/me/workitems/${id}`, { operationName: 'Accept', saveLAR: true });
  const attach = await ok(alice, `/api/v2/me/workitems/${id}`, {
    operationName: 'AttachUserData', userData: { Outcome: 'callback' },
  });
  const add = await ok(alice, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddWorkitem', id });
  const pull = await ok(bob, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'PullWorkitem', id });
  const complete = await ok(bob, `/api/v2/me/workitems/${id}`, { operationName: 'Complete' });

  const r = await bob.get(`/api/v2/interactions/${id}/history`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.statusCode, 0);
  const history = r.json.history;
  for (const e of history) assert.match(e.at, ISO_MS, JSON.stringify(e));
  for (let i = 1; i < history.length; ++i) assert.ok(history[i - 1].at <= history[i].at, 'oldest first');
  const withoutAt = history.map(({ at, ...rest }) => rest);
  assert.deepEqual(withoutAt, [
    { seq: 1, event: 'Submitted', userId: FEEDER, userName: 'feeder', referenceId: submitted.referenceId,
      state: 'Queued', toQueue: 'workitems-in', details: { mediaType: 'workitem' } },
    { seq: 2, event: 'Offered', state: 'Invited', ownerId: ALICE, fromQueue: 'workitems-in',
      details: { reason: 'routing' } },
    { seq: 3, event: 'Accepted', userId: ALICE, userName: 'alice', referenceId: accept.referenceId,
      state: 'Processing', ownerId: ALICE },
    { seq: 4, event: 'LastAgentSaved', userId: ALICE, userName: 'alice', referenceId: accept.referenceId,
      state: 'Processing', ownerId: ALICE, details: { contactId: 'C-HIST-1', lastAgentId: ALICE } },
    { seq: 5, event: 'UserDataChanged', userId: ALICE, userName: 'alice', referenceId: attach.referenceId,
      state: 'Processing', ownerId: ALICE, details: { set: ['Outcome'], deleted: [] } },
    { seq: 6, event: 'AddedToWorkbin', userId: ALICE, userName: 'alice', referenceId: add.referenceId,
      state: 'InWorkbin', toWorkbinId: TEAM_WB, details: { operationName: 'AddWorkitem' } },
    { seq: 7, event: 'PulledFromWorkbin', userId: BOB, userName: 'bob', referenceId: pull.referenceId,
      state: 'Processing', ownerId: BOB, fromWorkbinId: TEAM_WB, details: { operationName: 'PullWorkitem' } },
    { seq: 8, event: 'Completed', userId: BOB, userName: 'bob', referenceId: complete.referenceId,
      state: 'Completed' },
  ]);

  // alice may no longer read the interaction itself, but she appears in its
  // history, so she may read that.
  const itself = await alice.get(`/api/v2/interactions/${id}`);
  assert.equal(itself.status, 403, itself.text);
  const hers = await alice.get(`/api/v2/interactions/${id}/history`);
  assert.equal(hers.status, 200, hers.text);
  assert.deepEqual(hers.json.history, history);
  // The supervisor of team-a may read the interaction, hence its history.
  const supervised = await sam.get(`/api/v2/interactions/${id}/history`);
  assert.equal(supervised.status, 200, supervised.text);
  assert.equal(supervised.json.history.length, 8);

  const refused = await carol.get(`/api/v2/interactions/${id}/history`);
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json.statusCode, 5);
});

test('an unknown interaction is 404/6; the route needs authentication', async () => {
  const missing = await alice.get('/api/v2/interactions/0000ZZZZZZZZZZZZ/history');
  assert.equal(missing.status, 404, missing.text);
  assert.equal(missing.json.statusCode, 6);
  const anonymous = await fetch(`${server.url}/api/v2/interactions/0000ZZZZZZZZZZZZ/history`);
  assert.equal(anonymous.status, 401);
});
