// Stock Bayeux clients behind one small interface, for the interop tests:
// the CometD JavaScript client (npm cometd + cometd-nodejs-client) and Faye,
// each over long-polling or WebSocket.
//
// One simulated browser per Node process. CometD clients in one process
// share one cookie jar per host name, so separate browsers would need
// separate host names (127.0.0.N); the test server listens on 127.0.0.1
// only (never on 0.0.0.0), which does not accept connections addressed to
// other loopback addresses. Each interop test file is its own CTest entry
// and Node process, and drives exactly one client: its jar is its own, and
// the per-browser limit of held connects (notifications.maxSessionsPerBrowser)
// stays at its default. The REST calls that make the server publish use
// fetch, which has no cookie jar and does not touch the client's.
import { adapt } from 'cometd-nodejs-client';
import { WebSocket as WsWebSocket } from 'ws';
import { CometD } from 'cometd';
import faye from 'faye';

// Collects messages; waitFor(predicate) resolves with the first match.
export class Inbox {
  constructor(what) {
    this.what = what;
    this.messages = [];
    this.waiters = new Set();
  }

  push(m) {
    this.messages.push(m);
    for (const w of this.waiters) w();
  }

  waitFor(predicate, ms = 10000, what = 'a matching message') {
    const found = this.messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.messages.find(predicate);
        if (!m) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.what}: no ${what} within ${ms} ms; got ${JSON.stringify(this.messages)}`));
      }, ms);
      this.waiters.add(check);
    });
  }
}

// The CometD JavaScript client. `cookie` is "JSESSIONID=..." of a logged-in
// HTTP session on `host`.
export class CometdClient {
  constructor({ url, cookie, transport }) {
    const host = new URL(url).hostname;
    const options = {};
    adapt(options);
    // The adapter's long-polling requests send the cookies of its jar.
    options.globalCookies[host] = { JSESSIONID: cookie };
    // Its WebSocket (ws) sends none; a browser sends the session cookie on
    // the upgrade, so add it.
    globalThis.window.WebSocket = class extends WsWebSocket {
      constructor(u, protocols, opts = {}) {
        super(u, protocols, { ...opts, headers: { ...(opts.headers ?? {}), Cookie: cookie } });
      }
    };
    this.cometd = new CometD();
    this.cometd.configure({ url, logLevel: 'warn', maxNetworkDelay: 5000 });
    if (transport === 'long-polling') this.cometd.unregisterTransport('websocket');
    this.metaConnects = new Inbox('cometd /meta/connect');
    this.cometd.addListener('/meta/connect', (m) => this.metaConnects.push(m));
  }

  // Handshakes and (on this and every later successful handshake)
  // subscribes `channel`, delivering events to `inbox`. Resolves with the
  // first subscribe reply; `handshakes` collects successful handshake replies.
  start(channel, inbox, handshakes) {
    return new Promise((resolve, reject) => {
      this.cometd.addListener('/meta/handshake', (m) => {
        if (!m.successful) return;
        handshakes.push(m);
        this.cometd.subscribe(channel, (e) => inbox.push(e), (reply) => {
          if (reply.successful) resolve(reply);
          else reject(new Error(JSON.stringify(reply)));
        });
      });
      this.cometd.handshake((reply) => reply.successful || reject(new Error(JSON.stringify(reply))));
    });
  }

  // Subscribes `channel` (once, not again after a re-handshake), delivering
  // its events to `inbox`; resolves when the server confirmed it.
  subscribe(channel, inbox) {
    return new Promise((resolve, reject) => {
      this.cometd.subscribe(channel, (e) => inbox.push(e), (reply) => {
        if (reply.successful) resolve(reply);
        else reject(new Error(JSON.stringify(reply)));
      });
    });
  }

  transportName() {
    return this.cometd.getTransport()?.type;
  }

  disconnect() {
    return new Promise((resolve) => this.cometd.disconnect((reply) => resolve(reply)));
  }

  isDisconnected() {
    return this.cometd.isDisconnected();
  }
}

// Faye (Node). Its own cookie jar (tough-cookie) is seeded with the session
// cookie; Faye sends it on long-polling requests and on the WebSocket upgrade.
export class FayeClient {
  constructor({ url, cookie, transport }) {
    this.client = new faye.Client(url, { timeout: 10, retry: 1 });
    this.client._dispatcher.cookies.setCookieSync(`${cookie}; Path=/`, url);
    if (transport === 'long-polling') this.client.disable('websocket');
    this.client.disable('eventsource');
    this.connectionTypes = new Set();
    this.handshakeReplies = [];
    this.client.addExtension({
      outgoing: (m, cb) => {
        if (m.channel === '/meta/connect') this.connectionTypes.add(m.connectionType);
        cb(m);
      },
      incoming: (m, cb) => {
        if (m.channel === '/meta/handshake' && m.successful) this.handshakes?.push(m);
        cb(m);
      },
    });
  }

  // Faye handshakes on the first subscribe and re-subscribes by itself after
  // a re-handshake.
  async start(channel, inbox, handshakes) {
    this.handshakes = handshakes;
    const sub = this.client.subscribe(channel).withChannel((ch, data) => inbox.push({ channel: ch, data }));
    await sub;
    return { successful: true };
  }

  // Subscribes `channel`, delivering its events to `inbox`; resolves when the
  // server confirmed it. (Faye subscribes it again after a re-handshake.)
  async subscribe(channel, inbox) {
    await this.client.subscribe(channel).withChannel((ch, data) => inbox.push({ channel: ch, data }));
  }

  transportName() {
    return [...this.connectionTypes].pop();
  }

  disconnect() {
    return this.client.disconnect();
  }
}
