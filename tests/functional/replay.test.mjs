// Notification sequence numbers and replay (ext.seq, the replay handshake
// extension, ReplayUnavailable) with the real CometD JavaScript client, across
// a server-side loss of the session and a server restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { Proxy } from './lib/proxy.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { ALICE_WB } from './lib/workbins.mjs';

const cleanups = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

const isStats = (m) => m.data?.messageType === 'WorkbinStatsMessage';

// One numbered message to alice per call; returns its referenceId.
async function stats(rest) {
  const r = await rest.post(`/api/v2/me/workbins/${ALICE_WB}`, { operationName: 'RequestStats' });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.referenceId;
}

for (const transport of ['long-polling', 'websocket']) {
  test(`${transport}: a re-handshake with fromSeq receives exactly the missed messages, across a restart`, async () => {
    const server = await new Server().start();
    cleanups.push(() => server.cleanup());
    const proxy = await new Proxy(server.port).start();
    cleanups.push(() => proxy.stop());
    const alice = await connectCometd(server.port, 'alice', { transport, cometdPort: proxy.port, replay: {} });
    cleanups.push(() => alice.disconnect());

    // First handshake: {} tells the current lastSeq.
    const first = alice.handshakes[0].ext.replay;
    assert.equal(typeof first.lastSeq, 'number');
    assert.equal(first.fromSeq, undefined);

    const live = [await stats(alice.rest), await stats(alice.rest)];
    for (const ref of live) await alice.waitFor((m) => isStats(m) && m.data.referenceId === ref);
    const seen = alice.messages.filter(isStats);
    assert.deepEqual(seen.map((m) => m.ext.seq), [first.lastSeq + 1, first.lastSeq + 2]);
    const highest = first.lastSeq + 2;

    // The server loses the session (restart) while the client is cut off;
    // meanwhile three more messages are committed for alice.
    proxy.block();
    await server.restart();
    const missed = [await stats(alice.rest), await stats(alice.rest), await stats(alice.rest)];
    proxy.unblock();

    for (const ref of missed) await alice.waitFor((m) => isStats(m) && m.data.referenceId === ref, 15000);
    const again = alice.handshakes.at(-1);
    assert.equal(again.successful, true);
    assert.deepEqual(again.ext.replay, {
      fromSeq: highest + 1, lastSeq: highest + 3, oldestSeq: 1, available: true,
    });
    const after = await stats(alice.rest);
    await alice.waitFor((m) => isStats(m) && m.data.referenceId === after);

    const received = alice.messages.filter(isStats);
    // In order, nothing twice, nothing lost; replayed ones say so.
    assert.deepEqual(received.map((m) => m.ext.seq),
      [highest - 1, highest, highest + 1, highest + 2, highest + 3, highest + 4]);
    assert.deepEqual(received.map((m) => m.data.referenceId), [...live, ...missed, after]);
    assert.deepEqual(received.map((m) => m.ext.replayed === true),
      [false, false, true, true, true, false]);
  });
}

test('a gap beyond the retention window gets ReplayUnavailable', async () => {
  const server = await new Server({ settings: { replay: { maxMessages: 3 } } }).start();
  cleanups.push(() => server.cleanup());
  const rest = new Client(server.url, 'alice');
  await rest.login();
  const first = await connectCometd(server.port, 'alice', { transport: 'long-polling', replay: {}, rest });
  const ref = await stats(rest);
  const m = await first.waitFor((x) => isStats(x) && x.data.referenceId === ref);
  await first.disconnect();
  for (let i = 0; i < 5; i++) await stats(rest);  // only the last 3 are kept

  const later = await connectCometd(server.port, 'alice', {
    transport: 'long-polling', replay: { fromSeq: m.ext.seq + 1 }, rest,
  });
  cleanups.push(() => later.disconnect());
  const hs = later.handshakes[0].ext.replay;
  assert.deepEqual(hs, {
    fromSeq: m.ext.seq + 1, lastSeq: m.ext.seq + 5, oldestSeq: m.ext.seq + 3, available: false,
  });
  const gap = await later.waitFor((x) => x.channel === '/v2/me/replay');
  assert.deepEqual(gap.data, {
    messageType: 'ReplayUnavailable', fromSeq: m.ext.seq + 1, oldestSeq: m.ext.seq + 3, lastSeq: m.ext.seq + 5,
  });
  assert.equal(gap.ext?.seq, undefined);
  assert.equal(later.messages.filter(isStats).length, 0, 'nothing replayed');
});

test('a fromSeq past the end (data reset) is unavailable; lastSeq + 1 is available', async () => {
  const server = await new Server().start();
  cleanups.push(() => server.cleanup());
  const rest = new Client(server.url, 'bob');
  await rest.login();
  const probe = await connectCometd(server.port, 'bob', { transport: 'long-polling', replay: {}, rest });
  const last = probe.handshakes[0].ext.replay.lastSeq;
  await probe.disconnect();
  const ahead = await connectCometd(server.port, 'bob', { transport: 'long-polling', replay: { fromSeq: last + 2 }, rest });
  assert.equal(ahead.handshakes[0].ext.replay.available, false);
  await ahead.waitFor((x) => x.data?.messageType === 'ReplayUnavailable');
  await ahead.disconnect();
  const next = await connectCometd(server.port, 'bob', { transport: 'long-polling', replay: { fromSeq: last + 1 }, rest });
  cleanups.push(() => next.disconnect());
  assert.equal(next.handshakes[0].ext.replay.available, true);
});
