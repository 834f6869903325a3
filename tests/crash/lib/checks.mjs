// What the crash driver checks after a restart on the same data folder:
//  - every interaction with an acknowledged change shows its last
//    acknowledged state, or the state of the one request that was in flight
//    at the kill (applied whole: place and every key of its user data);
//  - the database holds no interaction the model cannot explain (a Submit in
//    flight may have created one, then complete with its user data);
//  - every interaction is in exactly one place: owned (Processing/Invited,
//    owner set), queued (queue set, no owner) or parked (workbin set, no
//    owner), or Completed; the workbin item counts kept by triggers match
//    the rows; and the API's views (each worker's workbin content and
//    workitems, each queue's waitingCount) list exactly those rows.
import { isDeepStrictEqual } from 'node:util';
import { Client } from '../../functional/lib/client.mjs';
import { CC_NAME, PASSWORD } from './contact_center.mjs';
import { query } from './sqlite.mjs';

// The user data the driver set (Tag, A<n>, B<n>); the system keys the server
// adds (InteractionId, Workbin, WorkbinAgentId) are left out.
function driverKeys(userData) {
  return Object.fromEntries(Object.entries(userData ?? {}).filter(([k]) => /^(Tag|[AB]\d+)$/.test(k)));
}

function sameUserData(want, got) {
  return isDeepStrictEqual(want, driverKeys(got));
}

// Whether the interaction resource `i` (GET /api/v2/interactions/{id}) is
// where `e` says, for worker `w`.
function matches(e, i, w) {
  if (!i || !sameUserData(e.userData, i.userData)) return false;
  switch (e.place) {
    case 'queue':
      return (i.state === 'Queued' && i.queueName === `q${w.n}` && !i.ownerId && !i.workbinId) ||
        (i.state === 'Invited' && i.ownerId === w.userId && !i.workbinId && !i.queueName);
    case 'owner':
      return i.state === 'Processing' && i.ownerId === w.userId && !i.workbinId && !i.queueName;
    case 'workbin':
      return i.state === 'InWorkbin' && i.workbinId === w.workbinId && !i.ownerId && !i.queueName;
    case 'completed':
      return i.state === 'Completed' && !i.workbinId && !i.queueName;
    default:
      return false;
  }
}

function describe(e) {
  return e ? `${e.place} ${JSON.stringify(e.userData)}` : 'nothing';
}

function sortedIds(list) {
  return [...list].sort();
}

