#!/usr/bin/env node
// Crash-safety driver: kills workbind with SIGKILL at random moments and
// checks, after a restart on the same data folder, that every acknowledged
// change (statusCode 0) is there, nothing unacknowledged is half applied and
// every interaction is in exactly one place. Three phases, in this order:
//
//   workload      --cycles N times: several agents Submit/Accept/Attach/Add/
//                 Pull/Complete on their own connections while an admin
//                 creates users and grows an agent group over REST; the
//                 server is killed at a random moment, restarted and checked.
//   provisioning  --provisioning-kills K starts with a large provisioning
//                 file killed at random moments of its apply; the file is
//                 applied all or nothing; then one start that completes.
//   migration     the database is taken back to schema version 6 with a
//                 large interactions table; --migration-kills K starts are
//                 killed at random points of migrations 7 and 8 (by the WAL
//                 they have written); each version found after a kill is
//                 consistent; then one start that completes.
//
// Usage: tests/crash/run (or node tests/crash/crash.mjs) [--cycles N] [--workers W] [--seed S]
//          [--provisioning-kills K] [--migration-kills K]
//          [--phases workload,provisioning,migration] [--keep]
// Environment: WORKBIND_BIN (default build/workbind), WORKBIND_SQLITE3.
// Exit status 0 when every check passed; prints one RESULT line.
import { parseArgs } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '../functional/lib/server.mjs';
import { prng } from './lib/workload.mjs';
import { runWorkload } from './lib/phase_workload.mjs';
import { runProvisioningCrashes } from './lib/phase_provisioning.mjs';
import { runMigrationCrashes } from './lib/phase_migration.mjs';
import { crashProvisioning, writeProvisioning } from './lib/contact_center.mjs';

const { values: opt } = parseArgs({
  options: {
    cycles: { type: 'string', default: '3' },
    workers: { type: 'string', default: '4' },
    seed: { type: 'string' },
    'provisioning-kills': { type: 'string', default: '3' },
    'migration-kills': { type: 'string', default: '3' },
    phases: { type: 'string', default: 'workload,provisioning,migration' },
    keep: { type: 'boolean', default: false },
  },
});
const seed = Number(opt.seed ?? Math.floor(Math.random() * 2 ** 31));
const rand = prng(seed);
const phases = new Set(opt.phases.split(','));
const workers = Number(opt.workers);
const dir = mkdtempSync(join(tmpdir(), 'workbind-crash-'));
console.log(`crash: seed ${seed}, data in ${dir}`);

const provision = writeProvisioning(dir, crashProvisioning(workers));
const server = new Server({ dataDir: join(dir, 'data'), provision });
const summary = { seed };
let failed = false;
const t0 = Date.now();
try {
  mkdirSync(server.dataDir, { recursive: true });
  const ctx = { server, dir, rand, workers, provision };
  if (phases.has('workload')) Object.assign(summary, await runWorkload(ctx, Number(opt.cycles)));
  if (phases.has('provisioning')) Object.assign(summary, await runProvisioningCrashes(ctx, Number(opt['provisioning-kills'])));
  if (phases.has('migration')) Object.assign(summary, await runMigrationCrashes(ctx, Number(opt['migration-kills'])));
} catch (e) {
  failed = true;
  console.error(`crash: FAILED: ${e.stack ?? e}`);
  if (server.output) console.error(`crash: last server output:\n${server.output.slice(-3000)}`);
} finally {
  await server.stop();
}
summary.seconds = Math.round((Date.now() - t0) / 1000);
console.log(`RESULT crash ${failed ? 'FAILED' : 'ok'} ${Object.entries(summary).map(([k, v]) => `${k}=${v}`).join(' ')}`);
if (failed || opt.keep) console.log(`crash: data kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
