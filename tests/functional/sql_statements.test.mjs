// The SQL statements one durable Add and one Pull of a workitem run on
// SQLite, counted from the server's statement trace (WORKBIND_SQL_TRACE):
// the whole request, authentication by session cookie included. Prints the
// figures and the statements, and holds each count to an upper bound (the
// counts are deterministic). Also checks that an Idempotency-Key's reply is
// stored inside the change's own transaction.
//
// Run: ctest -R functional_sql_statements --output-on-failure -V
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from './lib/server.mjs';
import { Client } from './lib/client.mjs';

const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
const ALICE_WB = '3569d15d-3143-5ada-91b1-415626f3dbcc';
// Upper bounds of the statements of one request (reads + writes, without
// BEGIN/COMMIT/SAVEPOINT/RELEASE and without trigger bodies).
// The session behind the cookie is checked from memory and the directory
// version confirmed by a transaction in the last second is not read again,
// so authentication and the feature check cost no statement.
const MAX_ADD = 10;
const MAX_PULL = 9;

let server, alice, trace;

before(async () => {
  server = new Server({
    // The trace is SQLite's, also when the suite runs on PostgreSQL.
    settings: { storage: { backend: 'sqlite' } },
  });
  trace = join(server.dataDir, 'sql-trace.log');
  process.env.WORKBIND_SQL_TRACE = trace;
  try {
    await server.start();
  } finally {
    delete process.env.WORKBIND_SQL_TRACE;
  }
  alice = new Client(server.url, 'alice');
  await alice.login();
  const r = await alice.post('/api/v2/me', {
    operationName: 'StartContactCenterSession', channels: ['workitem'],
  });
  assert.equal(r.json.statusCode, 0, r.text);
});

after(async () => {
  await server?.cleanup();
});

// Runs `fn` and returns the statements the server ran meanwhile, parsed,
// without those of the router's pass that a freed owner slot starts in the
// background (a read transaction of its own, reading the cool-downs), the
// router's first pass after the start (it lists the contact centers), and
// the read of the directory version that the request makes when no
// transaction confirmed it in the last second (on a slow machine); each is
// reported.
async function traced(name, fn) {
  const mark = `## ${name} ${Date.now()}`;
  appendFileSync(trace, `${mark}\n`);
  await fn();
  const all = readFileSync(trace, 'utf8').split('\n');
  const stmts = all.slice(all.indexOf(mark) + 1)
    .filter((l) => l && !l.startsWith('## '))
    .map((l) => {
      const [conn, kind] = l.split(' ', 2);
      return { conn, kind, sql: l.slice(conn.length + kind.length + 2) };
    });
  // Group each connection's statements into its transactions.
  const open = new Map(), txs = [];
  for (const s of stmts) {
    if (!open.has(s.conn)) {
      const tx = { conn: s.conn, stmts: [] };
      open.set(s.conn, tx);
      txs.push(tx);
    }
    open.get(s.conn).stmts.push(s);
    if (s.kind === 'T' && /^(COMMIT|ROLLBACK$)/.test(s.sql)) open.delete(s.conn);
  }
  // The router's read transaction may also have begun before the mark.
  const router = (tx) => tx.stmts.some((s) => /FROM routing_cooldowns/.test(s.sql)) ||
    tx.stmts.some((s) => /FROM contact_centers ORDER BY name/.test(s.sql)) ||
    (tx.conn[0] === 'r' && !/^BEGIN/.test(tx.stmts[0].sql));
  const reads = (tx) => tx.stmts.filter((s) => s.kind !== 'T');
  const versionCheck = (tx) => tx.conn[0] === 'r' && reads(tx).length === 1 &&
    /^SELECT directory_version FROM contact_centers/.test(reads(tx)[0].sql);
  for (const tx of txs.filter(router)) {
    console.log(`  (not counted: ${tx.stmts.length} statements of the router's pass)`);
  }
  for (const tx of txs.filter(versionCheck)) {
    console.log('  (not counted: the directory version, read when unconfirmed for a second)');
  }
  return txs.filter((tx) => !router(tx) && !versionCheck(tx)).flatMap((tx) => tx.stmts);
}

