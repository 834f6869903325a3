// `workbind backup` while clients write, then `workbind restore` into a fresh
// folder: every operation acknowledged (statusCode 0) before the backup
// began is found by REST reads on a server started on the restored folder,
// and backup/restore refuse what they must, exit status 2, changing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Server, runBinary } from './lib/server.mjs';
import { Client } from './lib/client.mjs';
import { ALICE_WB, BOB_WB, WORKITEMS_IN } from './lib/workbins.mjs';

const SQLITE3 = process.env.WORKBIND_SQLITE3 ?? 'sqlite3';
const LANES_PER_AGENT = 3;       // concurrent clients per agent (alice, bob)
const ACKED_BEFORE_BACKUP = 300; // operations acknowledged before the backup starts
const ACKED_AFTER_BACKUP = 100;  // and after it ended, before the load stops
const WAIT_MS = 120000;          // bound of every wait on the load

let work, server, restored;

before(() => { work = mkdtempSync(join(tmpdir(), 'workbind-backup-')); });
after(async () => {
  await server?.cleanup();
  await restored?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

// The acknowledged operations, in order, and waits on their number.
class Ledger {
  constructor() {
    this.acked = [];
    this.failed = [];
    this.waiters = [];
  }
  ack(op) {
    this.acked.push({ ...op, at: performance.now() });
    this.waiters = this.waiters.filter((w) => !w());
  }
  fail(op, r) {
    this.failed.push({ ...op, status: r.status, text: r.text });
    this.waiters = this.waiters.filter((w) => !w());
  }
  // Resolves once `n` operations are acknowledged; rejects after `ms` or
  // on the first failure.
  waitFor(n, ms = WAIT_MS) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.acked.length} of ${n} acknowledged in ${ms} ms`)), ms);
      const check = () => {
        if (this.failed.length) reject(new Error(`operation failed: ${JSON.stringify(this.failed[0])}`));
        else if (this.acked.length >= n) resolve();
        else return false;
        clearTimeout(timer);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }
}

// One client: creates a workitem, sets user data on it, parks it in the
// agent's workbin; again until `stop()` says so. Each step is one operation.
async function lane(client, workbin, name, ledger, stop) {
  for (let n = 0; !stop(); ++n) {
    const c = await client.post('/api/v2/me/workitems', {
      operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, userData: { Lane: name },
    });
    if (c.json?.statusCode !== 0) { ledger.fail({ kind: 'create' }, c); return; }
    const id = c.json.id;
    ledger.ack({ kind: 'create', id });
    const key = `${name}_${n}`;
    const u = await client.post(`/api/v2/me/workitems/${id}`, {
      operationName: 'UpdateUserData', userData: { [key]: n },
    });
    if (u.json?.statusCode !== 0) { ledger.fail({ kind: 'userdata', id }, u); return; }
    ledger.ack({ kind: 'userdata', id, key, value: n });
    const a = await client.post(`/api/v2/workbins/${workbin}`, { operationName: 'AddWorkitem', id });
    if (a.json?.statusCode !== 0) { ledger.fail({ kind: 'add', id }, a); return; }
    ledger.ack({ kind: 'add', id });
  }
}

// Whether `op` shows in `item` (GET /api/v2/interactions/{id}'s interaction).
function shows(op, item) {
  if (!item) return false;
  if (op.kind === 'create') return true;
  if (op.kind === 'userdata') return item.userData?.[op.key] === op.value;
  return item.state === 'InWorkbin';
}

function sqlite(file, sql) {
  return execFileSync(SQLITE3, [file, sql], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
}

const listing = (dir) => readdirSync(dir).sort();

test('a backup taken under load holds every operation acknowledged before it began', async (t) => {
  server = await new Server().start();
  const dataDir = join(server.dataDir, 'db');
  const backupFile = join(work, 'workbind-backup.db');

  // The load: LANES_PER_AGENT clients each for alice and bob.
  const ledger = new Ledger();
  let stopping = false;
  const lanes = [];
  for (const [user, workbin] of [['alice', ALICE_WB], ['bob', BOB_WB]]) {
    for (let i = 0; i < LANES_PER_AGENT; ++i) {
      const client = new Client(server.url, user);
      await client.login();
      lanes.push(lane(client, workbin, `${user}${i}`, ledger, () => stopping));
    }
  }
  await ledger.waitFor(ACKED_BEFORE_BACKUP);

  const began = performance.now();
  const backup = await runBinary(['backup', '--data-dir', dataDir, '--to', backupFile], { timeoutMs: WAIT_MS });
  const ended = performance.now();
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /^backup: .*workbind-backup\.db: schema version \d+, [\d.]+ MiB \(\d+ bytes\), [\d.]+ s\n$/);

  const ackedAtEnd = ledger.acked.filter((o) => o.at <= ended).length;
  await ledger.waitFor(ackedAtEnd + ACKED_AFTER_BACKUP);
  stopping = true;
  await Promise.all(lanes);
  assert.deepEqual(ledger.failed, [], 'no write failed while the backup ran');
  await server.stop();

  const before = ledger.acked.filter((o) => o.at < began);
  const during = ledger.acked.filter((o) => o.at >= began && o.at <= ended);
  const later = ledger.acked.filter((o) => o.at > ended);

  // The backup refuses a target that exists, a folder with no database and
  // PostgreSQL settings.
  const again = await runBinary(['backup', '--data-dir', dataDir, '--to', backupFile]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists; pass --force/);
  const none = await runBinary(['backup', '--data-dir', join(work, 'nothing'), '--to', join(work, 'x.db')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^backup: no database in /);
  const pgSettings = join(work, 'pg.json');
  writeFileSync(pgSettings, JSON.stringify({ storage: { backend: 'postgres', postgres: { dsn: 'host=127.0.0.1' } } }));
  const pg = await runBinary(['backup', '--config', pgSettings, '--to', join(work, 'x.db')]);
  assert.equal(pg.code, 2);
  assert.match(pg.stderr, /docs\/operations\.md/);
  assert.equal(existsSync(join(work, 'x.db')), false);

  // The restore refuses a file that is not a database and a newer schema.
  const fresh = mkdtempSync(join(work, 'restored-'));
  const freshDb = join(fresh, 'db');
  const garbage = join(work, 'garbage.db');
  writeFileSync(garbage, 'not a database '.repeat(1000));
  const bad = await runBinary(['restore', '--from', garbage, '--data-dir', freshDb]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^restore: .* is not a SQLite database\n$/);
  const newer = join(work, 'newer.db');
  copyFileSync(backupFile, newer);
  const version = Number(sqlite(newer, 'PRAGMA user_version'));
  sqlite(newer, `PRAGMA user_version = ${version + 1}`);
  const tooNew = await runBinary(['restore', '--from', newer, '--data-dir', freshDb]);
  assert.equal(tooNew.code, 2);
  assert.match(tooNew.stderr, /newer than this workbind knows/);
  assert.equal(existsSync(freshDb), false, 'a refused restore creates nothing');
  // Nor does a server start on it (put in place by hand): exit 1, one line.
  const newerDir = mkdtempSync(join(work, 'newer-'));
  copyFileSync(newer, join(newerDir, 'workbind.db'));
  const refused = await runBinary(['--listen', '127.0.0.1:0', '--data-dir', newerDir]);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, new RegExp(`schema version ${version + 1}, newer than this workbind's ${version}`));

  // The restore into a fresh folder, and a server on it.
  const restore = await runBinary(['restore', '--from', backupFile, '--data-dir', freshDb]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.match(restore.stdout, new RegExp(`schema version ${version},`));
  restored = new Server({ dataDir: fresh });
  await restored.start();

  // A running server: the restore refuses and leaves its folder as it was.
  const beforeRefusal = listing(freshDb);
  const busy = await runBinary(['restore', '--from', backupFile, '--data-dir', freshDb, '--force']);
  assert.equal(busy.code, 2);
  assert.match(busy.stderr, /^restore: a workbind server is running on .*; stop it first\n$/);
  assert.deepEqual(listing(freshDb), beforeRefusal);

  // Every operation acknowledged before the backup began is there.
  const sam = new Client(restored.url, 'sam');
  await sam.login();
  const ids = [...new Set(ledger.acked.map((o) => o.id))];
  const items = new Map();
  for (let i = 0; i < ids.length; i += 16) {
    await Promise.all(ids.slice(i, i + 16).map(async (id) => {
      const r = await sam.get(`/api/v2/interactions/${id}`);
      if (r.status === 200 && r.json.statusCode === 0) items.set(id, r.json.interaction);
      else assert.equal(r.status, 404, r.text);
    }));
  }
  const found = (ops) => ops.filter((o) => shows(o, items.get(o.id))).length;
  const figures = {
    acknowledgedBeforeBackup: before.length,
    acknowledgedDuringBackup: during.length,
    acknowledgedAfterBackup: later.length,
    foundAfterRestore: found(before),
    laterOnesFoundToo: found(during) + found(later),
    backupSeconds: Number(((ended - began) / 1000).toFixed(3)),
  };
  t.diagnostic(`backup/restore figures: ${JSON.stringify(figures)}`);
  console.log(`backup/restore figures: ${JSON.stringify(figures)}`);
  console.log(backup.stdout.trim());
  console.log(restore.stdout.trim());
  const missing = before.filter((o) => !shows(o, items.get(o.id)));
  assert.deepEqual(missing, [], 'acknowledged before the backup, missing after the restore');
  assert.ok(before.length >= ACKED_BEFORE_BACKUP);
  // Nothing acknowledged after the backup ended can be in it: the restored
  // server really serves the backup, not the old folder.
  assert.equal(later.filter((o) => o.kind === 'create' && items.has(o.id)).length, 0);

  // The restored server answers normally: reads and a new write.
  const ready = await fetch(`${restored.url}/readyz`);
  assert.equal(ready.status, 200);
  const alice = new Client(restored.url, 'alice');
  await alice.login();
  const c = await alice.post('/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
  assert.equal(c.json.statusCode, 0, c.text);
  const a = await alice.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id: c.json.id });
  assert.equal(a.json.statusCode, 0, a.text);
  await restored.stop();

  // A folder that holds a database: refused without --force; with it, the
  // old database is kept beside the restored one.
  const kept = await runBinary(['restore', '--from', backupFile, '--data-dir', freshDb]);
  assert.equal(kept.code, 2);
  assert.match(kept.stderr, /already holds a database .*pass --force/);
  const forced = await runBinary(['restore', '--from', backupFile, '--data-dir', freshDb, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  const aside = listing(freshDb).filter((n) => n.startsWith('workbind.db.before-restore-'));
  assert.equal(aside.length, 1, listing(freshDb).join(' '));
  assert.match(forced.stdout, new RegExp(`the old database is .*${aside[0]}`));
  // The kept one has the workitem written after the restore; the new one not.
  const count = (file) => Number(sqlite(file, `SELECT count(*) FROM interactions WHERE id = '${c.json.id}'`));
  assert.equal(count(join(freshDb, aside[0])), 1);
  assert.equal(count(join(freshDb, 'workbind.db')), 0);
});
