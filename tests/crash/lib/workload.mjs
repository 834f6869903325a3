// The crash driver's workload and its model of what was acknowledged.
//
// Each worker agent wN runs interaction chains one after another on its own
// connections: feeder Submits a workitem to qN (routed to wN only), wN
// Accepts the offer, AttachUserData, Adds it to its "parked" workbin, Pulls
// it back, maybe attaches more, and Completes it; some chains stop early
// and leave the interaction parked or in work. Every reply with
// statusCode 0 moves the model's `acked` expectation; the request in flight
// when the server dies is kept as `pending` (it may or may not have been
// applied, but if applied then completely).
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '../../functional/lib/client.mjs';
import { PASSWORD } from './contact_center.mjs';

// A small seeded PRNG (mulberry32), so that a run can be repeated by seed.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What the model expects of one interaction: where it is and its user data.
// place: 'queue' (Queued, or Invited to its worker), 'owner' (Processing,
// owned by its worker), 'workbin' (InWorkbin, in its worker's parked
// workbin), 'completed'.
function expect(place, userData) {
  return { place, userData: { ...userData } };
}

export class Model {
  constructor() {
    this.recs = new Map();        // id -> {id, worker, tag, acked, pending}
    this.pendingSubmits = [];     // Submits in flight at the kill: {tag, worker, userData}
    this.acks = 0;                // replies with statusCode 0, all cycles
    // REST provisioning by ops: users created one by one, and agent group
    // "crowd" whose agents list is replaced (a PUT of all of them) after each.
    this.users = new Set();       // acknowledged user names
    this.pendingUser = null;      // the create in flight at the kill
    this.crowd = null;            // {id, acked: [names], pending: [names] | null}
    this.inFlightAtKill = 0;
  }
}

class ServerGone extends Error {}

export class Workload {
  // ctx: {url, model, workers: [{n, userId, queueId, workbinId}], rand, cycle}
  constructor({ url, model, workers, rand, cycle }) {
    this.url = url;
    this.model = model;
    this.workers = workers;
    this.rand = rand;
    this.cycle = cycle;
    this.killed = false;
    this.errors = [];
  }

  // Sends one request; a failure to get any reply after the kill is
  // ServerGone, before it an error of the run.
  async send(client, method, path, body) {
    try {
      return await client.call(method, path, body);
    } catch (e) {
      if (this.killed) throw new ServerGone();
      throw new Error(`${method} ${path}: no reply while the server runs: ${e.cause?.message ?? e.message}`);
    }
  }

