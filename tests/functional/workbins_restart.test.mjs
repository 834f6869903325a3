// Workbin content and subscriptions are stored: after a restart the items
// are still in their workbins and a subscriber still hears of changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { ALICE_WB, TEAM_WB, createAndAdd } from './lib/workbins.mjs';

let server, bob;

before(async () => { server = await new Server().start(); });
after(async () => {
  await bob?.disconnect();
  await server?.cleanup();
});

test('content and subscriptions survive a restart', async () => {
  let alice = new Client(server.url, 'alice');
  await alice.login();
  let bobRest = new Client(server.url, 'bob');
  await bobRest.login();
  const kept = await createAndAdd(alice, ALICE_WB);
  const s = await bobRest.post(`/api/v2/me/workbins/${TEAM_WB}`, { operationName: 'Subscribe' });
  assert.equal(s.json.statusCode, 0, s.text);

  await server.restart();

  alice = new Client(server.url, 'alice');
  await alice.login();
  const content = await alice.get(`/api/v2/workbins/${ALICE_WB}/workitems`);
  assert.deepEqual(content.json.uris, [`http://localhost:8090/api/v2/workitems/${kept}`]);
  const item = await alice.get(`/api/v2/workitems/${kept}`);
  assert.equal(item.json.workitem.state, 'InWorkbin');

  bob = await connectCometd(server.port, 'bob');
  const added = await createAndAdd(alice, TEAM_WB);
  const m = await bob.waitFor((x) => x.data.messageType === 'WorkbinContentChanged' &&
    x.data.interaction?.id === added);
  assert.equal(m.data.action, 'ItemAdded');
  assert.equal(m.data.referenceId, undefined);
});
