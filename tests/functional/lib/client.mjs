import net from 'node:net';
// A small HTTP client for the REST API: Basic or cookie authentication,
// CSRF token handling, JSON bodies. Uses Node's fetch (undici).
export const DEMO = {
  cc: '9dd4189d-90ea-55aa-949a-05882002d93f',
  users: {
    alice: { id: '1b90bfb1f4335e9587c3f500f9e4432e', password: 'alice-demo-pw' },
    bob: { id: '73d2f7a894d552309abd065b9c122c0b', password: 'bob-demo-pw' },
    sam: { id: 'e876e3db88f7593d9124b29d562465cb', password: 'sam-demo-pw' },
    ops: { id: '2454828ac0b753e9a505e1e8c600567a', password: 'ops-demo-pw' },
    feeder: { id: 'd15a3bbfd4fb5b91b0eb041de49368ab', password: 'feeder-demo-pw' },
    root: { id: 'badd918be7b85f7a9c112ac694b5ead1', password: 'change-me-now' },
  },
};

export function basic(user, password) {
  return 'Basic ' + Buffer.from(`${user}:${password ?? DEMO.users[user].password}`).toString('base64');
}

// One raw request. Returns {status, headers, text, json}. A POST or PUT
// declares a JSON body (the server refuses any other, even an empty one)
// unless the caller gives its own Content-Type or a `rawBody`.
export async function request(base, method, path, { headers = {}, body, rawBody } = {}) {
  const init = { method, headers: { ...headers }, redirect: 'manual' };
  const hasType = Object.keys(init.headers).some((k) => k.toLowerCase() === 'content-type');
  if (rawBody !== undefined) init.body = rawBody;
  else if (body !== undefined) init.body = JSON.stringify(body);
  if (!hasType && rawBody === undefined && (body !== undefined || method === 'POST' || method === 'PUT'))
    init.headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// A logged-in client: Basic on the first request, then the JSESSIONID cookie
// and the CSRF token, like a browser desktop.
export class Client {
  constructor(base, user, password) {
    this.base = base;
    this.user = user;
    this.password = password ?? DEMO.users[user]?.password;
    this.cookie = undefined;
    this.csrf = undefined;
  }

  async login() {
    const r = await request(this.base, 'GET', '/api/v2/me', {
      headers: { Authorization: basic(this.user, this.password) },
    });
    if (r.status !== 200) throw new Error(`login ${this.user}: ${r.status} ${r.text}`);
    this.absorb(r);
    return r;
  }

  absorb(r) {
    const set = r.headers.get('set-cookie');
    const m = set && set.match(/JSESSIONID=([^;]*)/);
    if (m) this.cookie = m[1] || undefined;
    const token = r.headers.get('x-csrf-token');
    if (token) this.csrf = token;
  }

  headers(extra = {}) {
    const h = { ...extra };
    if (this.cookie) h.Cookie = `JSESSIONID=${this.cookie}`;
    else h.Authorization = basic(this.user, this.password);
    if (this.csrf) h['X-CSRF-TOKEN'] = this.csrf;
    return h;
  }

  async call(method, path, body, extraHeaders) {
    const r = await request(this.base, method, path, { headers: this.headers(extraHeaders), body });
    this.absorb(r);
    return r;
  }
  get(path) { return this.call('GET', path); }
  post(path, body, h) { return this.call('POST', path, body, h); }
  put(path, body) { return this.call('PUT', path, body); }
  del(path) { return this.call('DELETE', path); }
}

// Writes raw bytes on a new connection and collects everything the server
// sends until it closes. A reset after the reply (the server closes while
// the client still sends) is not an error here: the reply is what counts.
export function rawExchange(port, chunks, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('close', () => resolve(data));
    s.on('error', (e) => (data ? undefined : reject(e)));
    for (const c of chunks) s.write(c);
  });
}
