// The migration phase: the data folder is taken back to schema version 6
// (what a workbind of that version left: migrations 7 and 8 undone) with a
// large interactions table, so that migration 7's backfill of the workbin
// item counts and its new index take a while. Starts are then killed at
// random moments of the migrations. Each migration is one transaction that
// also sets PRAGMA user_version, so after each kill the database is at
// version 6, 7 or 8 with exactly that version's tables and, from 7 on, item
// counts that match the rows. The kill points are chosen by how much the
// migrations have written to the WAL (measured on a copy first), so that
// they land inside migration 7 whatever the machine's speed. A last start
// completes, and the interactions of the workload are checked again.
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from '../../functional/lib/server.mjs';
import { kill } from './kill.mjs';
import { bulkFile } from './phase_provisioning.mjs';
import { verify } from './checks.mjs';
import { dbPath, exec, query, userVersion } from './sqlite.mjs';

export const BULK_INTERACTIONS = 200000;
const LATEST = 8;

// Undoes migrations 8 and 7 (their objects, in reverse order) from whatever
// version a kill left: 6, 7 or 8. Each migration commits whole, so the
// objects of a migration are all present or all absent; IF EXISTS makes the
// same script right for each of the three versions.
const DOWNGRADE_TO_6 = `
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS server_secrets;
DROP INDEX IF EXISTS interactions_by_workbin_media;
DROP TRIGGER IF EXISTS workbin_item_counts_insert;
DROP TRIGGER IF EXISTS workbin_item_counts_delete;
DROP TRIGGER IF EXISTS workbin_item_counts_update;
DROP TABLE IF EXISTS workbin_item_counts;
PRAGMA user_version = 6;
`;

// Parks BULK_INTERACTIONS copies of one workload interaction in a workbin of
// contact center "bulk".
function addBulkInteractions(db) {
  const wb = query(db, "SELECT w.id FROM workbins w JOIN contact_centers c ON c.id = w.contact_center_id WHERE c.name = 'bulk' ORDER BY w.id LIMIT 1")[0].id;
  const cc = query(db, `SELECT contact_center_id AS id FROM workbins WHERE id = '${wb}'`)[0].id;
  exec(db, `
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BULK_INTERACTIONS})
INSERT INTO interactions (id, contact_center_id, media_type, state, working_state, direction,
  workbin_id, received_ms, queued_ms, workbin_entered_ms, offer_reason, transfer_reference_id, user_data, media)
SELECT printf('BULK%012d', i), '${cc}', t.media_type, 'InWorkbin', t.working_state, t.direction,
  '${wb}', t.received_ms + i, t.queued_ms, t.workbin_entered_ms, '', 0, '{"Tag":"bulk"}', t.media
FROM n, (SELECT * FROM interactions ORDER BY state = 'InWorkbin' DESC LIMIT 1) t;`);
}

// Copies the database files (as the killed process left them) to `dir` and
// opens the copy there, so that the recovery of the copy's WAL leaves the
// original alone.
function inspectCopy(db, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, 'workbind.db');
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(db + suffix)) copyFileSync(db + suffix, copy + suffix);
  const version = userVersion(copy);
  const tables = new Set(query(copy, "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')").map((r) => r.name));
  const problems = [];
  const want7 = ['workbin_item_counts', 'workbin_item_counts_insert', 'workbin_item_counts_delete',
    'workbin_item_counts_update', 'interactions_by_workbin_media', 'server_secrets'];
  for (const name of want7) if (tables.has(name) !== version >= 7) problems.push(`${name} ${tables.has(name) ? 'present' : 'absent'} at version ${version}`);
  if (tables.has('idempotency_keys') !== version >= 8) problems.push(`idempotency_keys wrong at version ${version}`);
  if (version >= 7) problems.push(...countProblems(copy));
  if (query(copy, 'PRAGMA integrity_check')[0].integrity_check !== 'ok') problems.push('integrity_check failed');
  return { version, problems };
}

function countProblems(db) {
  const counts = query(db, 'SELECT workbin_id, media_type, n FROM workbin_item_counts WHERE n <> 0 ORDER BY 1, 2');
  const actual = query(db, "SELECT workbin_id, media_type, count(*) AS n FROM interactions WHERE state = 'InWorkbin' AND workbin_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2");
  return JSON.stringify(counts) === JSON.stringify(actual) ? [] : [`workbin_item_counts ${JSON.stringify(counts)} != rows ${JSON.stringify(actual)}`];
}

