// Notifications across two workbind nodes sharing one PostgreSQL database
// (run by the CTest entry functional_postgres_cross_node_notifications): a
// change made through node B
// reaches the CometD clients of node A, with the referenceId rules of a
// single node; a workbin subscription made on A hears changes made through
// B; ending an HTTP session through B ends its Bayeux session on A; and when
// A's database listener connection is killed while changes go on through B,
// A reconnects, catches up, and its client receives every notification once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, pgAdmin } from '../lib/server.mjs';
import { Client } from '../lib/client.mjs';
import { connectCometd, withTimeout } from '../lib/cometd.mjs';
import { RawSession, pendingAfter } from '../lib/bayeux.mjs';
import { WORKITEMS_IN, ALICE_WB, TEAM_WB, ALICE_ID } from '../lib/workbins.mjs';

let nodeA, nodeB;
const closers = [];

before(async () => {
  assert.ok(process.env.WORKBIND_TEST_PG_DSN, 'WORKBIND_TEST_PG_DSN must name the test PostgreSQL server');
  nodeA = await new Server().start();
  nodeB = await new Server({ dataDir: nodeA.dataDir }).start();
  assert.equal(nodeA.pgDatabase, nodeB.pgDatabase);
});

after(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await nodeB?.cleanup();
  await nodeA?.cleanup();
});

async function cometdOn(node, user) {
  const c = await connectCometd(node.port, user);
  closers.push(() => c.disconnect());
  return c;
}

async function ok(client, path, body) {
  const r = await client.post(path, body);
  assert.equal(r.json?.statusCode, 0, r.text);
  return r.json;
}

// A workitem created (and owned) by `client`; returns its id.
async function create(client) {
  const r = await ok(client, '/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  return r.id;
}

const contentChanged = (action, workbin, id) => (m) =>
  m.channel === '/v2/me/workbins' && m.data.messageType === 'WorkbinContentChanged' &&
  m.data.action === action && m.data.id === workbin && m.data.interaction?.id === id;

// The database backend pid of `node`'s change listener (0: not connected).
function listenerPid(node) {
  const out = pgAdmin(
    `SELECT pid FROM pg_stat_activity WHERE application_name = 'workbind-listener-${node.proc.pid}'`,
    node.pgDatabase);
  return out === '' ? 0 : Number(out.split('\n')[0]);
}

async function until(what, predicate) {
  for (let i = 0; i < 400; i++) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`gave up waiting for ${what}`);
}

test("an add by sam through node B reaches alice's client on node A", async () => {
  const alice = await cometdOn(nodeA, 'alice');
  const sam = await cometdOn(nodeB, 'sam');
  const id = await create(alice.rest);
  const add = await ok(sam.rest, `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id });

  const owner = await alice.waitFor(contentChanged('ItemAdded', ALICE_WB, id));
  assert.equal(owner.data.referenceId, undefined, 'alice did not make the request');
  assert.equal(owner.data.interaction.state, 'InWorkbin');
  assert.equal(owner.data.workbinUserId, ALICE_ID);
  const lost = await alice.waitFor((m) => m.channel === '/v2/me/workitems' && m.data.workitem?.id === id &&
    m.data.workitem.state === 'InWorkbin');
  assert.equal(lost.data.referenceId, undefined);
  // The actor, on the node that committed, gets the reply's referenceId.
  const actor = await sam.waitFor((m) => contentChanged('ItemAdded', ALICE_WB, id)(m) && m.data.referenceId === add.referenceId);
  assert.equal(actor.data.workbinUserId, ALICE_ID);

  // Each notification once, in seq order, on node A.
  const seqs = alice.messages.map((m) => m.ext?.seq).filter((s) => Number.isInteger(s));
  assert.ok(seqs.length >= 2, 'own notifications carry ext.seq');
  assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'no duplicates, in order');
});

test('a workbin subscription made on node A hears adds made through node B', async () => {
  const alice = await cometdOn(nodeA, 'alice');
  const sub = await ok(alice.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'Subscribe' });
  await alice.waitFor((m) => m.data.messageType === 'WorkbinSubscriptionStateChangeMessage' &&
    m.data.referenceId === sub.referenceId);
  const bob = new Client(nodeB.url, 'bob');
  await bob.login();
  const id = await create(bob);
  const add = await ok(bob, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddWorkitem', id });
  const seen = await alice.waitFor(contentChanged('ItemAdded', TEAM_WB, id));
  assert.equal(seen.data.referenceId, undefined, 'only the actor gets the referenceId');
  assert.ok(add.referenceId > 0);
  await ok(alice.rest, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'Unsubscribe' });
});

test('ending an HTTP session through node B ends its Bayeux session on node A', async () => {
  // A raw long-polling session on A whose connect is held there when the
  // HTTP session is ended through B (the official client's connect cycle
  // would leave a window in which no connect is held).
  const bob = await new RawSession(nodeA.url, 'bob').open();
  const held = bob.connect();
  assert.ok(await pendingAfter(held, 300), 'node A holds the connect');
  const onB = new Client(nodeB.url, 'bob');
  onB.cookie = bob.rest.cookie;
  onB.csrf = bob.rest.csrf;
  await ok(onB, '/api/v2/me', { operationName: 'EndContactCenterSession' });
  // Without the announcement the connect would be held until its timeout
  // and then answered successful without advice; the bound only turns a
  // hang into a failure.
  const r = await withTimeout(held, 20000, 'the held connect on node A');
  assert.deepEqual(r.json, [{ id: '3', channel: '/meta/connect', successful: true, clientId: bob.clientId,
    advice: { reconnect: 'none' } }]);
  const after = await bob.connect();
  assert.equal(after.json[0].error, '402::Unknown client');
});

test("after node A's listener connection is killed, its client gets every missed notification once", async () => {
  const ROUNDS = 30;
  const alice = await cometdOn(nodeA, 'alice');
  const sam = new Client(nodeB.url, 'sam');
  await sam.login();
  const before = listenerPid(nodeA);
  assert.ok(before > 0, "node A's listener is connected");

  const ids = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i === 5) {
      const killed = pgAdmin(`SELECT pg_terminate_backend(${before})`, nodeA.pgDatabase);
      assert.equal(killed, 't');
    }
    const id = await create(sam);
    await ok(sam, `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id });
    ids.push(id);
  }
  await until('node A to reconnect its listener', () => {
    const now = listenerPid(nodeA);
    return now > 0 && now !== before;
  });
  for (const id of ids) await alice.waitFor(contentChanged('ItemAdded', ALICE_WB, id));
  // One more change after all of them: once it is in, nothing else is coming.
  const marker = await create(sam);
  await ok(sam, `/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id: marker });
  await alice.waitFor(contentChanged('ItemAdded', ALICE_WB, marker));
  for (const id of ids) {
    const copies = alice.messages.filter(contentChanged('ItemAdded', ALICE_WB, id));
    assert.equal(copies.length, 1, `ItemAdded of ${id} delivered ${copies.length} times`);
  }
  const seqs = alice.messages.map((m) => m.ext?.seq).filter((s) => Number.isInteger(s));
  assert.ok(seqs.length >= ROUNDS + 1, 'an ItemAdded for each round and the marker');
  assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'no duplicates, in order');
  const metrics = await (await fetch(`${nodeA.url}/metrics`)).text();
  const value = (name) => Number(metrics.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);
  assert.equal(value('workbind_cluster_listener_connections_total'), 2, 'node A reconnected once');
  assert.ok(value('workbind_cluster_notifications_read_total') >= ROUNDS + 1,
    'node A read the notifications of node B from the database');
});
