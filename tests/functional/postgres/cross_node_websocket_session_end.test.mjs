// Two workbind nodes on one PostgreSQL database (CTest
// functional_postgres_cross_node_websocket_session_end):
// a WebSocket opened on node A with a user's cookie closes when that HTTP
// session ends through node B, and the cookie no longer opens one on A.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../lib/server.mjs';
import { Client } from '../lib/client.mjs';
import { openWs } from '../lib/raw_ws.mjs';

let nodeA, nodeB, socket;

before(async () => {
  assert.ok(process.env.WORKBIND_TEST_PG_DSN, 'WORKBIND_TEST_PG_DSN must name the test PostgreSQL server');
  nodeA = await new Server().start();
  nodeB = await new Server({ dataDir: nodeA.dataDir }).start();
});

after(async () => {
  socket?.close();
  await nodeB?.cleanup();
  await nodeA?.cleanup();
});

test('EndContactCenterSession through node B closes the WebSocket of that session on node A', async () => {
  const sam = new Client(nodeB.url, 'sam');
  await sam.login();
  socket = await openWs(nodeA.port, { Cookie: `JSESSIONID=${sam.cookie}` });
  assert.ok(socket.ws, `upgrade refused on A: ${socket.status}`);
  const hs = await socket.handshake();
  assert.equal(hs.successful, true, JSON.stringify(hs));
  socket.send([{ id: 's1', channel: '/meta/subscribe', clientId: hs.clientId, subscription: '/v2/me/**' }]);
  assert.equal((await socket.waitFor((m) => m.id === 's1')).successful, true);

  const end = await sam.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
  assert.equal(end.json.statusCode, 0, end.text);
  // Bounded: the announcement crosses the database within the documented
  // few seconds, or this fails instead of hanging.
  const closed = await socket.waitClosed(15000);
  assert.equal(closed.code, 1008);
  assert.equal((await openWs(nodeA.port, { Cookie: `JSESSIONID=${sam.cookie}` })).status, 401);
});
