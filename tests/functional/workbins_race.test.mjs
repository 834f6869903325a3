// Races on one interaction from two HTTP connections, many rounds each:
// two Pulls (exactly one winner, the other statusCode 19 and nothing changes
// for it), two Adds into different workbins (exactly one winner), and an Add
// racing a Pull (whatever the order, the final state is the one the replies
// describe). WORKBIND_RACE_ROUNDS overrides the number of rounds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { ALICE_WB, TEAM_WB, WORKITEMS_IN } from './lib/workbins.mjs';

const ROUNDS = Number(process.env.WORKBIND_RACE_ROUNDS ?? 1000);
let server, alice, alice2, bob;

before(async () => {
  server = await new Server().start();
  // Two connections of alice (each its own HTTP session and keep-alive
  // socket) and one of bob.
  alice = new Client(server.url, 'alice');
  alice2 = new Client(server.url, 'alice');
  bob = new Client(server.url, 'bob');
  for (const c of [alice, alice2, bob]) await c.login();
});
after(async () => { await server?.cleanup(); });

async function create() {
  const r = await alice.post('/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}
const add = (client, workbin, id) => client.post(`/api/v2/workbins/${workbin}`, { operationName: 'AddWorkitem', id });
const pull = (client, workbin, id) => client.post(`/api/v2/workbins/${workbin}`, { operationName: 'PullWorkitem', id });
async function state(id) {
  const r = await alice.get(`/api/v2/interactions/${id}`);
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.interaction ?? r.json.workitem ?? r.json;
}
async function workbinIds(workbin) {
  const r = await alice.get(`/api/v2/workbins/${workbin}?subresources=*`);
  return (r.json.workbin?.interactions ?? r.json.interactions ?? []).map((i) => i.id);
}

test(`${ROUNDS} rounds of two concurrent Pulls: exactly one winner`, async () => {
  const wins = { alice: 0, bob: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const id = await create();
    assert.equal((await add(alice, TEAM_WB, id)).json.statusCode, 0);
    const [a, b] = await Promise.all([pull(alice2, TEAM_WB, id), pull(bob, TEAM_WB, id)]);
    const codes = [a.json.statusCode, b.json.statusCode].sort();
    assert.deepEqual(codes, [0, 19], `round ${round}: ${a.text} / ${b.text}`);
    const loser = a.json.statusCode === 19 ? a : b;
    assert.equal(loser.status, 409);
    assert.equal(loser.json.referenceId, undefined);
    wins[a.json.statusCode === 0 ? 'alice' : 'bob']++;
  }
  // Both sides won some rounds: the race was real (reported, not asserted).
  console.log(`pull race winners over ${ROUNDS} rounds:`, wins);
  assert.deepEqual(await workbinIds(TEAM_WB), [], 'every round ended pulled');
});

test(`${ROUNDS} rounds of two concurrent Adds into different workbins: exactly one winner`, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const id = await create();
    const [a, b] = await Promise.all([add(alice, ALICE_WB, id), add(alice2, TEAM_WB, id)]);
    const codes = [a.json.statusCode, b.json.statusCode].sort();
    assert.deepEqual(codes, [0, 19], `round ${round}: ${a.text} / ${b.text}`);
    const into = a.json.statusCode === 0 ? ALICE_WB : TEAM_WB;
    // Take it out again through the winner's workbin (keeps workbins small).
    const back = await pull(alice, into, id);
    assert.equal(back.json.statusCode, 0, `round ${round}: it is in the winner's workbin: ${back.text}`);
  }
});

test(`${ROUNDS} rounds of an Add racing a Pull: the final state matches the replies`, async () => {
  let pulled = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const id = await create();
    const [a, p] = await Promise.all([add(alice, ALICE_WB, id), pull(alice2, ALICE_WB, id)]);
    assert.equal(a.json.statusCode, 0, `round ${round}: ${a.text}`);
    assert.ok([0, 19].includes(p.json.statusCode), `round ${round}: ${p.text}`);
    if (round % 50 === 0 || p.json.statusCode === 0) {
      const s = await state(id);
      if (p.json.statusCode === 0) {
        pulled++;
        assert.equal(s.state, 'Processing', `round ${round}`);
      } else {
        assert.equal(s.state, 'InWorkbin', `round ${round}`);
      }
    }
    if (p.json.statusCode === 19)
      assert.equal((await pull(alice, ALICE_WB, id)).json.statusCode, 0, `round ${round}: still in the workbin`);
  }
  console.log(`add/pull race: the pull came second (and won) in ${pulled} of ${ROUNDS} rounds`);
  assert.deepEqual(await workbinIds(ALICE_WB), []);
});
