// The provisioning phase: starts with a large provisioning file (a second
// contact center "bulk" of many users, groups, queues and workbins) killed at
// random moments of its apply. The file is applied in one transaction, so
// after each kill the bulk users are all there with the values of one whole
// file, or not there at all; the crash contact center's interactions are
// unchanged (the workload checks run again).
import { crashProvisioning, writeProvisioning } from './contact_center.mjs';
import { startAndKillAfter } from './kill.mjs';
import { verify } from './checks.mjs';
import { dbPath, query } from './sqlite.mjs';

export const BULK_USERS = 1500;
const GROUP_SIZE = 10;

// Round `k`'s file: the crash contact center plus "bulk", whose users carry
// firstName `R<k>` (so every round changes every user).
export function bulkFile(ctx, k) {
  const doc = crashProvisioning(ctx.workers);
  const users = [], agentGroups = [], queues = [];
  for (let i = 0; i < BULK_USERS; i++)
    users.push({ userName: `bulk-${i}`, password: 'bulk-user-pw', firstName: `R${k}`, roles: ['ROLE_AGENT'] });
  for (let g = 0; g < BULK_USERS / GROUP_SIZE; g++) {
    agentGroups.push({ name: `bg${g}`, agents: users.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE).map((u) => u.userName) });
    queues.push({ name: `bq${g}`, description: `R${k}`, agentGroup: `bg${g}` });
  }
  doc.contactCenters.push({
    name: 'bulk', features: ['api-multimedia'], users, agentGroups, queues,
    workbins: [{ name: 'drafts', type: 'Agent' }, { name: 'shared', type: 'AgentGroup' }],
  });
  return writeProvisioning(ctx.dir, doc, `bulk-${k}.json`);
}

// What the database holds of "bulk": [{first_name, n}] per distinct first
// name, and the queue descriptions likewise.
function bulkState(db) {
  const users = query(db, "SELECT u.first_name AS f, count(*) AS n FROM users u JOIN contact_centers c ON c.id = u.contact_center_id WHERE c.name = 'bulk' GROUP BY 1");
  const queues = query(db, "SELECT q.description AS f, count(*) AS n FROM queues q JOIN contact_centers c ON c.id = q.contact_center_id WHERE c.name = 'bulk' GROUP BY 1");
  return { users, queues };
}

// Whether `s` is the whole of round `k` (k null: nothing of bulk).
function isRound(s, k) {
  if (k === null) return s.users.length === 0 && s.queues.length === 0;
  return s.users.length === 1 && s.users[0].f === `R${k}` && s.users[0].n === BULK_USERS &&
    s.queues.length === 1 && s.queues[0].f === `R${k}` && s.queues[0].n === BULK_USERS / GROUP_SIZE;
}

export async function runProvisioningCrashes(ctx, kills) {
  const { server, rand } = ctx;
  const db = dbPath(server.dataDir);
  await server.stop();
  // Round 0 runs to completion: its duration bounds the kill moments.
  server.provision = bulkFile(ctx, 0);
  const t0 = Date.now();
  await server.start();
  const applyMs = Date.now() - t0;
  if (!isRound(bulkState(db), 0)) throw new Error(`provisioning: round 0 not applied: ${JSON.stringify(bulkState(db))}`);
  await server.stop();
  let applied = 0;
  const outcomes = [];
  for (let k = 1; k <= kills; k++) {
    server.provision = bulkFile(ctx, k);
    const delay = Math.round(rand() * applyMs * 1.1);
    const { listened } = await startAndKillAfter(server, delay);
    server.provision = null;
    await server.start();
    const s = bulkState(db);
    if (isRound(s, k)) {
      applied = k;
      outcomes.push('applied');
    } else if (listened) {
      throw new Error(`provisioning round ${k}: killed after the server listened, yet ${JSON.stringify(s)}`);
    } else if (isRound(s, applied)) {
      outcomes.push('not applied');
    } else {
      throw new Error(`provisioning round ${k}: half applied after a kill at ${delay} ms: ${JSON.stringify(s)}`);
    }
    if (ctx.model) {
      const { failures } = await verify({ url: server.url, db, model: ctx.model, workers: ctx.workerInfo });
      if (failures.length) throw new Error(`provisioning round ${k}: interactions changed:\n${failures.join('\n')}`);
    }
    console.log(`crash: provisioning kill ${k}/${kills} at ${delay} ms of ~${applyMs} ms: ${outcomes.at(-1)}, ok`);
    await server.stop();
  }
  // One more start that completes.
  server.provision = bulkFile(ctx, kills + 1);
  await server.start();
  if (!isRound(bulkState(db), kills + 1)) throw new Error(`provisioning: the last round did not apply: ${JSON.stringify(bulkState(db))}`);
  server.provision = ctx.provision;
  return {
    provisioningKills: kills,
    provisioningApplyMs: applyMs,
    provisioningOutcomes: `${outcomes.filter((o) => o === 'applied').length}applied/${outcomes.filter((o) => o !== 'applied').length}not`,
  };
}
