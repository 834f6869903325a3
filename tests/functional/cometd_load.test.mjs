// Load and resource bounds of the CometD endpoint (notifications.md §8, §10):
// 1,000 long-polling sessions held at once all receive one published message;
// a session that stops polling is dropped once its queue exceeds
// notifications.maxQueue instead of growing. No assertion on wall-clock time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { RawSession, openMany, holdConnects, pendingAfter } from './lib/bayeux.mjs';

const SESSIONS = 1000;
const MAX_QUEUE = 50;

let server;
let cookie; // one HTTP session of bob carries every load session
before(async () => {
  server = await new Server({
    settings: {
      auth: { maxSessionsPerUser: 1000 },
      notifications: {
        // Held connects must outlive the setup of the others, and idle
        // sessions must not expire during the queue test.
        timeoutMs: 120000, maxIntervalMs: 120000,
        maxQueue: MAX_QUEUE, maxSessionsPerUser: 0, maxSessionsPerBrowser: -1,
        openChannels: ['/load/**'],
      },
    },
  }).start();
  const bob = new Client(server.url, 'bob');
  await bob.login();
  cookie = `JSESSIONID=${bob.cookie}`;
});
after(async () => server?.cleanup());

test(`${SESSIONS} held long-polling sessions each receive one published message`, async () => {
  const ids = await openMany(server.url, cookie, SESSIONS, { subscription: '/load/all' });
  assert.equal(new Set(ids).size, SESSIONS);
  const held = holdConnects(server.url, cookie, ids);
  let answered = 0;
  held.forEach((p) => p.then(() => answered++, () => answered++));
  // Give the connects time to reach the server; none may be answered before
  // the publish (they are held).
  assert.ok(await pendingAfter(Promise.all(held), 1500));
  assert.equal(answered, 0, 'no connect answered before the publish');

  const publisher = await new RawSession(server.url, 'alice').open();
  const p = await publisher.publish('/load/all', { hello: 'everyone' });
  assert.deepEqual(p.json, [{ id: '3', channel: '/load/all', successful: true }]);

  const replies = await Promise.all(held);
  for (const [i, r] of replies.entries()) {
    assert.equal(r.status, 200, `session ${i}: ${r.text}`);
    const events = r.json.filter((m) => m.id === undefined);
    assert.deepEqual(events, [{ channel: '/load/all', data: { hello: 'everyone' } }], `session ${i}`);
    assert.equal(r.json.find((m) => m.channel === '/meta/connect').successful, true);
  }
  // Leave nothing held behind.
  await Promise.all(ids.map((clientId) => publisher.send([{ id: 'd', channel: '/meta/disconnect', clientId }],
    { cookie })));
});

test('a session that stops polling is bounded by maxQueue: dropped on overflow, next connect 402', async () => {
  const idle = await new RawSession(server.url, 'bob').open();
  assert.equal((await idle.subscribe('/load/flood')).json[0].successful, true);
  const publisher = await new RawSession(server.url, 'alice').open();
  const publish = async (from, count) => {
    const batch = Array.from({ length: count }, (_, i) => ({ id: String(from + i), channel: '/load/flood',
      data: { i: from + i } }));
    const r = await publisher.send(batch);
    assert.ok(r.json.every((m) => m.successful), r.text);
  };

  // Exactly maxQueue undelivered events are kept and delivered in order.
  await publish(0, MAX_QUEUE);
  const full = await idle.connect();
  assert.deepEqual(full.json.filter((m) => !m.id).map((m) => m.data.i), Array.from({ length: MAX_QUEUE }, (_, i) => i));

  // Now it stops polling while far more than maxQueue are published.
  for (let from = 0; from < 10 * MAX_QUEUE; from += 25) await publish(from, 25);
  const r = await idle.connect();
  assert.deepEqual(r.json, [{ id: r.json[0].id, channel: '/meta/connect', successful: false,
    error: '402::Unknown client', advice: { reconnect: 'handshake', interval: 0 } }]);
  // The publisher, which polls nothing but was never subscribed, is unaffected.
  assert.equal((await publisher.connect({ advice: { timeout: 0 } })).json[0].successful, true);
});
