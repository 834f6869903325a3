// Raw Bayeux over HTTP long-polling: literal JSON in, literal JSON out, via
// fetch with the session cookie. No CometD library in between, so the tests
// see exactly what the server writes.
import { Client } from './client.mjs';

export const NOTIFICATIONS = '/api/v2/notifications';

// One POST to the notifications endpoint. `body` is sent as JSON unless
// `raw` is given. Returns {status, headers, text, json, ms}.
export async function post(base, body, { path = NOTIFICATIONS, cookie, headers = {}, raw, method = 'POST' } = {}) {
  const h = { 'Content-Type': 'application/json', ...headers };
  if (cookie) h.Cookie = cookie;
  const started = Date.now();
  const res = await fetch(base + path, { method, headers: h, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, ms: Date.now() - started };
}

// A raw Bayeux session of one user: REST login (its own HTTP session),
// handshake, and optionally the first connect (which the server always
// answers at once). `cookie` holds JSESSIONID (and BAYEUX_BROWSER when
// `browser` is given: then requests are counted for that browser).
export class RawSession {
  constructor(base, user, { password, browser, rest } = {}) {
    this.base = base;
    this.user = user;
    this.rest = rest ?? new Client(base, user, password);
    this.browser = browser;
    this.nextId = 1;
    this.clientId = undefined;
  }

  get cookie() {
    const parts = [];
    if (this.rest.cookie) parts.push(`JSESSIONID=${this.rest.cookie}`);
    if (this.browser) parts.push(`BAYEUX_BROWSER=${this.browser}`);
    return parts.join('; ');
  }

  id() {
    return String(this.nextId++);
  }

  // Sends messages (clientId added to those without one, except handshakes).
  send(messages, opts = {}) {
    const list = (Array.isArray(messages) ? messages : [messages]).map((m) =>
      m.channel === '/meta/handshake' || 'clientId' in m ? m : { ...m, clientId: this.clientId });
    return post(this.base, list, { cookie: this.cookie, ...opts });
  }

  async handshake(extra = {}) {
    if (!this.rest.cookie) await this.rest.login();
    const r = await this.send([{ id: this.id(), channel: '/meta/handshake', version: '1.0', minimumVersion: '1.0',
      supportedConnectionTypes: ['long-polling'], ...extra }]);
    if (r.json?.[0]?.successful) this.clientId = r.json[0].clientId;
    this.handshakeReply = r;
    return r;
  }

  connect(extra = {}, opts) {
    return this.send([{ id: this.id(), channel: '/meta/connect', connectionType: 'long-polling', ...extra }], opts);
  }

  subscribe(subscription, extra = {}) {
    return this.send([{ id: this.id(), channel: '/meta/subscribe', subscription, ...extra }]);
  }

  publish(channel, data, extra = {}) {
    return this.send([{ id: this.id(), channel, data, ...extra }]);
  }

  disconnect() {
    return this.send([{ id: this.id(), channel: '/meta/disconnect' }]);
  }

  // Handshake + first connect; throws unless both succeed.
  async open(handshakeExtra, connectExtra) {
    const h = await this.handshake(handshakeExtra);
    if (!h.json?.[0]?.successful) throw new Error(`handshake of ${this.user}: ${h.status} ${h.text}`);
    const c = await this.connect(connectExtra);
    if (!c.json?.find((m) => m.channel === '/meta/connect')?.successful) {
      throw new Error(`first connect of ${this.user}: ${c.status} ${c.text}`);
    }
    this.firstConnectReply = c;
    return this;
  }
}

// Resolves true when `promise` is still pending after `ms`.
export async function pendingAfter(promise, ms) {
  const marker = Symbol('pending');
  const r = await Promise.race([promise.then(() => undefined, () => undefined),
    new Promise((resolve) => setTimeout(() => resolve(marker), ms))]);
  return r === marker;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Opens `n` raw long-polling sessions on one HTTP session (`cookie`, no
// BAYEUX_BROWSER: not counted per browser), `concurrency` at a time. Each
// is handshaken, connected once (answered at once) and subscribed to
// `subscription` when given (in the request of its first connect). Returns
// their clientIds.
export async function openMany(base, cookie, n, { subscription, concurrency = 50 } = {}) {
  const ids = [];
  let next = 0;
  async function worker() {
    while (next < n) {
      next++;
      const h = await post(base, [{ id: '1', channel: '/meta/handshake', version: '1.0',
        supportedConnectionTypes: ['long-polling'] }], { cookie });
      const clientId = h.json?.[0]?.clientId;
      if (!h.json?.[0]?.successful) throw new Error(`handshake: ${h.status} ${h.text}`);
      const batch = [{ id: '2', channel: '/meta/connect', connectionType: 'long-polling', clientId }];
      if (subscription) batch.push({ id: '3', channel: '/meta/subscribe', subscription, clientId });
      const c = await post(base, batch, { cookie });
      if (!c.json?.every((m) => m.successful !== false)) throw new Error(`first connect: ${c.status} ${c.text}`);
      ids.push(clientId);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

// Sends one connect per clientId at once (each held by the server until an
// event, its timeout or a disconnect). Returns the promises of the replies.
export function holdConnects(base, cookie, clientIds) {
  return clientIds.map((clientId, i) => post(base,
    [{ id: `h${i}`, channel: '/meta/connect', connectionType: 'long-polling', clientId }], { cookie }));
}
