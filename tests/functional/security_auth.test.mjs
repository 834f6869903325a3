// Password guessing and sessions that must end, against the real binary:
// an unknown user name costs the same Argon2id verification as a wrong
// password (counted by workbind_auth_password_verifications_total, not
// timed); failed Basic sign-ins are throttled per user name and per address
// (429 + Retry-After, statusCode 20) while cookies keep working; and a new
// password, a lost role or a lost supervision set through the provisioning
// API ends the user's sessions.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { Client, DEMO, basic, request } from './lib/client.mjs';
import { post as bayeux } from './lib/bayeux.mjs';

const servers = [];
async function start(settings = {}) {
  const s = await new Server({ settings }).start();
  servers.push(s);
  return s;
}
after(async () => {
  for (const s of servers) await s.cleanup();
});

// The value of an unlabeled counter of /metrics (NaN when absent).
async function counter(s, name) {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const m = text.match(new RegExp(`^${name} (\\S+)$`, 'm'));
  return m ? Number(m[1]) : NaN;
}

const me = (s, user, password) =>
  request(s.url, 'GET', '/api/v2/me', { headers: { Authorization: basic(user, password) } });

const handshake = (s, headers) =>
  bayeux(s.url, [{ id: '1', channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }],
    { headers });

// A 429 of the throttle: Retry-After in [1, max] s, named in the exact body,
// and no Basic challenge.
function assertThrottled(r, max) {
  assert.equal(r.status, 429, r.text);
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= max, `Retry-After ${r.headers.get('retry-after')}`);
  assert.equal(r.text, `{"statusCode":20,"statusMessage":"Too many failed sign-in attempts; retry in ${retry} s"}`);
  assert.equal(r.headers.get('www-authenticate'), null);
  return retry;
}

test('an unknown user name was answered without any Argon2 verification (names enumerable by timing)', async () => {
  const s = await start();
  const v0 = await counter(s, 'workbind_auth_password_verifications_total');
  assert.ok(Number.isFinite(v0), 'the verification counter is exposed');
  assert.equal((await me(s, 'alice', 'not-her-password')).status, 401);
  const v1 = await counter(s, 'workbind_auth_password_verifications_total');
  assert.equal(v1, v0 + 1, 'a wrong password for an existing user runs one verification');
  const unknown = await me(s, 'no-such-user', 'not-her-password');
  assert.equal(unknown.status, 401);
  assert.deepEqual(unknown.json, { statusCode: 20, statusMessage: 'Access denied' });
  assert.equal(await counter(s, 'workbind_auth_password_verifications_total'), v1 + 1,
    'an unknown user name runs one verification too');
  assert.equal(await counter(s, 'workbind_auth_failures_total'), 2);
});

