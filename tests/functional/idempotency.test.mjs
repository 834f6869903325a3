// Idempotency-Key on POST operations (extensions.md §3): a retried Add is
// applied once and answered with the same reply; concurrent retries, another
// request under the same key, a failed first use, key format, and a replay
// across a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { ALICE_WB, TEAM_WB, WORKITEMS_IN } from './lib/workbins.mjs';

let server, alice;
before(async () => {
  server = await new Server().start();
  alice = await connectCometd(server.port, 'alice');
});
after(async () => {
  await alice?.disconnect();
  await server?.cleanup();
});

async function create() {
  const r = await alice.rest.post('/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}
const addWith = (key, id, workbin = ALICE_WB, client = alice.rest) =>
  client.post(`/api/v2/workbins/${workbin}`, { operationName: 'AddWorkitem', id }, { 'Idempotency-Key': key });
const contentChanges = (id) => alice.messages.filter((m) => m.data.messageType === 'WorkbinContentChanged' &&
  m.data.interaction?.id === id).length;

test('the same Add twice: applied once, same reply and referenceId, marked replayed', async () => {
  const id = await create();
  const first = await addWith('add-7f3a', id);
  assert.equal(first.json.statusCode, 0, first.text);
  assert.equal(first.headers.get('idempotent-replayed'), null);
  await alice.waitFor((m) => m.data.messageType === 'WorkbinContentChanged' && m.data.interaction?.id === id);
  // Whitespace and key order of the body do not matter.
  const retry = await fetch(`${server.url}/api/v2/workbins/${ALICE_WB}`, {
    method: 'POST',
    headers: { ...alice.rest.headers(), 'Content-Type': 'application/json', 'Idempotency-Key': 'add-7f3a' },
    body: `{ "id" : "${id}",   "operationName":"AddWorkitem" }`,
  });
  assert.equal(retry.status, 200);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  assert.equal(await retry.text(), first.text);
  // Without the key the retry fails: it is already in a workbin.
  const plain = await alice.rest.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id });
  assert.equal(plain.json.statusCode, 19, plain.text);
  // Another request under the same key is refused.
  const again = await addWith('add-7f3a', await create());
  assert.equal(again.status, 409);
  assert.equal(again.json.statusCode, 19);
  assert.match(again.json.statusMessage, /was used for a different request/);
  // One change, one notification.
  const stats = await alice.rest.post(`/api/v2/me/workbins/${ALICE_WB}`, { operationName: 'RequestStats' });
  await alice.waitFor((m) => m.data.referenceId === stats.json.referenceId);
  assert.equal(contentChanges(id), 1);
});

test('concurrent retries with one key: one runs, the others replay or are told it is in progress', async () => {
  const id = await create();
  const clients = [];
  for (let i = 0; i < 4; i++) {
    const c = new Client(server.url, 'alice');
    await c.login();
    clients.push(c);
  }
  const replies = await Promise.all(clients.map((c) => addWith('same-key-1', id, ALICE_WB, c)));
  const ok = replies.filter((r) => r.json.statusCode === 0);
  const busy = replies.filter((r) => r.json.statusCode === 19);
  assert.equal(ok.length + busy.length, 4, replies.map((r) => r.text).join(' | '));
  assert.ok(ok.length >= 1);
  const refs = new Set(ok.map((r) => r.json.referenceId));
  assert.equal(refs.size, 1, 'every success carries the same referenceId');
  assert.equal(ok.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1, 'exactly one ran');
  for (const r of busy) assert.match(r.json.statusMessage, /is in progress/);
  const later = await addWith('same-key-1', id, ALICE_WB, clients[0]);
  assert.equal(later.json.referenceId, [...refs][0]);
});

test('a failed first use stores nothing; keys are per user and checked', async () => {
  const id = await create();
  const failed = await addWith('retry-after-fix', '0123456789abcdef0123456789abcdef');
  assert.equal(failed.json.statusCode, 6);
  // Same key, other body: processed as new.
  const fixed = await addWith('retry-after-fix', id);
  assert.equal(fixed.json.statusCode, 0, fixed.text);
  // bob's key space is his own: the same key is new for him.
  const bob = new Client(server.url, 'bob');
  const stats = await bob.post(`/api/v2/me/workbins/56850484-16fe-55a4-b96a-d6c32c067e5b`, { operationName: 'RequestStats' },
    { 'Idempotency-Key': 'retry-after-fix' });
  assert.equal(stats.json.statusCode, 0, stats.text);
  for (const bad of ['', 'x'.repeat(256), 'tab\there', 'é']) {
    const r = await fetch(`${server.url}/api/v2/workbins/${TEAM_WB}`, {
      method: 'POST',
      headers: { ...alice.rest.headers(), 'Content-Type': 'application/json', 'Idempotency-Key': bad },
      body: JSON.stringify({ operationName: 'RequestStats' }),
    }).catch(() => null);
    if (!r) continue;  // fetch itself refuses some header values
    const j = await r.json();
    assert.equal(r.status, 400, JSON.stringify(j));
    assert.equal(j.statusCode, 10);
  }
});

test('a stored reply is replayed after a restart', async () => {
  const id = await create();
  const first = await addWith('across-restart', id);
  assert.equal(first.json.statusCode, 0);
  await server.restart();
  const c = new Client(server.url, 'alice');
  await c.login();
  const again = await addWith('across-restart', id, ALICE_WB, c);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text);
});