  // One acknowledged step: `next` is what the model expects once the reply
  // says statusCode 0.
  async step(rec, next, client, method, path, body) {
    rec.pending = next;
    let r;
    try {
      r = await this.send(client, method, path, body);
    } catch (e) {
      if (e instanceof ServerGone) this.model.inFlightAtKill++;
      throw e;
    }
    if (r.json?.statusCode !== 0) {
      rec.pending = null;
      if (this.killed && r.status >= 500) throw new ServerGone();
      throw new Error(`${body?.operationName ?? method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    rec.acked = next;
    rec.pending = null;
    this.model.acks++;
    return r;
  }

  // Waits until something is offered to the worker; returns its id.
  // Offers come one at a time, oldest queued first, so what is offered may
  // be an interaction left queued or offered by an earlier cycle.
  async waitForOffer(client) {
    for (let i = 0; i < 750; i++) {
      const r = await this.send(client, 'GET', '/api/v2/me/workitems?fields=*');
      const offered = r.json?.workitems?.find((w) => w.state === 'Invited');
      if (offered) return offered.id;
      await sleep(20);
    }
    throw new Error('nothing offered to the worker');
  }

  // Submits one workitem to the worker's queue, then takes offers (each
  // through the rest of its chain) until that one has been taken.
  async chain(w, agent, feeder, i) {
    const tag = `c${this.cycle}-w${w.n}-${i}`;
    const submitted = expect('queue', { Tag: tag });
    const sub = { tag, worker: w.n, userData: submitted.userData };
    this.model.pendingSubmits.push(sub);
    let r;
    try {
      r = await this.send(feeder, 'POST', `/api/v2/queues/${w.queueId}`, {
        operationName: 'Submit', mediaType: 'workitem', userData: { Tag: tag },
      });
    } catch (e) {
      if (e instanceof ServerGone) this.model.inFlightAtKill++;
      throw e;
    }
    // Workers submit concurrently: drop this Submit's own entry.
    this.model.pendingSubmits.splice(this.model.pendingSubmits.indexOf(sub), 1);
    if (r.json?.statusCode !== 0) {
      if (this.killed && r.status >= 500) throw new ServerGone();
      throw new Error(`Submit: ${r.status} ${r.text.slice(0, 200)}`);
    }
    this.model.acks++;
    const id = r.json.id;
    this.model.recs.set(id, { id, worker: w.n, tag, acked: submitted, pending: null });
    for (;;) {
      const offered = await this.waitForOffer(agent);
      const rec = this.model.recs.get(offered);
      if (!rec || rec.worker !== w.n) throw new Error(`offered ${offered}, which the model does not know for w${w.n}`);
      await this.work(w, agent, rec);
      if (offered === id) return;
    }
  }

  // The rest of a chain, from the offer: Accept, AttachUserData, Add, maybe
  // Pull, AttachUserData and Complete.
  async work(w, agent, rec) {
    const item = `/api/v2/me/workitems/${rec.id}`;
    const bin = `/api/v2/workbins/${w.workbinId}`;
    const id = rec.id;
    await this.step(rec, expect('owner', rec.acked.userData), agent, 'POST', item, { operationName: 'Accept' });
    const attach = async () => {
      const k = Math.floor(this.rand() * 1e6);
      // Two keys in one request: both or neither may be there after a crash.
      const data = { [`A${k}`]: k, [`B${k}`]: `v${k}` };
      await this.step(rec, expect('owner', { ...rec.acked.userData, ...data }), agent, 'POST', item,
        { operationName: 'AttachUserData', userData: data });
    };
    await attach();
    await this.step(rec, expect('workbin', rec.acked.userData), agent, 'POST', bin,
      { operationName: 'AddWorkitem', id });
    if (this.rand() < 0.25) return;  // left parked
    await this.step(rec, expect('owner', rec.acked.userData), agent, 'POST', bin,
      { operationName: 'PullWorkitem', id });
    if (this.rand() < 0.5) await attach();
    if (this.rand() < 0.15) return;  // left in work
    await this.step(rec, expect('completed', rec.acked.userData), agent, 'POST', item, { operationName: 'Complete' });
  }

  // Sets a worker up (session, Ready) and runs chains until the server dies.
  async runWorker(w) {
    const agent = new Client(this.url, `w${w.n}`, PASSWORD);
    const feeder = new Client(this.url, 'feeder', PASSWORD);
    try {
      await agent.login();
      await feeder.login();
      for (const [path, body] of [
        ['/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['workitem'] }],
        ['/api/v2/me/channels/workitem', { operationName: 'Ready' }]]) {
        const r = await this.send(agent, 'POST', path, body);
        if (r.json?.statusCode !== 0) throw new Error(`${body.operationName}: ${r.text}`);
      }
      for (let i = 0; !this.killed; i++) await this.chain(w, agent, feeder, i);
    } catch (e) {
      if (e instanceof ServerGone) return;
      if (this.killed && /no reply|fetch failed/.test(e.message)) return;
      this.errors.push(`w${w.n}: ${e.message}`);
    }
  }

  // ops creates users and puts the growing list into agent group "crowd".
  async runProvisioner() {
    const ops = new Client(this.url, 'ops', PASSWORD);
    const m = this.model;
    const acked = (r) => {
      if (r.json?.statusCode === 0) {
        m.acks++;
        return true;
      }
      if (this.killed && r.status >= 500) throw new ServerGone();
      throw new Error(`provisioning: ${r.status} ${r.text.slice(0, 200)}`);
    };
    const send = async (method, path, body) => {
      try {
        return await this.send(ops, method, path, body);
      } catch (e) {
        if (e instanceof ServerGone) m.inFlightAtKill++;
        throw e;
      }
    };
    try {
      await ops.login();
      if (!m.crowd) {
        m.crowd = { id: null, acked: null, pending: [] };
        const r = await send('POST', '/api/v2/agent-groups', { name: 'crowd', agents: [] });
        acked(r);
        m.crowd = { id: r.json.id, acked: [], pending: null };
      }
      for (let i = 0; !this.killed; i++) {
        const name = `u-c${this.cycle}-${i}`;
        m.pendingUser = name;
        acked(await send('POST', '/api/v2/users', { userName: name, password: PASSWORD, roles: ['ROLE_AGENT'] }));
        m.users.add(name);
        m.pendingUser = null;
        const list = [...m.crowd.acked, name];
        m.crowd.pending = list;
        acked(await send('PUT', `/api/v2/agent-groups/${m.crowd.id}`, { agents: list }));
        m.crowd.acked = list;
        m.crowd.pending = null;
        await sleep(50);  // leave most of the writes to the agents
      }
    } catch (e) {
      if (e instanceof ServerGone) return;
      if (this.killed && /no reply|fetch failed/.test(e.message)) return;
      this.errors.push(`ops: ${e.message}`);
    }
  }

  run() {
    return Promise.all([...this.workers.map((w) => this.runWorker(w)), this.runProvisioner()]);
  }
}