function walSize(db) {
  return existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
}

// On a copy of the data folder (removed afterwards): milliseconds from the
// spawn to the log line of each migration, and the bytes the migrations put
// in the WAL (their uncommitted pages spill there as they go).
async function measureMigrations(ctx, db) {
  const calib = join(ctx.dir, 'calibration');
  rmSync(calib, { recursive: true, force: true });
  mkdirSync(join(calib, 'db'), { recursive: true });
  const copy = join(calib, 'db', 'workbind.db');
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(db + suffix)) copyFileSync(db + suffix, copy + suffix);
  const s = new Server({ dataDir: calib, provision: null });
  const t0 = Date.now();
  const started = s.start();
  const seen = {};
  while (!seen[LATEST]) {
    for (const m of s.output.matchAll(/applied migration (\d+)/g)) seen[m[1]] ??= Date.now() - t0;
    if (s.proc.exitCode !== null) throw new Error(`calibration start failed:\n${s.output}`);
    await sleep(1);
  }
  const walBytes = walSize(copy);
  await started;
  await s.stop();
  rmSync(calib, { recursive: true, force: true });
  return { seen, walBytes };
}

// Starts the server and kills it once the WAL holds `threshold` bytes (a
// point inside the migrations), or as soon as it listens.
async function startAndKillAtWal(server, db, threshold) {
  let listened = false;
  const started = server.start().then(() => { listened = true; }, () => {});
  while (!listened && server.proc.exitCode === null && walSize(db) < threshold) await sleep(1);
  await kill(server);
  await started;
  return { listened };
}

export async function runMigrationCrashes(ctx, kills) {
  const { server, rand } = ctx;
  const db = dbPath(server.dataDir);
  await server.stop();
  if (!query(db, "SELECT 1 AS x FROM contact_centers WHERE name = 'bulk'").length) {
    server.provision = bulkFile(ctx, 0);
    await server.start();
    await server.stop();
  }
  addBulkInteractions(db);
  exec(db, DOWNGRADE_TO_6);
  if (userVersion(db) !== 6) throw new Error('migration: the downgrade did not take');
  const { seen, walBytes } = await measureMigrations(ctx, db);
  const versions = [];
  let insideMigration = 0;
  server.provision = null;
  for (let k = 1; k <= kills; k++) {
    // Every kill interrupts the migrations from version 6 again, with no
    // WAL left over (the sqlite3 shell checkpoints and removes it).
    exec(db, userVersion(db) === 6 ? 'PRAGMA wal_checkpoint(TRUNCATE);' : DOWNGRADE_TO_6);
    if (walSize(db) !== 0) throw new Error('migration: a WAL is left before the start');
    // Kill points spread over the migrations' WAL writes, and a little past.
    const threshold = Math.max(1, Math.round(rand() * walBytes * 1.1));
    const { listened } = await startAndKillAtWal(server, db, threshold);
    const walGrowth = walSize(db);
    const { version, problems } = inspectCopy(db, join(ctx.dir, 'inspect'));
    versions.push(version);
    // Uncommitted pages of migration 7 in the WAL and still version 6: the
    // kill landed inside migration 7.
    if (version === 6 && walGrowth > 0) insideMigration++;
    console.log(`crash: migration kill ${k}/${kills} at WAL ${walGrowth} of ~${walBytes} bytes` +
      `${listened ? ' (after the start)' : ''}: version ${version}, ${problems.length ? 'FAILED' : 'ok'}`);
    if (problems.length) throw new Error(`migration kill ${k}:\n${problems.join('\n')}`);
    if (![6, 7, 8].includes(version)) throw new Error(`migration kill ${k}: version ${version}`);
  }
  rmSync(join(ctx.dir, 'inspect'), { recursive: true, force: true });
  await server.start();
  if (userVersion(db) !== LATEST) throw new Error(`migration: version ${userVersion(db)} after a full start`);
  const problems = countProblems(db);
  if (ctx.model) {
    const { failures } = await verify({ url: server.url, db, model: ctx.model, workers: ctx.workerInfo });
    problems.push(...failures);
  }
  if (problems.length) throw new Error(`migration: after the last start:\n${problems.join('\n')}`);
  server.provision = ctx.provision;
  return { migrationKills: kills, migrationVersionsAfterKills: versions.join('/'), migrationKillsInsideMigration7: insideMigration, migrationMs: seen[LATEST], migrationWalBytes: walBytes };
}
