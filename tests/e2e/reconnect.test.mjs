// A network drop in a real browser: the console goes offline, the server
// restarts (so the Bayeux session is gone) and the workbin changes meanwhile;
// when the network is back the page re-handshakes asking for the missed
// notifications (ext.replay.fromSeq), and its table shows the new item and
// no longer shows the one pulled while it was offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../functional/lib/server.mjs';
import { Client } from '../functional/lib/client.mjs';
import { WORKITEMS_IN, ALICE_WB, ALICE_ID } from '../functional/lib/workbins.mjs';
import { Proxy } from '../functional/lib/proxy.mjs';
import { assertConsoleBuilt, openBrowser, outputDir, shot, signIn } from './lib/browser.mjs';

let server, proxy, alice, out;

before(async () => {
  assertConsoleBuilt();
  out = outputDir('reconnect');
  server = await new Server().start();
  proxy = await new Proxy(server.port).start();
  // A narrow window: the layout for small screens is exercised too.
  alice = await openBrowser({ width: 420, height: 900 });
});

after(async () => {
  await alice?.close();
  await proxy?.stop();
  await server?.cleanup();
});

// Creates a workitem for alice (her own API session) and parks it in her
// workbin; returns its id.
async function parked(rest, subject) {
  const created = await rest.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, userData: { Subject: subject },
  });
  assert.equal(created.json?.statusCode, 0, created.text);
  const added = await rest.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddInteraction', id: created.json.id });
  assert.equal(added.json?.statusCode, 0, added.text);
  return created.json.id;
}

test('after a drop the page re-handshakes with replay and shows no stale rows', async () => {
  const page = alice.page;
  const handshakes = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => {
    if (String(f.payload).includes('/meta/handshake')) handshakes.push(String(f.payload));
  }));
  page.on('request', (r) => {
    const body = r.postData();
    if (body && body.includes('/meta/handshake')) handshakes.push(body);
  });

  await signIn(page, `http://127.0.0.1:${proxy.port}/`, 'alice', 'alice-demo-pw');
  const rest = new Client(server.url, 'alice');
  await rest.login();
  const bin = page.locator('section[data-workbin="email-in-progress"]');
  const stale = await parked(rest, 'Pulled while offline');
  await bin.locator(`tr[data-id="${stale}"]`).waitFor();
  await shot(page, out, '01-narrow-live');

  proxy.block();
  await page.getByTestId('live-status').filter({ hasText: 'Offline' }).waitFor();
  await shot(page, out, '02-offline');
  await server.restart();
  await rest.login();
  const sam = new Client(server.url, 'sam');
  const pulled = await sam.post(`/api/v2/users/${ALICE_ID}/workbins/${ALICE_WB}`, { operationName: 'PullInteraction', id: stale });
  assert.equal(pulled.json?.statusCode, 0, pulled.text);
  const fresh = await parked(rest, 'Parked while offline');
  // Still the old view while cut off.
  assert.equal(await bin.locator(`tr[data-id="${stale}"]`).count(), 1);
  proxy.unblock();

  await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor({ timeout: 30000 });
  await bin.locator(`tr[data-id="${fresh}"]`).waitFor({ timeout: 30000 });
  await bin.locator(`tr[data-id="${stale}"]`).waitFor({ state: 'detached', timeout: 30000 });
  await shot(page, out, '03-back-live');

  assert.ok(handshakes.length >= 2, `handshakes: ${handshakes.join('\n')}`);
  assert.match(handshakes[0], /"replay":\{\}/);
  assert.ok(handshakes.slice(1).some((h) => /"replay":\{"fromSeq":\d+\}/.test(h)), handshakes.join('\n'));
  assert.deepEqual(alice.errors, []);
});
