// GET /metrics (extensions.md §5.1) in the Prometheus text format, read
// with a small parser: every family of the spec with its type, counters
// that move by exactly the requests made, histogram invariants, the CometD
// gauges, the commit histograms, offers and queued interactions, replay
// requests; and metrics.enabled false answering 404/6. Also /healthz and
// /readyz (§5.2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { WORKITEMS_IN } from './lib/workbins.mjs';

const FAMILIES = {
  workbind_http_requests_total: 'counter',
  workbind_http_request_duration_seconds: 'histogram',
  workbind_operations_total: 'counter',
  workbind_cometd_sessions: 'gauge',
  workbind_cometd_held_connects: 'gauge',
  workbind_cometd_queued_messages: 'gauge',
  workbind_cometd_messages_delivered_total: 'counter',
  workbind_cometd_sessions_ended_total: 'counter',
  workbind_notifications_total: 'counter',
  workbind_replay_requests_total: 'counter',
  workbind_idempotent_replays_total: 'counter',
  workbind_routing_offers_total: 'counter',
  workbind_interactions_queued: 'gauge',
  workbind_db_transaction_duration_seconds: 'histogram',
  workbind_db_commit_batch_size: 'histogram',
  workbind_http_sessions: 'gauge',
  workbind_auth_password_verifications_total: 'counter',
  workbind_auth_failures_total: 'counter',
  workbind_auth_throttled_total: 'counter',
};

// Parses the text format 0.0.4: {types: {family: type}, samples: [{name, labels, value}]}.
function parse(text) {
  const types = {};
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types[name] = type;
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/);
    assert.ok(m, `bad sample line: ${line}`);
    const labels = {};
    if (m[2]) {
      const body = m[2].slice(1, -1);
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/g;
      let consumed = 0;
      for (const l of body.matchAll(re)) {
        labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
        consumed += l[0].length;
      }
      assert.equal(consumed, body.length, `bad labels: ${line}`);
    }
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    assert.ok(!Number.isNaN(value), `bad value: ${line}`);
    samples.push({ name: m[1], labels, value });
  }
  return { types, samples };
}

const sameLabels = (a, b) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);

// The value of one sample (0 when absent: a labeled child not created yet).
function value(page, name, labels = {}) {
  const s = page.samples.find((x) => x.name === name && sameLabels(x.labels, labels));
  return s ? s.value : 0;
}

function sum(page, name, labels = {}) {
  return page.samples
    .filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))
    .reduce((a, x) => a + x.value, 0);
}

// Checks the invariants of one histogram child and returns its count.
function checkHistogram(page, name, labels = {}) {
  const buckets = page.samples
    .filter((x) => x.name === `${name}_bucket` && sameLabels({ ...x.labels, le: undefined }, { ...labels, le: undefined }))
    .map((x) => ({ le: x.labels.le === '+Inf' ? Infinity : Number(x.labels.le), v: x.value }));
  assert.ok(buckets.length >= 2, `${name} has buckets`);
  assert.equal(buckets.at(-1).le, Infinity, `${name}: +Inf bucket last`);
  for (let i = 1; i < buckets.length; ++i) {
    assert.ok(buckets[i].le > buckets[i - 1].le, `${name}: bounds increase`);
    assert.ok(buckets[i].v >= buckets[i - 1].v, `${name}: buckets are cumulative`);
  }
  const count = value(page, `${name}_count`, labels);
  assert.equal(buckets.at(-1).v, count, `${name}: +Inf == count`);
  assert.ok(value(page, `${name}_sum`, labels) >= 0);
  return count;
}

let server, feeder, alice;

