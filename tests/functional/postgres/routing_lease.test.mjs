// One router per contact center with two workbind nodes on one PostgreSQL
// database (CTest entry functional_postgres_routing_lease): exactly one node
// holds the routing lease of the demo contact center (its
// workbind_routing_leases_held gauge is 1, the other's 0); work submitted
// through either node is offered to a Ready agent; after the holder is
// killed (SIGKILL: no clean release, its connection just dies), work
// submitted through the survivor is offered within a bounded wait and the
// survivor reports the lease.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from '../lib/server.mjs';
import { Client } from '../lib/client.mjs';
import { connectCometd } from '../lib/cometd.mjs';
import { WORKITEMS_IN } from '../lib/workbins.mjs';

const LEASE_SECONDS = 1;
// Takeover: the lease period plus a pass, on a loaded machine.
const TAKEOVER_MS = 20000;
let dir, nodeA, nodeB, alice;

before(async () => {
  assert.ok(process.env.WORKBIND_TEST_PG_DSN, 'WORKBIND_TEST_PG_DSN must name the test PostgreSQL server');
  dir = mkdtempSync(join(tmpdir(), 'workbind-routing-lease-'));
  const demo = readDemo();
  // Long offers and room for every accepted item: each submitted item is
  // offered to alice.
  demo.contactCenters[0].settings.routing = {
    offerTimeoutSeconds: 600, capacity: { workitem: 10 }, declineCooldownSeconds: 0, lastAgentWaitSeconds: 0,
  };
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  const settings = { storage: { postgres: { routingLeaseSeconds: LEASE_SECONDS } } };
  nodeA = await new Server({ provision: file, settings }).start();
  nodeB = await new Server({ provision: file, settings, dataDir: nodeA.dataDir }).start();
});

after(async () => {
  await alice?.disconnect().catch(() => {});
  await nodeB?.cleanup();
  await nodeA?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function leasesHeld(node) {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const m = text.match(/^workbind_routing_leases_held (\S+)$/m);
  assert.ok(m, `workbind_routing_leases_held on ${node.url}/metrics`);
  return Number(m[1]);
}

async function submit(node) {
  const r = await new Client(node.url, 'feeder').post(`/api/v2/queues/${WORKITEMS_IN}`,
    { operationName: 'Submit', mediaType: 'workitem' });
  assert.equal(r.json?.statusCode, 0, r.text);
  return r.json.id;
}

const invited = (id) => (m) => m.data?.workitem?.id === id && m.data.workitem.state === 'Invited';

test('one node routes the contact center; the survivor takes over when it is killed', async () => {
  // Whichever node took the lease logs it (the first to try wins).
  const gained = /routes contact center \S+ \(lease gained\)/;
  await Promise.any([nodeA.waitForOutput(gained, { ms: 15000 }), nodeB.waitForOutput(gained, { ms: 15000 })]);
  const held = [await leasesHeld(nodeA), await leasesHeld(nodeB)];
  assert.deepEqual([...held].sort(), [0, 1], `exactly one node holds the lease: ${held}`);
  const [holder, survivor] = held[0] === 1 ? [nodeA, nodeB] : [nodeB, nodeA];

  // alice works through the node that survives.
  alice = await connectCometd(survivor.port, 'alice');
  for (const [operationName, path] of [['StartContactCenterSession', '/api/v2/me'], ['Ready', '/api/v2/me/channels/workitem']]) {
    const body = operationName === 'Ready' ? { operationName } : { operationName, channels: ['workitem'] };
    const r = await alice.rest.post(path, body);
    assert.equal(r.json?.statusCode, 0, r.text);
  }
  // Work submitted through either node is offered (by the holder); alice
  // accepts each offer (an agent with an open offer is offered nothing
  // else).
  for (const node of [holder, survivor]) {
    const id = await submit(node);
    await alice.waitFor(invited(id), 15000, `the offer of ${id} submitted through ${node.url}`);
    const r = await alice.rest.post(`/api/v2/me/workitems/${id}`, { operationName: 'Accept' });
    assert.equal(r.json?.statusCode, 0, r.text);
  }

  // The holder dies without releasing anything.
  const from = survivor.output.length;
  holder.proc.kill('SIGKILL');
  await holder.exited;
  const id = await submit(survivor);
  await alice.waitFor(invited(id), TAKEOVER_MS, `the offer of ${id} after the holder was killed`);
  await survivor.waitForOutput(gained, { from, ms: 1000 });
  assert.equal(await leasesHeld(survivor), 1);
  const item = await new Client(survivor.url, 'feeder').get(`/api/v2/interactions/${id}`);
  assert.equal(item.json?.interaction?.state, 'Invited', item.text);
});
