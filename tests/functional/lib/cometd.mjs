// Real CometD JavaScript clients (npm cometd + cometd-nodejs-client) for the
// functional tests. Each client plays one browser: it talks to the server
// through its own loopback address (127.0.0.N), so its cookies (JSESSIONID,
// BAYEUX_BROWSER) live in their own jar, logs in over REST on that address
// and hands the session cookie to CometD. The server must listen on an
// address that accepts 127.0.0.N (Server({ host: '0.0.0.0' })).
//
// The Node adapter sends cookies on long-polling requests only; the ws
// WebSocket it installs sends none, where a browser would send the session
// cookie on the upgrade. adapt() is therefore followed by a WebSocket class
// that adds the cookie of its host.
import { adapt } from 'cometd-nodejs-client';
import { WebSocket as WsWebSocket } from 'ws';
import { CometD } from 'cometd';
import { Client } from './client.mjs';

const cookiesByHost = new Map(); // host -> "JSESSIONID=..."
let adapterOptions;

function ensureAdapted() {
  if (adapterOptions) return;
  adapterOptions = {};
  adapt(adapterOptions);
  globalThis.window.WebSocket = class extends WsWebSocket {
    constructor(url, protocols, options = {}) {
      const cookie = cookiesByHost.get(new URL(url).hostname);
      const headers = { ...(options.headers ?? {}), ...(cookie ? { Cookie: cookie } : {}) };
      super(url, protocols, { ...options, headers });
    }
  };
}

let nextHost = 2;
// A fresh loopback address for one simulated browser.
export function newHost() {
  return `127.0.0.${nextHost++}`;
}

// A connected CometD client of `user`, subscribed to `channels`, that
// collects every message it receives. `port` is the server's port.
// Returns { rest, cometd, messages, waitFor, disconnect }: `rest` is a
// logged-in REST Client using the same HTTP session.
export async function connectCometd(port, user, {
  password,
  host = newHost(),
  channels = ['/v2/me/*'],
  transport = 'websocket',
  timeoutMs = 10000,
} = {}) {
  ensureAdapted();
  const rest = new Client(`http://${host}:${port}`, user, password);
  await rest.login();
  const cookie = `JSESSIONID=${rest.cookie}`;
  cookiesByHost.set(host, cookie);
  const jar = (adapterOptions.globalCookies[host] ??= {});
  jar.JSESSIONID = cookie;

  const cometd = new CometD();
  cometd.configure({ url: `http://${host}:${port}/api/v2/notifications`, logLevel: 'warn' });
  if (transport === 'long-polling') cometd.unregisterTransport('websocket');

  const messages = [];
  const waiters = new Set();
  const onMessage = (m) => {
    messages.push(m);
    for (const w of waiters) w();
  };

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

  return { rest, cometd, messages, waitFor, disconnect, host };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