export async function verify({ url, db, model, workers }) {
  const failures = [];
  const byN = new Map(workers.map((w) => [w.n, w]));
  const feeder = new Client(url, 'feeder', PASSWORD);
  await feeder.login();
  // Agent states survive the restart, so routing goes on offering queued
  // interactions; NotReady first, so that the views below hold still.
  for (const w of workers) {
    const agent = new Client(url, `w${w.n}`, PASSWORD);
    const r = await agent.post('/api/v2/me/channels/workitem', { operationName: 'NotReady' });
    if (![0, 6].includes(r.json?.statusCode)) failures.push(`w${w.n} NotReady: ${r.text}`);
  }

  // 1. The model against the API.
  for (const rec of model.recs.values()) {
    const r = await feeder.get(`/api/v2/interactions/${rec.id}`);
    const i = r.json?.interaction;
    const w = byN.get(rec.worker);
    if (matches(rec.acked, i, w)) continue;
    if (rec.pending && matches(rec.pending, i, w)) {
      rec.acked = rec.pending;  // the request in flight was applied (whole)
      continue;
    }
    failures.push(`${rec.id} (${rec.tag}): want ${describe(rec.acked)}` +
      `${rec.pending ? ` or ${describe(rec.pending)}` : ''}, got ${r.status} ` +
      `${i ? `${i.state} owner=${i.ownerId ?? '-'} workbin=${i.workbinId ?? '-'} queue=${i.queueName ?? '-'} ${JSON.stringify(i.userData)}` : r.text.slice(0, 200)}`);
  }

  // 2. The rows against the model, and one place per row.
  const rows = query(db, 'SELECT id, state, owner_id, queue_id, workbin_id, user_data FROM interactions ' +
    `WHERE contact_center_id = (SELECT id FROM contact_centers WHERE name = '${CC_NAME}')`);
  const seenTags = new Set();
  for (const row of rows) {
    const ud = JSON.parse(row.user_data);
    if (!model.recs.has(row.id)) {
      const sub = model.pendingSubmits.find((s) => s.tag === ud.Tag);
      if (!sub) failures.push(`${row.id}: in the database but never acknowledged nor in flight (${row.user_data})`);
      else if (seenTags.has(sub.tag)) failures.push(`${row.id}: a second interaction for Submit ${sub.tag}`);
      else {
        seenTags.add(sub.tag);
        if (!sameUserData(sub.userData, ud)) failures.push(`${row.id}: Submit ${sub.tag} half applied: ${row.user_data}`);
        const w = byN.get(sub.worker);
        if (!['Queued', 'Invited'].includes(row.state) || (row.state === 'Queued' && row.queue_id !== w.queueId))
          failures.push(`${row.id}: Submit ${sub.tag} in flight left it ${row.state}`);
        // From now on it is an interaction like the others.
        model.recs.set(row.id, { id: row.id, worker: sub.worker, tag: sub.tag, acked: { place: 'queue', userData: sub.userData }, pending: null });
      }
    }
    const place = {
      Queued: row.queue_id && !row.owner_id,
      Invited: row.owner_id,
      Processing: row.owner_id,
      InWorkbin: row.workbin_id && !row.owner_id,
      Completed: !row.owner_id,
    }[row.state];
    if (!place) failures.push(`${row.id}: not in one place: ${JSON.stringify(row)}`);
  }
  model.pendingSubmits = [];
  for (const rec of model.recs.values()) rec.pending = null;
  const ids = new Set(rows.map((r) => r.id));
  for (const rec of model.recs.values())
    if (!ids.has(rec.id)) failures.push(`${rec.id} (${rec.tag}): acknowledged, missing from the database`);

  // 3. Trigger-kept counts.
  const counts = query(db, 'SELECT workbin_id, media_type, n FROM workbin_item_counts WHERE n <> 0 ORDER BY 1, 2');
  const actual = query(db, "SELECT workbin_id, media_type, count(*) AS n FROM interactions WHERE state = 'InWorkbin' AND workbin_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2");
  if (!isDeepStrictEqual(counts, actual))
    failures.push(`workbin_item_counts ${JSON.stringify(counts)} != rows ${JSON.stringify(actual)}`);

  // 4. The API's views against the rows.
  const queues = (await feeder.get('/api/v2/queues?fields=*')).json?.queues ?? [];
  for (const w of workers) {
    const agent = new Client(url, `w${w.n}`, PASSWORD);
    const parked = rows.filter((r) => r.state === 'InWorkbin' && r.workbin_id === w.workbinId).map((r) => r.id);
    const content = await agent.get(`/api/v2/me/workbins/${w.workbinId}?subresources=workitems`);
    const listed = (content.json?.workbin?.workitems ?? []).map((x) => x.id);
    if (!isDeepStrictEqual(sortedIds(listed), sortedIds(parked)))
      failures.push(`w${w.n} workbin lists ${listed.length} ${content.status === 200 ? '' : content.text.slice(0, 200)}, rows ${parked.length}`);
    const owned = rows.filter((r) => r.owner_id === w.userId && ['Processing', 'Invited'].includes(r.state)).map((r) => r.id);
    const mine = (await agent.get('/api/v2/me/workitems?fields=*')).json?.workitems?.map((x) => x.id) ?? [];
    if (!isDeepStrictEqual(sortedIds(mine), sortedIds(owned)))
      failures.push(`w${w.n} /me/workitems lists ${mine.length}, rows owned ${owned.length}`);
    const waiting = rows.filter((r) => r.state === 'Queued' && r.queue_id === w.queueId).length;
    const q = queues.find((x) => x.id === w.queueId);
    if (q?.waitingCount !== waiting) failures.push(`q${w.n} waitingCount ${q?.waitingCount}, rows ${waiting}`);
  }
  failures.push(...(await verifyProvisioning({ url, db, model })));
  return { failures, rows: rows.length };
}

// The users and the agent group "crowd" that ops provisioned over REST:
// every acknowledged user is there with its Agent workbin instance, at most
// the one create in flight added another, and crowd's agents are the last
// acknowledged list or the one in flight.
async function verifyProvisioning({ url, db, model }) {
  const failures = [];
  if (!model.crowd) return failures;
  const ops = new Client(url, 'ops', PASSWORD);
  await ops.login();
  const users = (await ops.get('/api/v2/users?fields=*')).json?.users ?? [];
  const created = new Map(users.filter((u) => /^u-c/.test(u.userName)).map((u) => [u.userName, u.id]));
  for (const name of model.users) if (!created.has(name)) failures.push(`user ${name}: acknowledged, missing`);
  for (const name of created.keys()) {
    if (model.users.has(name)) continue;
    if (name === model.pendingUser) model.users.add(name);  // the create in flight was applied
    else failures.push(`user ${name}: there, never acknowledged nor in flight`);
  }
  model.pendingUser = null;
  const instances = new Set(query(db, "SELECT owner_id FROM workbins WHERE owner_type = 'Agent'").map((r) => r.owner_id));
  for (const [name, id] of created) if (!instances.has(id)) failures.push(`user ${name}: no Agent workbin instance`);
  const groups = (await ops.get('/api/v2/agent-groups?fields=*')).json?.agentGroups ?? [];
  const crowd = groups.find((g) => g.name === 'crowd');
  const c = model.crowd;
  if (!c.id) {  // its creation was in flight
    if (crowd) Object.assign(c, { id: crowd.id, acked: [], pending: null });
    return failures;
  }
  const agents = [...(crowd?.agents ?? [])].sort();
  const same = (list) => list && isDeepStrictEqual(agents, [...list].sort());
  if (same(c.acked)) c.pending = null;
  else if (same(c.pending)) {
    c.acked = c.pending;
    c.pending = null;
  } else failures.push(`agent group crowd: ${agents.length} agents, want ${c.acked.length}${c.pending ? ` or ${c.pending.length}` : ''}`);
  return failures;
}
