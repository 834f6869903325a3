// The router end to end with short timers: an
// offer that times out is revoked and offered to the next agent, NotReady
// keeps an open offer, a channel logout revokes it, and saveLAR makes the
// contact's last agent preferred over the longest idle agent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, readDemo } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
let server, dir, feeder, alice, bob;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbind-int-routing-'));
  const demo = readDemo();
  demo.contactCenters[0].settings.routing = {
    offerTimeoutSeconds: 2, capacity: { workitem: 1 }, declineCooldownSeconds: 30, lastAgentWaitSeconds: 0,
  };
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  server = await new Server({ provision: file }).start();
  feeder = new Client(server.url, 'feeder');
  alice = await connectCometd(server.port, 'alice');
  bob = await connectCometd(server.port, 'bob');
});

after(async () => {
  await alice?.disconnect();
  await bob?.disconnect();
  await server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const offer = (id) => (m) => m.data?.workitem?.id === id && m.data.workitem.state === 'Invited';
const revoked = (id) => (m) => m.data?.workitem?.id === id && m.data.workitem.state === 'Revoked';

async function post(agent, path, body) {
  const r = await agent.rest.post(path, body);
  assert.equal(r.json.statusCode, 0, `${path} ${JSON.stringify(body)}: ${r.text}`);
  return r.json;
}

async function submit(extra = {}) {
  const r = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, {
    operationName: 'Submit', mediaType: 'workitem', ...extra,
  });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}

const setReady = (agent, on) =>
  post(agent, '/api/v2/me/channels/workitem', { operationName: on ? 'Ready' : 'NotReady' });

test('offers time out, move on, stay through NotReady and end with a logout', async () => {
  for (const agent of [alice, bob]) {
    await post(agent, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  }
  await setReady(alice, true);
  await sleep(20);
  await setReady(bob, true);  // alice has been idle longer

  // 1. Offered to alice; 2 s later revoked and offered to bob.
  const w1 = await submit();
  const first = await alice.waitFor(offer(w1));
  assert.equal('referenceId' in first.data, false);
  const gone = await alice.waitFor(revoked(w1), 5000);
  assert.equal('referenceId' in gone.data, false);
  assert.deepEqual(gone.data.workitem.capabilities, []);
  await bob.waitFor(offer(w1), 5000);
  await post(bob, `/api/v2/me/workitems/${w1}`, { operationName: 'Accept' });

  // 2. NotReady keeps an open offer: alice can still accept it.
  const w2 = await submit({ contactId: 'C-L' });
  await alice.waitFor(offer(w2));
  await setReady(alice, false);
  await post(alice, `/api/v2/me/workitems/${w2}`, { operationName: 'Accept' });

  // 3. A channel logout revokes an open offer (no referenceId).
  await post(bob, `/api/v2/me/workitems/${w1}`, { operationName: 'Complete' });
  const w3 = await submit();
  await bob.waitFor(offer(w3));
  await post(bob, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['email'] });
  const lost = await bob.waitFor(revoked(w3));
  assert.equal('referenceId' in lost.data, false);
  const queued = await feeder.get(`/api/v2/interactions/${w3}`);
  assert.equal(queued.json.interaction.state, 'Queued');
  assert.equal(queued.json.interaction.queueName, 'workitems-in');

  // 4. saveLAR on Complete: alice becomes the contact's last agent.
  await post(alice, `/api/v2/me/workitems/${w2}`, { operationName: 'Complete', saveLAR: 'true' });
  const contact = await feeder.get('/api/v2/contacts/C-L');
  assert.equal(contact.json.contact.lastAgentUserName, 'alice');
  assert.equal(contact.json.contact.lastMediaType, 'workitem');
  // alice takes the waiting w3 and finishes it.
  await setReady(alice, true);
  await alice.waitFor(offer(w3), 5000);
  await post(alice, `/api/v2/me/workitems/${w3}`, { operationName: 'Accept' });
  await post(alice, `/api/v2/me/workitems/${w3}`, { operationName: 'Complete' });

  // 5. bob is now idle longer than alice, but a new interaction of C-L goes
  // to alice, its last agent.
  await post(bob, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  await setReady(bob, true);
  await sleep(20);
  await setReady(alice, false);
  await setReady(alice, true);
  const w4 = await submit({ contactId: 'C-L' });
  await alice.waitFor(offer(w4));
  assert.equal(bob.messages.some(offer(w4)), false);
  const w5 = await submit();  // no contact: the longest idle, bob
  await bob.waitFor(offer(w5));
});