test('wrong passwords for one name could be tried without limit (per-name throttle)', async () => {
  const s = await start({
    auth: { throttle: { maxFailures: 3, maxFailuresPerAddress: 100, lockoutSeconds: 2, maxLockoutSeconds: 2 } },
  });
  const aliceCookie = new Client(s.url, 'alice');
  await aliceCookie.login();
  const throttled0 = await counter(s, 'workbind_auth_throttled_total');
  assert.equal(throttled0, 0);
  for (let i = 0; i < 3; ++i) assert.equal((await me(s, 'alice', `guess-${i}`)).status, 401);
  const v = await counter(s, 'workbind_auth_password_verifications_total');

  // Even the right password is refused at once, without a verification.
  assertThrottled(await me(s, 'alice'), 2);
  assert.equal(await counter(s, 'workbind_auth_password_verifications_total'), v);
  assert.equal(await counter(s, 'workbind_auth_throttled_total'), 1);

  // Other users and alice's cookie keep working.
  assert.equal((await me(s, 'bob')).status, 200);
  assert.equal((await aliceCookie.get('/api/v2/me')).status, 200);

  // The lockout ends: poll (bounded) until the right password is accepted.
  const deadline = Date.now() + 10000;
  let r;
  for (;;) {
    r = await me(s, 'alice');
    if (r.status !== 429 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(r.status, 200, r.text);
  assert.ok(await counter(s, 'workbind_auth_throttled_total') >= 1);
});

test('wrong passwords sent all at once were each verified before any failure was recorded', async () => {
  // Requests wait for their Argon2id run without holding a thread, so many
  // can be in flight at once; the throttle is asked again on the worker,
  // next to the run, so at most maxFailures + workerThreads are verified.
  const s = await start({
    server: { workerThreads: 2 },
    auth: { throttle: { maxFailures: 3, maxFailuresPerAddress: 1000, lockoutSeconds: 60, maxLockoutSeconds: 60 } },
  });
  const v0 = await counter(s, 'workbind_auth_password_verifications_total');
  const replies = await Promise.all(Array.from({ length: 40 }, () => me(s, 'alice', 'all-at-once')));
  const statuses = replies.map((r) => r.status);
  assert.ok(statuses.every((st) => st === 401 || st === 429), statuses.join(','));
  const verified = (await counter(s, 'workbind_auth_password_verifications_total')) - v0;
  assert.ok(verified >= 3 && verified <= 3 + 2, `${verified} verifications for 40 attempts at once`);
  assert.equal(statuses.filter((st) => st === 429).length, 40 - verified);
  assert.equal(await counter(s, 'workbind_auth_throttled_total'), 40 - verified);
});

test('wrong passwords could be spread over many names from one address (per-address throttle)', async () => {
  const s = await start({
    auth: { throttle: { maxFailures: 100, maxFailuresPerAddress: 4, lockoutSeconds: 60, maxLockoutSeconds: 60 } },
  });
  const bobCookie = new Client(s.url, 'bob');
  await bobCookie.login();
  for (const name of ['x1', 'x2', 'alice', 'x4']) assert.equal((await me(s, name, 'guess')).status, 401);
  const v = await counter(s, 'workbind_auth_password_verifications_total');
  assertThrottled(await me(s, 'sam'), 60);
  assertThrottled(await me(s, 'bob'), 60);
  assert.equal(await counter(s, 'workbind_auth_password_verifications_total'), v);
  assert.equal(await counter(s, 'workbind_auth_throttled_total'), 2);
  // Cookies are never throttled.
  assert.equal((await bobCookie.get('/api/v2/me')).status, 200);
  // A Bayeux handshake with Basic credentials is refused with a clear error;
  // with the cookie it succeeds.
  const refused = await handshake(s, { Authorization: basic('bob') });
  assert.equal(refused.status, 200);
  assert.equal(refused.json[0].successful, false);
  assert.match(refused.json[0].error, /^403::Too many failed sign-in attempts; retry in \d+ s$/);
  assert.deepEqual(refused.json[0].advice, { reconnect: 'none' });
  const ok = await handshake(s, { Cookie: `JSESSIONID=${bobCookie.cookie}` });
  assert.equal(ok.json[0].successful, true, ok.text);
  assert.equal(await counter(s, 'workbind_auth_throttled_total'), 3);
});

test('a new password, a lost role or a lost supervision left the user\'s sessions alive', async () => {
  const s = await start();
  const ops = new Client(s.url, 'ops');
  await ops.login();
  const login = async (user, password) => {
    const c = new Client(s.url, user, password);
    await c.login();
    return c;
  };

  // An admin sets alice's password: both her sessions end, ops's does not.
  const alice1 = await login('alice');
  const alice2 = await login('alice');
  const set = await ops.put(`/api/v2/users/${DEMO.users.alice.id}`, { password: 'alice-new-pw-1' });
  assert.equal(set.status, 200, set.text);
  assert.equal((await alice1.get('/api/v2/me')).status, 401);
  assert.equal((await alice2.get('/api/v2/me')).status, 401);
  assert.equal((await ops.get('/api/v2/me')).status, 200);
  assert.equal((await me(s, 'alice', 'alice-new-pw-1')).status, 200);

  // Ops sets its own password: its other session ends, this one stays.
  const ops2 = await login('ops');
  const own = await ops.put(`/api/v2/users/${DEMO.users.ops.id}`, { password: 'ops-new-pw-1' });
  assert.equal(own.status, 200, own.text);
  assert.equal((await ops.get('/api/v2/me')).status, 200);
  assert.equal((await ops2.get('/api/v2/me')).status, 401);

  // Gaining a role keeps bob's session; losing one ends it.
  const bob = await login('bob');
  const gain = await ops.put(`/api/v2/users/${DEMO.users.bob.id}`, { roles: ['ROLE_AGENT', 'ROLE_SUPERVISOR'] });
  assert.equal(gain.status, 200, gain.text);
  assert.equal((await bob.get('/api/v2/me')).status, 200);
  const lose = await ops.put(`/api/v2/users/${DEMO.users.bob.id}`, { roles: ['ROLE_AGENT'] });
  assert.equal(lose.status, 200, lose.text);
  assert.equal((await bob.get('/api/v2/me')).status, 401);

  // Removed as supervisor of team-a: sam's session ends.
  const sam = await login('sam');
  const groups = await ops.get('/api/v2/agent-groups?fields=*');
  assert.equal(groups.status, 200, groups.text);
  const teamA = groups.json.agentGroups.find((g) => g.name === 'team-a');
  assert.ok(teamA, groups.text);
  const unsupervised = await ops.put(`/api/v2/agent-groups/${teamA.id}`, { supervisors: [] });
  assert.equal(unsupervised.status, 200, unsupervised.text);
  assert.equal((await sam.get('/api/v2/me')).status, 401);
  assert.equal((await ops.get('/api/v2/me')).status, 200);
});
