// A user may hold at most 1000 workbin subscriptions (workbins.md §3.8): the
// 1001st is refused with 400 statusCode 10 and changes nothing; a
// resubscription of a held pair is still fine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from './lib/server.mjs';
import { Client } from './lib/client.mjs';

let server, dir;
before(async () => {
  // 1001 more Agent workbin definitions: alice gets 1002 workbins.
  const demo = readDemo();
  for (let i = 0; i < 1001; i++)
    demo.contactCenters[0].workbins.push({ name: `wb-${String(i).padStart(4, '0')}`, type: 'Agent' });
  dir = mkdtempSync(join(tmpdir(), 'wb-limit-'));
  writeFileSync(join(dir, 'provisioning.json'), JSON.stringify(demo));
  server = await new Server({ provision: join(dir, 'provisioning.json') }).start();
});
after(async () => {
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('1000 subscriptions are allowed, the 1001st is refused', async () => {
  const alice = new Client(server.url, 'alice');
  const list = await alice.get('/api/v2/me/workbins?fields=id,name');
  const ids = list.json.workbins.filter((w) => w.name.startsWith('wb-')).map((w) => w.id);
  assert.equal(ids.length, 1001);
  for (let i = 0; i < 1000; i += 100) {
    const r = await alice.post(`/api/v2/me/workbins?workbinIds=${ids.slice(i, i + 100).join(',')}`, { operationName: 'Subscribe' });
    assert.equal(r.json.statusCode, 0, r.text);
    assert.equal(Object.keys(r.json.referenceIds).length, 100);
  }
  const again = await alice.post(`/api/v2/me/workbins/${ids[0]}`, { operationName: 'Subscribe' });
  assert.equal(again.json.statusCode, 0, `a held pair is not a new subscription: ${again.text}`);

  const over = await alice.post(`/api/v2/me/workbins/${ids[1000]}`, { operationName: 'Subscribe' });
  assert.equal(over.status, 400);
  assert.equal(over.json.statusCode, 10);
  assert.match(over.json.statusMessage, /1000 workbin subscriptions/);
  // All or nothing: a batch that would cross the limit subscribes none.
  const batch = await alice.post(`/api/v2/me/workbins?workbinIds=${ids[999]},${ids[1000]}`, { operationName: 'Subscribe' });
  assert.equal(batch.json.statusCode, 10, batch.text);
  // Unsubscribing one frees a place.
  const un = await alice.post(`/api/v2/me/workbins/${ids[5]}`, { operationName: 'Unsubscribe' });
  assert.equal(un.json.statusCode, 0, un.text);
  const now = await alice.post(`/api/v2/me/workbins/${ids[1000]}`, { operationName: 'Subscribe' });
  assert.equal(now.json.statusCode, 0, now.text);
});
