// GET /api/v2/openapi.json: public, an OpenAPI 3.1.0 document (no statusCode
// wrapper), and every route it lists is one the server answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { request } from './lib/client.mjs';

let server;
before(async () => { server = await new Server().start(); });
after(async () => { await server?.cleanup(); });

test('served without authentication as a bare OpenAPI 3.1.0 document', async () => {
  const r = await request(server.url, 'GET', '/api/v2/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.json.openapi, '3.1.0');
  assert.equal(r.json.statusCode, undefined);
  assert.deepEqual(r.json.components.schemas.Error.required, ['statusCode', 'statusMessage']);
});

test('every listed route is answered: public ones with 200, the others ask for credentials', async () => {
  const doc = (await request(server.url, 'GET', '/api/v2/openapi.json')).json;
  let checked = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    const concrete = path.replace(/\{[^}]+\}/g, '0123456789abcdef0123456789abcdef');
    for (const [method, op] of Object.entries(item)) {
      const r = await request(server.url, method.toUpperCase(), concrete, method === 'get' ? {} : { body: {} });
      if (op.security.length === 0) assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
      else assert.equal(r.status, 401, `${method} ${path} should need credentials: ${r.status} ${r.text}`);
      checked++;
    }
  }
  assert.ok(checked > 50, `${checked} routes`);
  // And a route that does not exist is a 404, so the 401s above are real.
  const none = await request(server.url, 'GET', '/api/v2/no-such-thing');
  assert.equal(none.status, 404);
});
