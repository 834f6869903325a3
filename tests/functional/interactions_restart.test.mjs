// Interactions survive a restart: states, owners, user data, contact
// profiles, queue positions and referenceIds are read back unchanged from
// the database, and routing goes on where it stopped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from './lib/server.mjs';
import { Client } from './lib/client.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
let server, dir;

// The demo with a 5 s offer timeout, so that an offer can expire while the
// server is down without slowing the suite much.
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbind-int-restart-'));
  const demo = readDemo();
  demo.contactCenters[0].settings.routing.offerTimeoutSeconds = 5;
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  server = await new Server({ provision: file }).start();
});
after(async () => {
  await server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function clients() {
  return { alice: new Client(server.url, 'alice'), feeder: new Client(server.url, 'feeder') };
}

// Polls until `fn` returns a truthy value.
async function eventually(fn, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function offeredTo(client) {
  return eventually(async () => {
    const r = await client.get('/api/v2/me/workitems?fields=*');
    return r.json.workitems.find((w) => w.state === 'Invited');
  }, 'an offer');
}

test('states, user data, queue positions and referenceIds survive a restart', async () => {
  let { alice, feeder } = clients();
  await alice.post('/api/v2/me', {
    operationName: 'StartContactCenterSession', channels: ['workitem', 'email'],
  });
  await alice.post('/api/v2/me/channels/workitem', { operationName: 'Ready' });
  const submit = async (extra = {}) => {
    const r = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, {
      operationName: 'Submit', mediaType: 'workitem', ...extra,
    });
    assert.equal(r.json.statusCode, 0, r.text);
    await sleep(5);  // distinct queuedAt values
    return r.json.id;
  };
  const a = await submit({ contactId: 'C-R', userData: { Subject: 'first' } });
  assert.equal((await offeredTo(alice)).id, a);
  const path = `/api/v2/me/workitems/${a}`;
  assert.equal((await alice.post(path, { operationName: 'Accept', saveLAR: true })).json.statusCode, 0);
  const attached = await alice.post(path, {
    operationName: 'AttachUserData', userData: { Outcome: 'refund', Amount: 12.5 },
  });
  // Three more wait behind alice's capacity of 1, in this order.
  const waiting = [await submit(), await submit({ userData: { Subject: 'third' } }), await submit()];
  const email = await alice.post('/api/v2/me/emails', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, subject: 'Draft', to: ['x@y.z'],
    userData: { Draft: 'yes' },
  });
  const lastRef = email.json.referenceId;
  assert.equal(lastRef, attached.json.referenceId + 1);

  const snapshot = async () => {
    const out = {};
    for (const id of [a, ...waiting, email.json.id])
      out[id] = (await feeder.get(`/api/v2/interactions/${id}`)).json;
    out.workitems = (await alice.get('/api/v2/me/workitems?fields=*')).json;
    out.emails = (await alice.get('/api/v2/me/emails?fields=*')).json;
    out.queues = (await feeder.get('/api/v2/queues?fields=*')).json;
    out.contact = (await feeder.get('/api/v2/contacts/C-R')).json;
    out.channels = (await alice.get('/api/v2/me/channels?fields=*')).json;
    return out;
  };
  const beforeRestart = await snapshot();
  assert.equal(beforeRestart[a].interaction.state, 'Processing');
  assert.equal(beforeRestart[a].interaction.userData.Amount, 12.5);
  assert.equal(beforeRestart[email.json.id].interaction.state, 'Composing');
  assert.equal(beforeRestart.contact.contact.lastAgentUserName, 'alice');
  for (const id of waiting) assert.equal(beforeRestart[id].interaction.state, 'Queued');
  assert.equal(beforeRestart.queues.queues.find((q) => q.id === WORKITEMS_IN).waitingCount, 3);

  await server.restart();
  ({ alice, feeder } = clients());
  assert.deepEqual(await snapshot(), beforeRestart);

  // referenceIds go on from where they were.
  const done = await alice.post(path, { operationName: 'Complete' });
  assert.equal(done.json.referenceId, lastRef + 1);
  // The waiting ones are offered in their original order.
  for (const id of waiting) {
    const offer = await offeredTo(alice);
    assert.equal(offer.id, id);
    const p = `/api/v2/me/workitems/${id}`;
    assert.equal((await alice.post(p, { operationName: 'Accept' })).json.statusCode, 0);
    assert.equal((await alice.post(p, { operationName: 'Complete' })).json.statusCode, 0);
  }
  const drafts = await alice.get('/api/v2/me/emails?fields=*');
  assert.deepEqual(drafts.json.emails.map((e) => [e.id, e.state, e.subject, e.userData.Draft]),
    [[email.json.id, 'Composing', 'Draft', 'yes']]);
});

test('an offer that expires while the server is down is taken back at start', async () => {
  let { alice, feeder } = clients();
  await alice.post('/api/v2/me/channels/workitem', { operationName: 'NotReady' });
  const bob = new Client(server.url, 'bob');
  await bob.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  await bob.post('/api/v2/me/channels/workitem', { operationName: 'Ready' });
  const r = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, {
    operationName: 'Submit', mediaType: 'workitem',
  });
  const id = r.json.id;
  const offer = await offeredTo(bob);
  assert.equal(offer.id, id);
  await server.stop();
  // Wait the offer timeout out while the server is down.
  const expires = Date.parse(offer.offerExpiresAt);
  await sleep(Math.max(0, expires - Date.now()) + 200);
  await server.start();
  ({ alice, feeder } = clients());
  const seen = await eventually(async () => {
    const x = await feeder.get(`/api/v2/interactions/${id}`);
    return x.json.interaction.state === 'Queued' && x.json.interaction;
  }, 'the offer to be taken back');
  assert.equal(seen.ownerId, undefined);
  assert.deepEqual((await new Client(server.url, 'bob').get('/api/v2/me/workitems')).json.uris, []);
});
