// The workload phase: cycles of work killed at a random moment, each
// followed by a restart and the checks of checks.mjs.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '../../functional/lib/client.mjs';
import { PASSWORD } from './contact_center.mjs';
import { Model, Workload } from './workload.mjs';
import { verify } from './checks.mjs';
import { dbPath } from './sqlite.mjs';
import { kill } from './kill.mjs';

// Kill moments, ms after the work started.
const KILL_MIN_MS = 300;
const KILL_MAX_MS = 3000;

// Ids of each worker's user, queue and parked workbin.
export async function describeWorkers(url, count) {
  const feeder = new Client(url, 'feeder', PASSWORD);
  await feeder.login();
  const queues = (await feeder.get('/api/v2/queues?fields=*')).json.queues;
  const out = [];
  for (let n = 1; n <= count; n++) {
    const agent = new Client(url, `w${n}`, PASSWORD);
    const me = await agent.login();
    const bins = (await agent.get('/api/v2/me/workbins?fields=*')).json.workbins;
    out.push({
      n,
      userId: me.json.user.id,
      queueId: queues.find((q) => q.name === `q${n}`).id,
      workbinId: bins.find((b) => b.name === 'parked').id,
    });
  }
  return out;
}

export async function runWorkload(ctx, cycles) {
  const { server, rand } = ctx;
  await server.start();
  ctx.workerInfo = await describeWorkers(server.url, ctx.workers);
  ctx.model = new Model();
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const work = new Workload({ url: server.url, model: ctx.model, workers: ctx.workerInfo, rand, cycle });
    const running = work.run();
    const delay = Math.round(KILL_MIN_MS + rand() * (KILL_MAX_MS - KILL_MIN_MS));
    await sleep(delay);
    work.killed = true;
    await kill(server);
    await running;
    if (work.errors.length) throw new Error(`cycle ${cycle}: the workload failed while the server ran:\n${work.errors.join('\n')}`);
    const inFlight = ctx.model.inFlightAtKill;
    await server.start();
    const { failures, rows } = await verify({ url: server.url, db: dbPath(server.dataDir), model: ctx.model, workers: ctx.workerInfo });
    console.log(`crash: cycle ${cycle}/${cycles}: killed ${delay} ms into the work; ${ctx.model.acks} acknowledged so far, ` +
      `${inFlight} in flight at kills so far; ${rows} interactions, ${ctx.model.users.size} users, ` +
      `crowd of ${ctx.model.crowd?.acked?.length ?? 0} checked: ${failures.length ? 'FAILED' : 'ok'}`);
    if (failures.length) throw new Error(`cycle ${cycle}:\n${failures.join('\n')}`);
  }
  return { cycles, acknowledged: ctx.model.acks, inFlightAtKill: ctx.model.inFlightAtKill, interactions: ctx.model.recs.size, users: ctx.model.users.size };
}