async function scrape(s = server) {
  const r = await fetch(`${s.url}/metrics`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parse(await r.text());
}

async function ok(client, path, body) {
  const r = await client.post(path, body);
  assert.equal(r.json?.statusCode, 0, `${path} ${JSON.stringify(body)}: ${r.text}`);
  return r.json;
}

before(async () => {
  server = await new Server().start();
  feeder = new Client(server.url, 'feeder');
  alice = new Client(server.url, 'alice');
  await alice.login();
});

after(async () => {
  await server?.cleanup();
});

test('every family of the specification, with its type and no tenant labels', async () => {
  const page = await scrape();
  for (const [name, type] of Object.entries(FAMILIES)) assert.equal(page.types[name], type, name);
  for (const s of page.samples) {
    for (const forbidden of ['contact_center', 'user', 'user_id', 'interaction', 'interaction_id'])
      assert.equal(s.labels[forbidden], undefined, `${s.name} has no ${forbidden} label`);
  }
  for (const reason of ['disconnect', 'expired', 'overflow', 'logout', 'shutdown'])
    assert.ok(page.samples.some((s) => s.name === 'workbind_cometd_sessions_ended_total' && s.labels.reason === reason));
});

test('request counters and the duration histogram move by exactly the requests made', async () => {
  const labels = { method: 'GET', route: '/api/v2/me', status: '200', status_code: '0' };
  const before = await scrape();
  const n = 7;
  for (let i = 0; i < n; ++i) assert.equal((await alice.get('/api/v2/me')).status, 200);
  const missing = await alice.get('/api/v2/nothing/here/at/all/really/now');
  assert.equal(missing.status, 404);
  const after = await scrape();
  assert.equal(value(after, 'workbind_http_requests_total', labels) - value(before, 'workbind_http_requests_total', labels), n);
  const route = { route: '/api/v2/me' };
  const countBefore = before.samples.some((s) => s.name === 'workbind_http_request_duration_seconds_count' && s.labels.route === '/api/v2/me')
    ? checkHistogram(before, 'workbind_http_request_duration_seconds', route) : 0;
  assert.equal(checkHistogram(after, 'workbind_http_request_duration_seconds', route) - countBefore, n);
  // A path outside the route table counts under one label value.
  assert.ok(value(after, 'workbind_http_requests_total',
    { method: 'GET', route: 'unmatched', status: '404', status_code: '6' }) >= 1);
  // Scrapes themselves are not REST requests.
  assert.equal(sum(after, 'workbind_http_requests_total', { route: '/metrics' }), 0);
});

test('operations by name and statusCode; commits feed both db histograms', async () => {
  const before = await scrape();
  const start = { operationName: 'StartContactCenterSession', channels: ['workitem'] };
  await ok(alice, '/api/v2/me', start);
  const bad = await alice.post('/api/v2/me/channels/workitem', { operationName: 'Dance' });
  assert.equal(bad.json.statusCode, 2);
  const after = await scrape();
  const op = (page, labels) => value(page, 'workbind_operations_total', labels);
  assert.equal(op(after, { operation: 'StartContactCenterSession', status_code: '0' }) -
    op(before, { operation: 'StartContactCenterSession', status_code: '0' }), 1);
  assert.equal(sum(after, 'workbind_operations_total', { operation: 'Dance' }), 0, 'unknown names are not labels');
  const commits = (page) => checkHistogram(page, 'workbind_db_commit_batch_size');
  const txs = (page) => checkHistogram(page, 'workbind_db_transaction_duration_seconds');
  assert.ok(commits(after) > commits(before), 'a write adds a commit');
  assert.equal(commits(after), txs(after), 'one latency per commit');
  // Every commit carries at least one transaction.
  assert.ok(value(after, 'workbind_db_commit_batch_size_sum') >= commits(after));
});

test('queued interactions, offers and notifications', async () => {
  const before = await scrape();
  const submitted = await ok(feeder, `/api/v2/queues/${WORKITEMS_IN}`, { operationName: 'Submit', mediaType: 'workitem' });
  const queued = await scrape();
  assert.equal(value(queued, 'workbind_interactions_queued'), value(before, 'workbind_interactions_queued') + 1);
  await ok(alice, '/api/v2/me/channels/workitem', { operationName: 'Ready' });
  let offered = false;
  for (let i = 0; i < 200 && !offered; ++i) {
    const r = await alice.get(`/api/v2/me/workitems/${submitted.id}`);
    offered = r.status === 200 && r.json.workitem.state === 'Invited';
    if (!offered) await sleep(50);
  }
  assert.ok(offered, 'offered to alice');
  await ok(alice, `/api/v2/me/workitems/${submitted.id}`, { operationName: 'Accept' });
  const after = await scrape();
  assert.equal(value(after, 'workbind_interactions_queued'), value(before, 'workbind_interactions_queued'));
  const offers = (page, result) => value(page, 'workbind_routing_offers_total', { result });
  assert.equal(offers(after, 'accepted') - offers(before, 'accepted'), 1);
  for (const result of ['rejected', 'timeout', 'revoked'])
    assert.equal(offers(after, result), offers(before, result), result);
  assert.ok(sum(after, 'workbind_notifications_total') > sum(before, 'workbind_notifications_total'));
  assert.equal(value(after, 'workbind_idempotent_replays_total'), 0);
});

test('rejected offers and offers revoked by a channel logout', async () => {
  const bob = new Client(server.url, 'bob');
  await bob.login();
  const before = await scrape();
  const offers = (page, result) => value(page, 'workbind_routing_offers_total', { result });
  const offeredToBob = async (id) => {
    for (let i = 0; i < 200; ++i) {
      const r = await bob.get(`/api/v2/me/workitems/${id}`);
      if (r.status === 200 && r.json.workitem.state === 'Invited') return;
      await sleep(50);
    }
    assert.fail(`${id} was never offered to bob`);
  };
  await ok(bob, '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] });
  await ok(bob, '/api/v2/me/channels/workitem', { operationName: 'Ready' });
  const first = await ok(feeder, `/api/v2/queues/${WORKITEMS_IN}`, { operationName: 'Submit', mediaType: 'workitem' });
  await offeredToBob(first.id);
  await ok(bob, `/api/v2/me/workitems/${first.id}`, { operationName: 'Reject' });
  const second = await ok(feeder, `/api/v2/queues/${WORKITEMS_IN}`, { operationName: 'Submit', mediaType: 'workitem' });
  await offeredToBob(second.id);
  await ok(bob, '/api/v2/me', { operationName: 'EndContactCenterSession' });
  const after = await scrape();
  assert.equal(offers(after, 'rejected') - offers(before, 'rejected'), 1);
  assert.equal(offers(after, 'revoked') - offers(before, 'revoked'), 1);
  assert.equal(offers(after, 'accepted'), offers(before, 'accepted'));
  // Both wait in the queue again: alice is busy, bob is logged out.
  assert.equal(value(after, 'workbind_interactions_queued'), value(before, 'workbind_interactions_queued') + 2);
});

test('CometD sessions, replay requests and HTTP sessions', async () => {
  const before = await scrape();
  const sessions = (page) => sum(page, 'workbind_cometd_sessions');
  const bob = await connectCometd(server.port, 'bob', { transport: 'long-polling', replay: { fromSeq: 1 } });
  const open = await scrape();
  assert.equal(sessions(open), sessions(before) + 1);
  assert.equal(value(open, 'workbind_cometd_sessions', { transport: 'long-polling' }),
    value(before, 'workbind_cometd_sessions', { transport: 'long-polling' }) + 1);
  assert.equal(value(open, 'workbind_replay_requests_total', { result: 'available' }) -
    value(before, 'workbind_replay_requests_total', { result: 'available' }), 1);
  assert.equal(value(open, 'workbind_http_sessions'), value(before, 'workbind_http_sessions') + 1, 'bob logged in');
  // The long-polling client keeps one connect held between messages.
  let held = 0;
  for (let i = 0; i < 100 && held === 0; ++i) {
    held = value(await scrape(), 'workbind_cometd_held_connects');
    if (held === 0) await sleep(50);
  }
  assert.equal(held, 1);
  await bob.disconnect();
  const closed = await scrape();
  assert.equal(sessions(closed), sessions(before));
  assert.equal(value(closed, 'workbind_cometd_sessions_ended_total', { reason: 'disconnect' }) -
    value(before, 'workbind_cometd_sessions_ended_total', { reason: 'disconnect' }), 1);

  const late = await connectCometd(server.port, 'sam', { transport: 'long-polling', replay: { fromSeq: 1000 } });
  const asked = await scrape();
  assert.equal(value(asked, 'workbind_replay_requests_total', { result: 'unavailable' }) -
    value(before, 'workbind_replay_requests_total', { result: 'unavailable' }), 1);
  await late.disconnect();
});

test('healthz and readyz', async () => {
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { statusCode: 0, status: 'ok' });
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { statusCode: 0, status: 'ready' });
});

test('metrics.enabled false: /metrics is 404 statusCode 6', async () => {
  const off = await new Server({ settings: { metrics: { enabled: false } } }).start();
  try {
    const r = await fetch(`${off.url}/metrics`);
    assert.equal(r.status, 404);
    assert.equal((await r.json()).statusCode, 6);
    assert.equal((await fetch(`${off.url}/healthz`)).status, 200);
  } finally {
    await off.cleanup();
  }
});

test('a reply served from an Idempotency-Key is counted', async () => {
  const alice = new Client(server.url, 'alice');
  await alice.login();
  const before = await scrape();
  const body = { operationName: 'RequestStats' };
  const path = '/api/v2/me/workbins/3569d15d-3143-5ada-91b1-415626f3dbcc';
  const first = await alice.post(path, body, { 'Idempotency-Key': 'metrics-replay-1' });
  const again = await alice.post(path, body, { 'Idempotency-Key': 'metrics-replay-1' });
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text);
  const after = await scrape();
  assert.equal(value(after, 'workbind_idempotent_replays_total') - value(before, 'workbind_idempotent_replays_total'), 1);
});
