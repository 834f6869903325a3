// Real CometD JavaScript clients (npm cometd + cometd-nodejs-client) for the
// functional tests. Each client plays one browser with its own cookies, while
// every client talks to the server on 127.0.0.1 (tests bind only there):
// - long-polling: the transport's `context.cookieStore` (read by the Node
//   adapter instead of its process-wide jar) holds this client's JSESSIONID;
// - WebSocket: the Node adapter's `ws` sends no cookies, where a browser
//   sends the session cookie on the upgrade; adapt() is therefore followed by
//   a WebSocket class that adds the cookie of the client named by the
//   `client` query parameter of the URL (the server ignores the query).
import { adapt } from 'cometd-nodejs-client';
import { WebSocket as WsWebSocket } from 'ws';
import { CometD } from 'cometd';
import { Client } from './client.mjs';

const cookiesByClient = new Map(); // client number -> "JSESSIONID=..."
let adapted = false;

function ensureAdapted() {
  if (adapted) return;
  adapted = true;
  adapt({});
  globalThis.window.WebSocket = class extends WsWebSocket {
    constructor(url, protocols, options = {}) {
      const cookie = cookiesByClient.get(new URL(url).searchParams.get('client'));
      const headers = { ...(options.headers ?? {}), ...(cookie ? { Cookie: cookie } : {}) };
      super(url, protocols, { ...options, headers });
    }
  };
}

let nextClient = 1;

// A connected CometD client of `user`, subscribed to `channels`, that
// collects every message it receives. `port` is the server's port on
// 127.0.0.1 (`cometdPort`, when given, is used for CometD instead, e.g. a
// Proxy). Returns { rest, cometd, messages, waitFor, disconnect, handshakes }:
// `rest` is a logged-in REST Client using the same HTTP session,
// `handshakes` every handshake reply.
//
// With `replay`, the client follows the replay flow of workbind
// (docs/api.md): it keeps the highest ext.seq received, asks every handshake
// for ext.replay with fromSeq = highest + 1 (or `replay.fromSeq`, or {} when
// nothing was received yet) and subscribes again after a re-handshake.
export async function connectCometd(port, user, {
  password,
  channels = ['/v2/me/*'],
  transport = 'websocket',
  timeoutMs = 10000,
  cometdPort = port,
  replay = null,
  rest: existingRest = null,
} = {}) {
  ensureAdapted();
  const host = '127.0.0.1';
  const rest = existingRest ?? new Client(`http://${host}:${port}`, user, password);
  if (!existingRest) await rest.login();
  const cookie = `JSESSIONID=${rest.cookie}`;
  const client = String(nextClient++);
  cookiesByClient.set(client, cookie);

  const cometd = new CometD();
  if (transport === 'long-polling') {
    // The JS client posts to <url>/handshake, /connect, ... as in a browser.
    cometd.configure({
      url: `http://${host}:${cometdPort}/api/v2/notifications`, logLevel: 'warn',
      backoffIncrement: 100, maxBackoff: 500,
    });
    cometd.unregisterTransport('websocket');
    cometd.findTransport('long-polling').context = { cookieStore: { [host]: { JSESSIONID: cookie } } };
  } else {
    cometd.configure({
      url: `http://${host}:${cometdPort}/api/v2/notifications?client=${client}`, logLevel: 'warn',
      backoffIncrement: 100, maxBackoff: 500,
    });
    cometd.unregisterTransport('long-polling');
  }

  const messages = [];
  const waiters = new Set();
  const onMessage = (m) => {
    messages.push(m);
    for (const w of waiters) w();
  };

  const handshakes = [];
  let highest = 0;
  if (replay) {
    cometd.registerExtension('replay', {
      incoming(m) {
        const seq = m.ext?.seq;
        if (Number.isInteger(seq) && seq > highest) highest = seq;
        return m;
      },
      outgoing(m) {
        if (m.channel === '/meta/handshake') {
          const fromSeq = highest > 0 ? highest + 1 : replay.fromSeq;
          m.ext = { ...(m.ext ?? {}), replay: fromSeq ? { fromSeq } : {} };
        }
        return m;
      },
    });
  }
  cometd.addListener('/meta/handshake', (reply) => {
    handshakes.push(reply);
    // A re-handshake starts a new session without subscriptions.
    if (replay && reply.successful && handshakes.length > 1)
      cometd.batch(() => { for (const c of channels) cometd.subscribe(c, onMessage); });
  });
  await withTimeout(new Promise((resolve, reject) => {
    cometd.handshake((reply) => (reply.successful ? resolve(reply) : reject(new Error(JSON.stringify(reply)))));
  }), timeoutMs, `handshake of ${user}`);
  for (const channel of channels) {
    await withTimeout(new Promise((resolve, reject) => {
      cometd.subscribe(channel, onMessage, (reply) =>
        reply.successful ? resolve(reply) : reject(new Error(JSON.stringify(reply))));
    }), timeoutMs, `subscribe of ${user} to ${channel}`);
  }

  // Resolves with the first collected message (past or future) for which
  // `predicate(message)` holds; rejects after `ms`.
  function waitFor(predicate, ms = timeoutMs, what = 'a matching message') {
    const found = messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = messages.find(predicate);
        if (!m) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${user}: no ${what} within ${ms} ms; got ${JSON.stringify(messages.map((x) => x.data))}`));
      }, ms);
      waiters.add(check);
    });
  }

  async function disconnect() {
    await withTimeout(new Promise((resolve) => cometd.disconnect(() => resolve())), 5000, 'disconnect')
      .catch(() => {});
  }

  return { rest, cometd, messages, waitFor, disconnect, host, handshakes };
}

// `promise`, or a rejection naming `what` once `ms` have passed: turns a
// lost message into a failure instead of a hang.
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
