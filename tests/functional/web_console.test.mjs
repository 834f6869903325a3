// The web console's static files from the real binary (conventions §1.1):
// "/" and an asset with their content types and caching headers, the
// single-page-app fallback, no way out of web.root (encoded dots, encoded
// slashes, backslashes, symbolic links), 404 for missing files, GET/HEAD
// only, and web.enabled false. The files are a small folder made here, so
// this test does not depend on the console's build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from './lib/server.mjs';
import { request, basic } from './lib/client.mjs';

const INDEX = '<!doctype html><title>console</title>';
const ASSET = 'export const x = 1;\n';
let dir, server, off;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbind-web-'));
  const root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-4f9c2a1b.js'), ASSET);
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'outside', 'secret.txt'), 'top secret');
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(join(dir, 'outside'), join(root, 'out'));
  server = await new Server({ settings: { web: { root } } }).start();
  off = await new Server({ settings: { web: { enabled: false, root } } }).start();
});

after(async () => {
  await server?.cleanup();
  await off?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

// One request with the target sent exactly as written (fetch would
// normalise dots and backslashes). Returns {status, headers, body}.
function raw(port, method, target) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.on('data', (c) => (data += c.toString('latin1')));
    sock.on('error', reject);
    sock.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(lines[0].split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    sock.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

test('/ is index.html, assets carry their type and a long cache', async () => {
  const index = await request(server.url, 'GET', '/');
  assert.equal(index.status, 200);
  assert.equal(index.text, INDEX);
  assert.equal(index.headers.get('content-type'), 'text/html;charset=utf-8');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  const etag = index.headers.get('etag');
  assert.ok(etag);
  const again = await request(server.url, 'GET', '/', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');

  const js = await request(server.url, 'GET', '/assets/index-4f9c2a1b.js');
  assert.equal(js.status, 200);
  assert.equal(js.text, ASSET);
  assert.equal(js.headers.get('content-type'), 'text/javascript;charset=utf-8');
  assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const svg = await request(server.url, 'GET', '/favicon.svg');
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.equal(svg.headers.get('cache-control'), 'no-cache');

  const head = await raw(server.port, 'HEAD', '/assets/index-4f9c2a1b.js');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], String(ASSET.length));
  assert.equal(head.body, '');
});

test('console routes fall back to index.html; missing files are 404', async () => {
  for (const path of ['/agent', '/supervisor/team']) {
    const r = await request(server.url, 'GET', path);
    assert.equal(r.status, 200, path);
    assert.equal(r.text, INDEX, path);
  }
  const missing = await request(server.url, 'GET', '/assets/gone.js');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json, { statusCode: 6, statusMessage: 'No such resource: /assets/gone.js' });
});

test('nothing outside web.root can be reached', async () => {
  for (const target of [
    '/../outside/secret.txt',
    '/%2e%2e/outside/secret.txt',
    '/assets/%2E%2E/%2E%2E/outside/secret.txt',
    '/..%2Foutside%2Fsecret.txt',
    '/%2Ftmp%2Fsecret.txt',
    '/..%5Coutside%5Csecret.txt',
    '/..\\outside\\secret.txt',
    '/leak.txt',
    '/out/secret.txt',
  ]) {
    const r = await raw(server.port, 'GET', target);
    assert.equal(r.status, 404, target);
    assert.ok(!r.body.includes('top secret'), target);
    assert.equal(JSON.parse(r.body).statusCode, 6, target);
  }
  // An absolute-form target names the path only.
  const abs = await raw(server.port, 'GET', `http://127.0.0.1:${server.port}/favicon.svg`);
  assert.ok(!abs.body.includes('top secret'));
});

test('only GET and HEAD; the API and its errors are untouched', async () => {
  const post = await request(server.url, 'POST', '/', { body: {} });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  assert.equal(post.json.statusCode, 3);
  const del = await request(server.url, 'DELETE', '/favicon.svg');
  assert.equal(del.status, 405);

  const me = await request(server.url, 'GET', '/api/v2/me', { headers: { Authorization: basic('alice') } });
  assert.equal(me.status, 200);
  const unknown = await request(server.url, 'GET', '/api/v2/nope');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.statusCode, 6);
  const health = await request(server.url, 'GET', '/healthz');
  assert.deepEqual(health.json, { statusCode: 0, status: 'ok' });
});

test('web.enabled false: static paths are unknown routes', async () => {
  for (const path of ['/', '/assets/index-4f9c2a1b.js', '/agent']) {
    const r = await request(off.url, 'GET', path);
    assert.equal(r.status, 404, path);
    assert.equal(r.json.statusCode, 6, path);
  }
});