function summary(name, stmts) {
  const reads = stmts.filter((s) => s.kind === 'R');
  const writes = stmts.filter((s) => s.kind === 'W');
  const control = stmts.filter((s) => s.kind === 'T');
  const triggers = stmts.filter((s) => s.kind === '-');
  console.log(`statements per ${name}: ${reads.length + writes.length} ` +
              `(reads ${reads.length}, writes ${writes.length}; ` +
              `transaction control ${control.length}, trigger runs ${triggers.length})`);
  for (const s of stmts) console.log(`  ${s.conn[0]} ${s.kind} ${s.sql.slice(0, 150)}`);
  return { total: reads.length + writes.length, reads, writes, control };
}

async function createWorkitem() {
  const r = await alice.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`,
  });
  assert.equal(r.json.statusCode, 0, r.text);
  return r.json.id;
}

async function ok(body, headers) {
  const r = await alice.post(`/api/v2/workbins/${ALICE_WB}`, body, headers);
  assert.equal(r.json.statusCode, 0, r.text);
  return r;
}

test('statements per Add and per Pull stay within their bounds', async () => {
  const id = await createWorkitem();
  // A first cycle warms the caches (directory, prepared statements).
  await ok({ operationName: 'AddWorkitem', id });
  await ok({ operationName: 'PullWorkitem', id });

  const add = summary('Add', await traced('Add', () => ok({ operationName: 'AddWorkitem', id })));
  const pull = summary('Pull', await traced('Pull', () => ok({ operationName: 'PullWorkitem', id })));
  console.log(`statements per Add: ${add.total}, per Pull: ${pull.total}`);
  assert.ok(add.writes.length > 0 && pull.writes.length > 0, 'the trace records the writes');
  assert.ok(add.total <= MAX_ADD, `Add ran ${add.total} statements (at most ${MAX_ADD})`);
  assert.ok(pull.total <= MAX_PULL, `Pull ran ${pull.total} statements (at most ${MAX_PULL})`);
  // The write transaction reads nothing twice (same statement text).
  for (const [name, s] of [['Add', add], ['Pull', pull]]) {
    const texts = s.reads.filter((r) => r.conn[0] === 'w').map((r) => r.sql);
    assert.equal(new Set(texts).size, texts.length, `${name} reads twice:\n${texts.join('\n')}`);
  }
});

test('an Idempotency-Key reply is stored in the transaction of the change', async () => {
  const id = await createWorkitem();
  let first;
  const stmts = await traced('Add with key', async () => {
    first = await ok({ operationName: 'AddWorkitem', id }, { 'Idempotency-Key': `k-${id}` });
  });
  summary('Add with Idempotency-Key', stmts);
  // The writer's job that changes the interaction (between SAVEPOINT job
  // and RELEASE job) also stores the finished key.
  const w = stmts.filter((s) => s.conn[0] === 'w');
  let job = [], jobs = [];
  for (const s of w) {
    if (s.sql.startsWith('SAVEPOINT')) job = [];
    else if (s.sql.startsWith('RELEASE')) jobs.push(job);
    else job.push(s.sql);
  }
  const change = jobs.find((j) => j.some((sql) => /^UPDATE interactions/.test(sql)));
  assert.ok(change, 'one job updates the interaction');
  assert.ok(change.some((sql) => /INTO idempotency_keys/.test(sql)),
            `the reply is stored in the change's job:\n${change.join('\n')}`);
  // One job claims the key, one makes the change and stores the reply:
  // none after.
  const afterChange = jobs.slice(jobs.indexOf(change) + 1);
  assert.ok(!afterChange.some((j) => j.some((sql) => /idempotency_keys/.test(sql))),
            'no later transaction touches the key');
  // The replay answers the same bytes.
  const again = await ok({ operationName: 'AddWorkitem', id }, { 'Idempotency-Key': `k-${id}` });
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text);
});
