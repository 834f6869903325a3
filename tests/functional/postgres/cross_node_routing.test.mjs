// Routing with two workbind nodes on one PostgreSQL database (CTest entry
// functional_postgres_cross_node_routing): both nodes run routing passes, so each offer and
// each offer timeout must happen exactly once. Workitems are submitted
// through both nodes to agents whose channels were set Ready through
// different nodes; every offer times out (nobody accepts). Each agent must
// see each of its offers once and its revocation once, and every
// interaction's history must show each offer followed by exactly one
// OfferTimedOut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, readDemo } from '../lib/server.mjs';
import { Client } from '../lib/client.mjs';
import { connectCometd } from '../lib/cometd.mjs';
import { WORKITEMS_IN } from '../lib/workbins.mjs';

const ITEMS = 6;
let dir, nodeA, nodeB, alice, bob;

before(async () => {
  assert.ok(process.env.WORKBIND_TEST_PG_DSN, 'WORKBIND_TEST_PG_DSN must name the test PostgreSQL server');
  dir = mkdtempSync(join(tmpdir(), 'workbind-cross-routing-'));
  const demo = readDemo();
  // Short offers; an agent who let an offer time out is not offered the
  // same interaction again within the run.
  demo.contactCenters[0].settings.routing = {
    offerTimeoutSeconds: 1, capacity: { workitem: ITEMS }, declineCooldownSeconds: 600, lastAgentWaitSeconds: 0,
  };
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  nodeA = await new Server({ provision: file }).start();
  nodeB = await new Server({ provision: file, dataDir: nodeA.dataDir }).start();
  alice = await connectCometd(nodeA.port, 'alice');
  bob = await connectCometd(nodeB.port, 'bob');
});

after(async () => {
  await alice?.disconnect();
  await bob?.disconnect();
  await nodeB?.cleanup();
  await nodeA?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function ok(client, path, body) {
  const r = await client.post(path, body);
  assert.equal(r.json?.statusCode, 0, `${path}: ${r.text}`);
  return r.json;
}

const state = (id, s) => (m) => m.data?.workitem?.id === id && m.data.workitem.state === s;

test('each offer and each offer timeout happens once across two nodes', async () => {
  for (const agent of [alice, bob]) {
    await ok(agent.rest, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
    await ok(agent.rest, '/api/v2/me/channels/workitem', { operationName: 'Ready' });
  }
  const feeders = [new Client(nodeA.url, 'feeder'), new Client(nodeB.url, 'feeder')];
  const ids = [];
  for (let i = 0; i < ITEMS; i++) {
    const r = await ok(feeders[i % 2], `/api/v2/queues/${WORKITEMS_IN}`, { operationName: 'Submit', mediaType: 'workitem' });
    ids.push(r.id);
  }
  // Every item is offered to both agents in turn, and both offers time out;
  // then it stays queued (both agents are cooling down for it).
  for (const id of ids) {
    for (const agent of [alice, bob]) {
      await agent.waitFor(state(id, 'Invited'), 15000);
      await agent.waitFor(state(id, 'Revoked'), 15000);
    }
  }
  await sleep(2500);  // longer than an offer: a duplicate would show by now
  for (const id of ids) {
    for (const [name, agent] of [['alice', alice], ['bob', bob]]) {
      assert.equal(agent.messages.filter(state(id, 'Invited')).length, 1, `${name} offered ${id} once`);
      assert.equal(agent.messages.filter(state(id, 'Revoked')).length, 1, `${name} revoked ${id} once`);
    }
    const h = await feeders[0].get(`/api/v2/interactions/${id}/history`);
    assert.equal(h.json.statusCode, 0, h.text);
    const events = h.json.history.map((e) => e.event).filter((e) => e === 'Offered' || e === 'OfferTimedOut');
    assert.deepEqual(events, ['Offered', 'OfferTimedOut', 'Offered', 'OfferTimedOut'], `history of ${id}`);
    const item = await feeders[1].get(`/api/v2/interactions/${id}`);
    assert.equal(item.json.interaction.state, 'Queued');
  }
});
