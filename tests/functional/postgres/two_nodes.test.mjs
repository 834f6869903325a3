// Two workbind nodes sharing one PostgreSQL database (run by the CTest entry
// functional_postgres_two_nodes, which provides the server): an HTTP session made on
// node A is valid on node B, referenceIds keep increasing whichever node
// serves the user, and of two concurrent Pulls of one interaction, one through
// each node, exactly one wins, round after round.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../lib/server.mjs';
import { Client } from '../lib/client.mjs';
import { WORKITEMS_IN, TEAM_WB } from '../lib/workbins.mjs';

const ROUNDS = 500;
let nodeA, nodeB;

before(async () => {
  // Never a silent pass on SQLite: this file only means something on PostgreSQL.
  assert.ok(process.env.WORKBIND_TEST_PG_DSN, 'WORKBIND_TEST_PG_DSN must name the test PostgreSQL server');
  nodeA = await new Server().start();
  // Same data folder: the same database (lib/server.mjs), another process.
  nodeB = await new Server({ dataDir: nodeA.dataDir }).start();
  assert.ok(nodeA.pgDatabase && nodeA.pgDatabase === nodeB.pgDatabase);
  assert.notEqual(nodeA.port, nodeB.port);
});

after(async () => {
  await nodeB?.cleanup();
  await nodeA?.cleanup();
});

// A client of `node` that reuses the session (cookie and CSRF token) of `from`.
function sameSessionOn(node, from) {
  const c = new Client(node.url, from.user);
  c.cookie = from.cookie;
  c.csrf = from.csrf;
  return c;
}

async function ok(client, path, body) {
  const r = await client.post(path, body);
  assert.equal(r.json?.statusCode, 0, r.text);
  return r.json;
}

test('a session made on node A is accepted by node B, CSRF token included', async () => {
  const onA = new Client(nodeA.url, 'alice');
  await onA.login();
  assert.ok(onA.cookie && onA.csrf);
  const onB = sameSessionOn(nodeB, onA);
  const me = await onB.get('/api/v2/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.userName, 'alice');
  assert.equal(me.headers.get('set-cookie'), null, 'node B must not start a new session');
  // A change through B with A's token is accepted; without it, refused.
  await ok(onB, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  const forged = new Client(nodeB.url, 'alice');
  forged.cookie = onA.cookie;
  const refused = await forged.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
  assert.equal(refused.status, 403, refused.text);
  await ok(onA, '/api/v2/me', { operationName: 'EndContactCenterSession' });
});

test('referenceIds of one user keep increasing across nodes', async () => {
  const onA = new Client(nodeA.url, 'bob');
  await onA.login();
  const onB = sameSessionOn(nodeB, onA);
  let last = 0;
  for (let i = 0; i < 20; i++) {
    const c = i % 2 ? onB : onA;
    const r = await ok(c, '/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
    const done = await ok(c, `/api/v2/me/workitems/${r.id}`, { operationName: 'Complete' });
    assert.ok(r.referenceId > last, `referenceId ${r.referenceId} after ${last}`);
    assert.ok(done.referenceId > r.referenceId);
    last = done.referenceId;
  }
});

test(`${ROUNDS} rounds of concurrent Pulls, one through each node: exactly one winner each`, async () => {
  const alice = new Client(nodeA.url, 'alice');
  const bob = new Client(nodeB.url, 'bob');
  await alice.login();
  await bob.login();
  for (const agent of [alice, bob]) {
    await ok(agent, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  }
  const wins = { alice: 0, bob: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const created = await ok(alice, '/api/v2/me/workitems', {
      operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`,
    });
    const id = created.id;
    await ok(alice, `/api/v2/workbins/${TEAM_WB}`, { operationName: 'AddWorkitem', id });
    const results = await Promise.all([alice, bob].map((a) =>
      a.post(`/api/v2/workbins/${TEAM_WB}`, { operationName: 'PullWorkitem', id })));
    const codes = results.map((r) => r.json?.statusCode);
    assert.deepEqual([...codes].sort(), [0, 19], `round ${round}: ${results.map((r) => r.text)}`);
    const loser = results.find((r) => r.json.statusCode === 19);
    assert.equal(loser.status, 409);
    const winner = codes[0] === 0 ? alice : bob;
    wins[winner.user]++;
    const got = await winner.get(`/api/v2/me/workitems/${id}`);
    assert.equal(got.json.workitem.state, 'Processing', got.text);
    await ok(winner, `/api/v2/me/workitems/${id}`, { operationName: 'Complete' });
  }
  assert.equal(wins.alice + wins.bob, ROUNDS);
});
