// A user's workbin subscriptions end with its last HTTP session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { TEAM_WB, createAndAdd } from './lib/workbins.mjs';

let server, bob;

before(async () => { server = await new Server().start(); });
after(async () => {
  await bob?.disconnect();
  await server?.cleanup();
});

test('EndContactCenterSession of the last session removes the workbin subscriptions', async () => {
  const alice = new Client(server.url, 'alice');
  await alice.login();
  const first = new Client(server.url, 'bob');
  await first.login();
  const s = await first.post(`/api/v2/me/workbins/${TEAM_WB}`, { operationName: 'Subscribe' });
  assert.equal(s.json.statusCode, 0, s.text);
  const end = await first.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
  assert.equal(end.json.statusCode, 0, end.text);

  // A new session: bob is no longer subscribed.
  bob = await connectCometd(server.port, 'bob');
  const unheard = await createAndAdd(alice, TEAM_WB);
  // Messages to one user arrive in commit order: once bob hears of his own
  // later channel change, an ItemAdded for him would already be here.
  const start = await bob.rest.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  assert.equal(start.json.statusCode, 0, start.text);
  await bob.waitFor((x) => x.data.messageType === 'ChannelStateChangeMessageV2');
  assert.equal(bob.messages.find((x) => x.data.messageType === 'WorkbinContentChanged' &&
    x.data.interaction?.id === unheard), undefined);

  // Subscribing again works as before.
  const again = await bob.rest.post(`/api/v2/me/workbins/${TEAM_WB}`, { operationName: 'Subscribe' });
  assert.equal(again.json.statusCode, 0, again.text);
  const heard = await createAndAdd(alice, TEAM_WB);
  const m = await bob.waitFor((x) => x.data.messageType === 'WorkbinContentChanged' &&
    x.data.interaction?.id === heard);
  assert.equal(m.data.action, 'ItemAdded');
});
