// The interop scenario, run by each test file for one client and transport:
// handshake with the session cookie, subscribe /v2/me/*, receive a
// server-published ChannelStateChangeMessageV2 carrying the referenceId of
// the REST reply that caused it, re-handshake after the server drops the
// session (a restart: HTTP sessions survive in the database, Bayeux sessions
// do not; both a crash and a graceful stop), and disconnect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../../functional/lib/server.mjs';
import { Client } from '../../functional/lib/client.mjs';
import { post, RawSession } from '../../functional/lib/bayeux.mjs';
import { Inbox } from './clients.mjs';

// With `tls` ({certificateFile, privateKeyFile}, trusted by this process
// through NODE_EXTRA_CA_CERTS) the server serves only HTTPS and WSS: the
// client's URL is https://, and it speaks wss:// on its WebSocket transport.
export function interopSuite(name, ClientClass, transport, { tls } = {}) {
  let server;
  let rest;
  let client;
  const inbox = new Inbox(name);
  const handshakes = [];
  let state = 0;

  before(async () => {
    server = await new Server({ settings: { notifications: { timeoutMs: 5000, openChannels: ['/burst/**'] } }, tls }).start();
    if (tls) assert.match(server.url, /^https:/);
    rest = new Client(server.url, 'alice');
    await rest.login();
    const r = await rest.post('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
    assert.equal(r.status, 200, r.text);
  });
  after(async () => {
    // Whatever happened, stop polling before the server goes away.
    if (client) await Promise.race([client.disconnect(), new Promise((r) => setTimeout(r, 2000))]).catch(() => {});
    await server?.cleanup();
  });

  // Makes the server publish a ChannelStateChangeMessageV2 to alice; returns
  // the referenceId of the REST reply.
  async function changeState() {
    state++;
    const r = await rest.post('/api/v2/me/channels/workitem', { operationName: state % 2 ? 'NotReady' : 'Ready' });
    assert.equal(r.status, 200, r.text);
    return r.json.referenceId;
  }
  const channelChange = (ref) => (m) =>
    m.data?.messageType === 'ChannelStateChangeMessageV2' && m.data.referenceId === ref;

  test(`${name}: handshake with the session cookie and subscribe /v2/me/*`, async () => {
    client = new ClientClass({ url: `${server.url}/api/v2/notifications`, cookie: `JSESSIONID=${rest.cookie}`, transport });
    const reply = await client.start('/v2/me/*', inbox, handshakes);
    assert.equal(reply.successful, true);
    assert.equal(handshakes.length, 1);
    assert.match(handshakes[0].clientId, /^[0-9a-f]{32}$/);
  });

  test(`${name}: receives the server-published message with the REST referenceId`, async () => {
    const ref = await changeState();
    const m = await inbox.waitFor(channelChange(ref));
    assert.equal(m.channel, '/v2/me/channels');
    assert.equal(m.data.channels[0].channel, 'workitem');
    assert.equal(client.transportName(), transport);
  });

  // A burst: another session publishes 200 messages in 10 requests sent one
  // after the other, each of 20 messages; the client receives every one, in
  // publishing order (over WebSocket, messages queued behind a write leave
  // together in one frame).
  test(`${name}: receives a burst of published messages complete and in order`, async () => {
    const burst = new Inbox(`${name} burst`);
    await client.subscribe('/burst/x', burst);
    const publisher = new RawSession(server.url, 'alice', { rest });
    await publisher.open();
    for (let r = 0; r < 10; r++) {
      const messages = [];
      for (let k = 0; k < 20; k++) messages.push({ id: publisher.id(), channel: '/burst/x', data: { i: r * 20 + k } });
      const reply = await publisher.send(messages);
      assert.equal(reply.status, 200, reply.text);
      assert.ok(reply.json.every((m) => m.successful), reply.text);
    }
    await burst.waitFor(() => burst.messages.length >= 200, 10000, '200 messages');
    assert.deepEqual(burst.messages.map((m) => m.data.i), Array.from({ length: 200 }, (_, i) => i));
    await publisher.disconnect();
  });

  // Restarts the server (SIGKILL: the process vanishes; SIGTERM: held
  // connects are answered with advice reconnect "handshake" first), then
  // waits until the client has handshaken again, re-subscribed and receives
  // a new server-published message.
  async function rehandshakeAfter(restart) {
    const before = handshakes.length;
    await restart();
    const deadline = Date.now() + 15000;
    let got;
    while (!got && Date.now() < deadline) {
      if (handshakes.length > before) {
        const ref = await changeState();
        got = await inbox.waitFor(channelChange(ref), 3000).catch(() => undefined);
      } else {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    assert.ok(got, `no message after the restart; handshakes: ${JSON.stringify(handshakes)}`);
    assert.notEqual(handshakes.at(-1).clientId, handshakes[before - 1].clientId);
  }

  test(`${name}: re-handshakes and re-subscribes after the server lost the session (crash)`, async () => {
    await rehandshakeAfter(async () => {
      server.proc.kill('SIGKILL');
      await server.exited;
      await server.start();
    });
  });

  // A graceful stop answers a held connect {"successful":false,"error":
  // "402::Unknown client","advice":{"reconnect":"handshake","interval":1000}}:
  // the CometD JavaScript client accepts only "retry" or "none" on a
  // successful connect reply, and follows any advice on an unsuccessful one.
  test(`${name}: re-handshakes after a graceful server restart`, { timeout: 20000 }, async () => {
    await rehandshakeAfter(() => server.restart());
  });

  test(`${name}: disconnect ends the Bayeux session`, async () => {
    const clientId = handshakes.at(-1).clientId;
    await client.disconnect();
    client = undefined;
    const r = await post(server.url, [{ id: '1', channel: '/meta/connect', connectionType: 'long-polling', clientId }],
      { cookie: `JSESSIONID=${rest.cookie}` });
    assert.equal(r.json[0].successful, false);
    assert.equal(r.json[0].error, '402::Unknown client');
  });
}
