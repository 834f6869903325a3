// Workbin content paging, sorting, filtering and counting (extensions.md §1):
// a 10,000-item workbin walked with limit=50 while another connection adds
// and pulls, the orders and filters on a small workbin, count=true, and the
// refused parameters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { ALICE_WB, TEAM_WB, WORKITEMS_IN } from './lib/workbins.mjs';

let server;
before(async () => { server = await new Server().start(); });
after(async () => { await server?.cleanup(); });

const ITEMS = Number(process.env.WORKBIND_PAGING_ITEMS ?? 10000);

async function createIn(client, workbin, extra = {}, path = '/api/v2/me/workitems') {
  const c = await client.post(path, { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, ...extra });
  assert.equal(c.json.statusCode, 0, c.text);
  const a = await client.post(`/api/v2/workbins/${workbin}`, { operationName: 'AddInteraction', id: c.json.id });
  assert.equal(a.json.statusCode, 0, a.text);
  return c.json.id;
}

// Runs `fn(i)` for i < n on `clients`, each client with `depth` requests in
// flight (the server commits them in groups).
async function parallel(n, clients, depth, fn) {
  let next = 0;
  const lanes = [];
  for (const c of clients)
    for (let d = 0; d < depth; d++)
      lanes.push((async () => { while (next < n) { const i = next++; await fn(c, i); } })());
  await Promise.all(lanes);
}

test(`walking ${ITEMS} items with limit=50 while others add and pull: every stable item exactly once`, async () => {
  const writers = [];
  for (let i = 0; i < 4; i++) {
    const w = new Client(server.url, 'alice');
    await w.login();
    writers.push(w);
  }
  const stable = new Set();
  await parallel(ITEMS, writers, 8, async (c) => stable.add(await createIn(c, TEAM_WB)));
  const churnable = [];
  await parallel(300, writers, 8, async (c) => churnable.push(await createIn(c, TEAM_WB)));

  const count = await writers[0].get(`/api/v2/workbins/${TEAM_WB}/workitems?count=true`);
  assert.deepEqual(count.json, { statusCode: 0, totalCount: ITEMS + 300 });

  const bob = new Client(server.url, 'bob');
  await bob.login();
  const churner = new Client(server.url, 'alice');
  await churner.login();
  let walking = true;
  const churn = (async () => {
    // Pull the churnable items and add new ones, interleaved, until the walk ends.
    let k = 0;
    while (walking) {
      const id = churnable[k++ % churnable.length];
      await churner.post(`/api/v2/workbins/${TEAM_WB}`, { operationName: 'PullWorkitem', id });
      await createIn(churner, TEAM_WB);
    }
  })();

  const seen = new Map();
  let cursor, pages = 0;
  do {
    const q = `limit=50&fields=id${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await bob.get(`/api/v2/workbins/${TEAM_WB}/workitems?${q}`);
    assert.equal(r.json.statusCode, 0, r.text);
    assert.ok(r.json.workitems.length <= 50);
    assert.ok(Number.isInteger(r.json.totalCount));
    for (const w of r.json.workitems) seen.set(w.id, (seen.get(w.id) ?? 0) + 1);
    cursor = r.json.nextCursor;
    pages++;
  } while (cursor);
  walking = false;
  await churn;

  const twice = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no item seen twice');
  const missed = [...stable].filter((id) => !seen.has(id));
  assert.deepEqual(missed, [], 'every stable item seen');
  assert.ok(pages >= ITEMS / 50, `${pages} pages`);
});

test('sorts, filters and counts on a small workbin', async () => {
  const alice = new Client(server.url, 'alice');
  await alice.login();
  // Received in this order; Priority: numbers, strings, missing.
  const specs = [{ Priority: 2 }, { Priority: 'high' }, {}, { Priority: 10 }, { Priority: 2 }, { Priority: 'aaa' }];
  const ids = [];
  for (const userData of specs) ids.push(await createIn(alice, ALICE_WB, { userData }));
  const email = await createIn(alice, ALICE_WB, { userData: { Priority: 1 } }, '/api/v2/me/emails');
  const get = async (q) => {
    const r = await alice.get(`/api/v2/workbins/${ALICE_WB}?${q}`);
    assert.equal(r.json.statusCode, 0, `${q}: ${r.text}`);
    return r.json;
  };
  const order = (json) => [...(json.workbin.emails ?? []), ...(json.workbin.workitems ?? [])]
    .map((i) => i.id);

  // Default: receivedDate ascending, every media; paging params imply subresources=*.
  let r = await get('limit=100');
  assert.equal(r.totalCount, 7);
  assert.deepEqual(r.workbin.workitems.map((i) => i.id), ids);
  assert.deepEqual(r.workbin.emails.map((i) => i.id), [email]);
  assert.equal(r.nextCursor, undefined);
  r = await get('sort=-receivedDate&mediaType=workitem&limit=2');
  assert.deepEqual(r.workbin.workitems.map((i) => i.id), [ids[5], ids[4]]);
  assert.equal(r.workbin.emails, undefined);
  assert.equal(r.totalCount, 6);
  const page2 = await get(`sort=-receivedDate&mediaType=workitem&limit=2&cursor=${encodeURIComponent(r.nextCursor)}`);
  assert.deepEqual(page2.workbin.workitems.map((i) => i.id), [ids[3], ids[2]]);

  // userData sort: numbers (numerically) before strings (bytes), missing last; ties by id.
  const byPriority = [...[0, 4].map((i) => ids[i]).sort(), ids[3], ids[5], ids[1], ids[2]];
  r = await get('sort=userData.Priority&mediaType=workitem');
  assert.deepEqual(r.workbin.workitems.map((i) => i.id), byPriority);
  r = await get('sort=-userData.Priority&mediaType=workitem');
  const desc = [ids[3], ...[0, 4].map((i) => ids[i]).sort().reverse(), ids[1], ids[5], ids[2]];
  assert.deepEqual(r.workbin.workitems.map((i) => i.id), desc);
  // Paging a userData sort with a cursor continues the same order.
  let walked = [], cursor;
  do {
    const p = await get(`sort=userData.Priority&mediaType=workitem&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    walked.push(...p.workbin.workitems.map((i) => i.id));
    cursor = p.nextCursor;
  } while (cursor);
  assert.deepEqual(walked, byPriority);

  // Filters: userData value (string or number text), state, media.
  r = await get('userData.Priority=2');
  assert.equal(r.totalCount, 2);
  assert.deepEqual(order(r).sort(), [ids[0], ids[4]].sort());
  r = await get('userData.Priority=high&mediaType=workitem');
  assert.deepEqual(order(r), [ids[1]]);
  r = await get('state=Processing');
  assert.equal(r.totalCount, 0);
  r = await get('state=InWorkbin,Processing&mediaType=email');
  assert.deepEqual(order(r), [email]);

  // count=true: totals without items.
  r = await get('count=true');
  assert.equal(r.totalCount, 7);
  assert.deepEqual(r.counts, { workitems: 6, emails: 1 });
  assert.equal(r.workbin.workitems, undefined);
  assert.equal(r.workbin.id, ALICE_WB);
  const media = await alice.get(`/api/v2/workbins/${ALICE_WB}/emails?count=true`);
  assert.deepEqual(media.json, { statusCode: 0, totalCount: 1 });
  const uris = await alice.get(`/api/v2/workbins/${ALICE_WB}/workitems?limit=1`);
  assert.equal(uris.json.uris.length, 1);
  assert.equal(uris.json.totalCount, 6);
  assert.ok(uris.json.nextCursor);
});

