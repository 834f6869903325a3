// HTTPS and WSS on the listener (server.tls.*), the SIGHUP certificate reload,
// Secure cookies under TLS, the refusals of bad TLS files at start, and
// server.adminListen. The certificates are made at test time with openssl and
// trusted explicitly (the `ca` option), never by turning verification off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, runBinary, DEMO_PROVISIONING } from './lib/server.mjs';
import { basic, request } from './lib/client.mjs';
import { fingerprintOf, httpsRequest, makeCertificate, tlsHandshake } from './lib/tls.mjs';

let dir;
let first;   // the certificate the server starts with
let second;  // the one a reload installs
let files;   // the files named in the settings
let server;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbind-tls-'));
  first = makeCertificate(dir, 'first');
  second = makeCertificate(dir, 'second');
  files = { certificateFile: join(dir, 'cert.pem'), privateKeyFile: join(dir, 'key.pem') };
  copyFileSync(first.certificateFile, files.certificateFile);
  copyFileSync(first.privateKeyFile, files.privateKeyFile);
  server = await new Server({ tls: files, adminListen: true }).start();
});
after(async () => {
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ca = () => [first.cert, second.cert];
const hostPort = () => ({ host: '127.0.0.1', port: server.port });

test('signs in over HTTPS with Basic; the JSESSIONID cookie is Secure; a REST operation works', async () => {
  assert.match(server.url, /^https:/);
  const login = await httpsRequest(`${server.url}/api/v2/me`, { ca: ca(), headers: { Authorization: basic('alice') } });
  assert.equal(login.status, 200, login.text);
  const cookie = login.headers['set-cookie'].find((c) => c.startsWith('JSESSIONID='));
  assert.ok(cookie, JSON.stringify(login.headers['set-cookie']));
  assert.match(cookie, /;\s*Secure(;|$)/i);
  const session = cookie.split(';')[0];
  const csrf = login.headers['x-csrf-token'];
  assert.ok(csrf);

  const started = await httpsRequest(`${server.url}/api/v2/me`, {
    ca: ca(), method: 'POST', headers: { Cookie: session, 'X-CSRF-TOKEN': csrf },
    body: { operationName: 'StartContactCenterSession', channels: ['workitem'] },
  });
  assert.equal(started.status, 200, started.text);
  assert.equal(started.json.statusCode, 0);
  const me = await httpsRequest(`${server.url}/api/v2/me?subresources=*`, { ca: ca(), headers: { Cookie: session } });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.userName, 'alice');

  // The CometD browser cookie is Secure too.
  const hs = await httpsRequest(`${server.url}/api/v2/notifications/handshake`, {
    ca: ca(), method: 'POST', headers: { Cookie: session },
    body: [{ id: '1', channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }],
  });
  assert.equal(hs.status, 200, hs.text);
  assert.equal(hs.json[0].successful, true, hs.text);
  const browser = hs.headers['set-cookie'].find((c) => c.startsWith('BAYEUX_BROWSER='));
  assert.match(browser, /;\s*Secure(;|$)/i);
});

test('plain HTTP on the TLS port gets no HTTP reply', async () => {
  const data = await new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1');
    let got = Buffer.alloc(0);
    s.on('data', (d) => (got = Buffer.concat([got, d])));
    s.on('close', () => resolve(got));
    s.on('error', (e) => (e.code === 'ECONNRESET' ? resolve(got) : reject(e)));
    s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
  assert.ok(!data.toString('latin1').startsWith('HTTP/'), `got an HTTP reply: ${data.toString('latin1')}`);
});

test('a connection that never completes the TLS handshake is closed (header timeout)', async () => {
  const quick = await new Server({ tls: files, settings: { http: { headerTimeoutSeconds: 1 } } }).start();
  try {
    // Silent, and stalled in the middle of a ClientHello record.
    for (const bytes of ['', '\x16\x03\x01\x02\x00\x01']) {
      const closed = await new Promise((resolve, reject) => {
        const s = net.connect(quick.port, '127.0.0.1');
        const timer = setTimeout(() => {
          s.destroy();
          reject(new Error('still open after 8 s'));
        }, 8000);
        s.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
        s.on('error', () => {});
        if (bytes) s.write(Buffer.from(bytes, 'latin1'));
      });
      assert.equal(closed, true);
    }
    // The server still serves.
    const r = await httpsRequest(`${quick.url}/healthz`, { ca: ca() });
    assert.equal(r.status, 200);
  } finally {
    await quick.cleanup();
  }
});

// Requests written back to back reach the server as separate TLS records in
// one TCP segment: after the first one the rest sits decrypted or still
// encrypted inside the TLS layer, where no socket readiness announces it.
test('pipelined requests over TLS are all answered, in order, then the connection closes', async () => {
  const data = await new Promise((resolve, reject) => {
    const s = tls.connect({ ...hostPort(), ca: ca() }, () => {
      s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      s.write('GET /healthz?second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      s.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    });
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d) => (got += d));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
  const statuses = data.match(/HTTP\/1\.1 \d+/g);
  assert.deepEqual(statuses, ['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200'], data);
  assert.match(data, /"status":"ok"[\s\S]*"status":"ok"[\s\S]*"status":"ready"/);
});

test('TLS 1.2 and 1.3 only, with the intermediate TLS 1.2 ciphers', async (t) => {
  const v13 = await tlsHandshake({ ...hostPort(), ca: ca() });
  assert.equal(v13.protocol, 'TLSv1.3');
  const v12 = await tlsHandshake({ ...hostPort(), ca: ca(), maxVersion: 'TLSv1.2' });
  assert.equal(v12.protocol, 'TLSv1.2');
  assert.match(v12.cipher, /^ECDHE-ECDSA-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$/);
  // A CBC suite is not offered.
  await assert.rejects(
    tlsHandshake({ ...hostPort(), ca: ca(), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' }),
    (e) => /handshake failure|alert/i.test(e.message) || e.code === 'ECONNRESET',
  );
  // TLS 1.1: the client must be allowed to offer it (security level 0); the
  // server then refuses with a protocol_version alert.
  try {
    const old = await tlsHandshake({
      ...hostPort(), ca: ca(), minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0',
    });
    assert.fail(`TLS 1.1 was accepted: ${JSON.stringify(old)}`);
  } catch (e) {
    if (e.code === 'ERR_SSL_NO_PROTOCOLS_AVAILABLE' || /no protocols available/i.test(e.message)) {
      t.diagnostic('the local OpenSSL cannot offer TLS 1.1; checked only the negotiated versions above');
      return;
    }
    assert.match(`${e.code} ${e.message}`, /protocol version|PROTOCOL_VERSION|unsupported protocol/i);
  }
});

test('SIGHUP: new connections get the new certificate, an open keep-alive connection goes on', async () => {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca() });
  try {
    const before = await httpsRequest(`${server.url}/healthz`, { agent });
    assert.equal(before.status, 200);
    assert.equal(before.fingerprint, fingerprintOf(first.cert));
    assert.equal((await tlsHandshake({ ...hostPort(), ca: ca() })).fingerprint, fingerprintOf(first.cert));

    writeFileSync(files.certificateFile, second.cert);
    writeFileSync(files.privateKeyFile, second.key);
    const from = server.output.length;
    server.proc.kill('SIGHUP');
    await server.waitForOutput(/TLS certificate reloaded/, { from });

    assert.equal((await tlsHandshake({ ...hostPort(), ca: ca() })).fingerprint, fingerprintOf(second.cert));
    const again = await httpsRequest(`${server.url}/healthz`, { agent });
    assert.equal(again.status, 200);
    assert.equal(again.reused, true, 'the keep-alive connection was not reused');
    assert.equal(again.fingerprint, fingerprintOf(first.cert));
  } finally {
    agent.destroy();
  }
});

test('SIGHUP with a bad key logs the setting and keeps the current certificate', async () => {
  const current = (await tlsHandshake({ ...hostPort(), ca: ca() })).fingerprint;
  writeFileSync(files.privateKeyFile, 'not a key\n');
  const from = server.output.length;
  server.proc.kill('SIGHUP');
  await server.waitForOutput(/TLS reload failed.*settings: \/server\/tls\/privateKeyFile: /, { from });
  assert.equal((await tlsHandshake({ ...hostPort(), ca: ca() })).fingerprint, current);
  const r = await httpsRequest(`${server.url}/healthz`, { ca: ca() });
  assert.equal(r.status, 200);
  assert.equal(server.proc.exitCode, null);
});

test('adminListen serves /healthz, /readyz and /metrics in plain HTTP, 404 for the API', async () => {
  assert.match(server.adminUrl, /^http:/);
  const health = await request(server.adminUrl, 'GET', '/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(health.json, { statusCode: 0, status: 'ok' });
  const ready = await request(server.adminUrl, 'GET', '/readyz');
  assert.equal(ready.status, 200);
  const metrics = await request(server.adminUrl, 'GET', '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.text, /^# (HELP|TYPE) /m);
  const me = await request(server.adminUrl, 'GET', '/api/v2/me', { headers: { Authorization: basic('alice') } });
  assert.equal(me.status, 404);
  assert.equal(me.json.statusCode, 6, me.text);
  assert.equal(typeof me.json.statusMessage, 'string');
  assert.equal(me.headers.get('set-cookie'), null);
});

test('SIGHUP without TLS is logged and ignored', async () => {
  const plain = await new Server().start();
  try {
    const from = plain.output.length;
    plain.proc.kill('SIGHUP');
    await plain.waitForOutput(/SIGHUP: no TLS configured/, { from });
    const r = await request(plain.url, 'GET', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(plain.proc.exitCode, null);
  } finally {
    await plain.cleanup();
  }
});

// Starts the binary with the given TLS files; resolves {code, stderr}.
async function startWith(tls) {
  const config = join(dir, `bad-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(config, JSON.stringify({ server: { listen: '127.0.0.1:0', tls } }));
  return runBinary(['--config', config, '--data-dir', join(dir, 'bad-db'), '--provision', DEMO_PROVISIONING]);
}

test('bad TLS files stop the start with exit status 2 and one line naming the setting', async () => {
  const garbage = join(dir, 'garbage.pem');
  writeFileSync(garbage, 'not PEM at all\n');
  const cases = [
    [{ certificateFile: first.certificateFile, privateKeyFile: garbage },
      /^settings: \/server\/tls\/privateKeyFile: .*garbage\.pem holds no unencrypted PEM private key/],
    [{ certificateFile: garbage, privateKeyFile: first.privateKeyFile },
      /^settings: \/server\/tls\/certificateFile: .*garbage\.pem holds no PEM certificate/],
    [{ certificateFile: join(dir, 'absent.pem'), privateKeyFile: first.privateKeyFile },
      /^settings: \/server\/tls\/certificateFile: cannot read .*absent\.pem: No such file or directory$/],
    [{ certificateFile: first.certificateFile, privateKeyFile: join(dir, 'absent-key.pem') },
      /^settings: \/server\/tls\/privateKeyFile: cannot read .*absent-key\.pem: No such file or directory$/],
    [{ certificateFile: first.certificateFile, privateKeyFile: second.privateKeyFile },
      /^settings: \/server\/tls\/privateKeyFile: does not match \/server\/tls\/certificateFile$/],
    [{ certificateFile: first.certificateFile },
      /^settings: \/server\/tls\/privateKeyFile: required with \/server\/tls\/certificateFile$/],
  ];
  for (const [tls, line] of cases) {
    const r = await startWith(tls);
    assert.equal(r.code, 2, `${JSON.stringify(tls)}: ${r.stderr}${r.stdout}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], line);
  }
});