test('refused parameters: 400 statusCode 10 naming the parameter, nothing else', async () => {
  const alice = new Client(server.url, 'alice');
  await alice.login();
  const first = await alice.get(`/api/v2/workbins/${ALICE_WB}?limit=1`);
  const cursor = first.json.nextCursor;
  assert.ok(cursor);
  const forged = cursor.slice(0, -2) + (cursor.endsWith('AA') ? 'AB' : 'AA');
  const cases = [
    ['limit=0', 'limit'], ['limit=5000', 'limit'], ['limit=abc', 'limit'],
    ['sort=priority', 'sort'], ['mediaType=fax', 'mediaType'], ['state=Waiting', 'state'],
    ['count=yes', 'count'], [`cursor=${encodeURIComponent(forged)}`, 'cursor'],
    [`cursor=garbage`, 'cursor'],
    // A cursor of another query (other sort) or another collection.
    [`sort=-receivedDate&cursor=${encodeURIComponent(cursor)}`, 'cursor'],
  ];
  for (const [q, name] of cases) {
    const r = await alice.get(`/api/v2/workbins/${ALICE_WB}?${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.equal(r.json.statusCode, 10, `${q}: ${r.text}`);
    assert.match(r.json.statusMessage, new RegExp(`'${name}`), q);
  }
  const other = await alice.get(`/api/v2/workbins/${ALICE_WB}/workitems?cursor=${encodeURIComponent(cursor)}`);
  assert.equal(other.json.statusCode, 10, 'cursor of the whole workbin on a media read');
  const multi = await alice.get(`/api/v2/workbins?workbinIds=${ALICE_WB}&limit=5`);
  assert.equal(multi.status, 400);
  assert.equal(multi.json.statusCode, 10);
});

test('a cursor stays valid across a restart', async () => {
  const alice = new Client(server.url, 'alice');
  await alice.login();
  const q = `mediaType=workitem&limit=2`;
  const first = await alice.get(`/api/v2/workbins/${ALICE_WB}?${q}`);
  assert.ok(first.json.nextCursor, first.text);
  await server.restart();
  const again = new Client(server.url, 'alice');
  await again.login();
  const next = await again.get(`/api/v2/workbins/${ALICE_WB}?${q}&cursor=${encodeURIComponent(first.json.nextCursor)}`);
  assert.equal(next.json.statusCode, 0, next.text);
  const all = await again.get(`/api/v2/workbins/${ALICE_WB}?mediaType=workitem`);
  const ids = (r) => r.json.workbin.workitems.map((i) => i.id);
  assert.deepEqual([...ids(first), ...ids(next)], ids(all).slice(0, 4));
});
