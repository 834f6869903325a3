// Authorization matrix of the Workbins API: every workbin route of the route
// table (read from /api/v2/openapi.json, which is generated from it) and
// every operationName it takes, called by nine principals, against alice's
// Agent workbin. A route or operation without a row here fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from './lib/server.mjs';
import { Client, request } from './lib/client.mjs';
import { ALICE_WB, TEAM_WB } from './lib/workbins.mjs';

const ALICE = '1b90bfb1f4335e9587c3f500f9e4432e';
const UNKNOWN_INTERACTION = '0123456789abcdef0123456789abcdef';

// Who may see alice's Agent workbin and act for alice: alice herself, sam
// (supervisor of her group), ops (admin) and feeder (API user). bob (same
// group), carol (agent of another group) and sue (supervisor of another
// group) may not; zed belongs to another contact center, where neither the
// workbin nor alice exist.
const PRINCIPALS = ['alice', 'bob', 'carol', 'sam', 'sue', 'ops', 'feeder', 'zed', 'anonymous'];
const ALLOWED = new Set(['alice', 'sam', 'ops', 'feeder']);
const HTTP = { 0: 200, 5: 403, 6: 404, 20: 401 };

// Expected statusCode for `who` under a rule: 'visible' (the allowed four get
// `ok`, the others 5, zed 6) or 'anyone' (every user gets `ok`).
function expected(rule, ok, who) {
  if (who === 'anonymous') return 20;
  if (rule === 'anyone') return ok;
  if (who === 'zed') return 6;
  return ALLOWED.has(who) ? ok : 5;
}

// Operation families: every operationName of a workbin route belongs to one.
function family(op) {
  if (/^Add/.test(op)) return 'Add';
  if (/^Pull/.test(op)) return 'Pull';
  if (['Subscribe', 'Unsubscribe', 'Unubscribe'].includes(op)) return 'Subscription';
  return op;  // RequestStats, RequestAgentStats, MoveInteraction
}

// Bodies per family; an unknown interaction reaches the interaction lookup
// only after the workbin (and by-user) checks passed, hence 6 when allowed.
const BODY = {
  Add: (op) => ({ operationName: op, id: UNKNOWN_INTERACTION }),
  Pull: (op) => ({ operationName: op, id: UNKNOWN_INTERACTION }),
  Subscription: (op) => ({ operationName: op }),
  RequestStats: (op) => ({ operationName: op }),
  RequestAgentStats: (op) => ({ operationName: op, workbinType: 'Agent' }),
  MoveInteraction: (op) => ({ operationName: op, id: UNKNOWN_INTERACTION, toWorkbinId: TEAM_WB }),
};

// The matrix: `${method} ${path}[ ${family}]` -> [rule, statusCode when allowed].
const ITEM_POST = { Add: ['visible', 6], Pull: ['visible', 6], Subscription: ['visible', 0],
  RequestStats: ['visible', 0], MoveInteraction: ['visible', 6] };
const MATRIX = {
  'GET /api/v2/workbins': ['anyone', 0],
  'GET /api/v2/me/workbins': ['anyone', 0],
  'POST /api/v2/workbins Subscription': ['visible', 0],
  'POST /api/v2/workbins RequestAgentStats': ['anyone', 0],
  'POST /api/v2/me/workbins Subscription': ['visible', 0],
  'POST /api/v2/me/workbins RequestAgentStats': ['anyone', 0],
  'GET /api/v2/users/{userId}/workbins': ['visible', 0],
  'POST /api/v2/users/{userId}/workbins Subscription': ['visible', 0],
  'POST /api/v2/users/{userId}/workbins RequestAgentStats': ['visible', 0],
  'GET /api/v2/users/{userId}/workbins/{id}': ['visible', 0],
  'GET /api/v2/users/{userId}/workbins/{id}/{mediaType}': ['visible', 0],
  'GET /api/v2/{userId}/workbins/{id}': ['visible', 0],
  'GET /api/v2/{userId}/workbins/{id}/{mediaType}': ['visible', 0],
  'GET /api/v2/workbins/{id}': ['visible', 0],
  'GET /api/v2/workbins/{id}/{mediaType}': ['visible', 0],
  'GET /api/v2/me/workbins/{id}': ['visible', 0],
  'GET /api/v2/me/workbins/{id}/{mediaType}': ['visible', 0],
};
for (const base of ['/api/v2/workbins/{id}', '/api/v2/me/workbins/{id}', '/api/v2/users/{userId}/workbins/{id}'])
  for (const [fam, row] of Object.entries(ITEM_POST)) MATRIX[`POST ${base} ${fam}`] = row;

function concrete(method, path) {
  let p = path.replace('{userId}', ALICE).replace('{id}', ALICE_WB).replace('{mediaType}', 'workitems');
  // The collection POSTs name their workbins in the query.
  if (method === 'POST' && /\/workbins$/.test(p)) p += `?workbinIds=${ALICE_WB}`;
  return p;
}

let server, dir;
const clients = {};

before(async () => {
  const demo = readDemo();
  const cc = demo.contactCenters[0];
  cc.users.push(
    { userName: 'carol', password: 'carol-test-pw', roles: ['ROLE_AGENT'] },
    { userName: 'sue', password: 'sue-test-pw', roles: ['ROLE_SUPERVISOR'] });
  cc.agentGroups.push({ name: 'team-b', agents: ['carol'], supervisors: ['sue'] });
  demo.contactCenters.push({
    name: 'acme', features: ['api-multimedia'],
    users: [{ userName: 'zed', password: 'zed-test-pw', roles: ['ROLE_AGENT'] }],
    workbins: [{ name: 'inbox', type: 'Agent' }],
  });
  dir = mkdtempSync(join(tmpdir(), 'wb-authz-'));
  const file = join(dir, 'provisioning.json');
  writeFileSync(file, JSON.stringify(demo));
  server = await new Server({ provision: file }).start();
  const passwords = { carol: 'carol-test-pw', sue: 'sue-test-pw', zed: 'zed-test-pw' };
  for (const who of PRINCIPALS) {
    if (who === 'anonymous') continue;
    clients[who] = new Client(server.url, who, passwords[who]);
    await clients[who].login();
  }
});
after(async () => {
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(who, method, path, body) {
  if (who === 'anonymous') return request(server.url, method, path, { body });
  return clients[who].call(method, path, body);
}

test('every workbin route and operation has a row, and each principal gets its statusCode', async () => {
  const doc = await request(server.url, 'GET', '/api/v2/openapi.json');
  assert.equal(doc.status, 200);
  const cases = [];
  for (const [path, item] of Object.entries(doc.json.paths)) {
    if (!path.includes('/workbins')) continue;
    for (const [method, op] of Object.entries(item)) {
      const M = method.toUpperCase();
      if (M !== 'POST') {
        cases.push({ key: `${M} ${path}`, M, path });
        continue;
      }
      const schema = op.requestBody.content['application/json'].schema;
      for (const s of schema.oneOf ?? [schema]) {
        const name = s.properties?.operationName?.const;
        assert.ok(name, `${M} ${path}: a body without operationName has no row`);
        cases.push({ key: `${M} ${path} ${family(name)}`, M, path, name });
      }
    }
  }
  const missing = cases.filter((c) => !MATRIX[c.key]).map((c) => c.key);
  assert.deepEqual([...new Set(missing)], [], 'workbin routes without a row in the matrix');
  const unused = Object.keys(MATRIX).filter((k) => !cases.some((c) => c.key === k));
  assert.deepEqual(unused, [], 'rows for routes the server does not have');
  assert.ok(cases.length >= 60, `only ${cases.length} cases`);

  const failures = [];
  for (const c of cases) {
    const [rule, ok] = MATRIX[c.key];
    const body = c.name ? BODY[family(c.name)](c.name) : undefined;
    for (const who of PRINCIPALS) {
      const want = expected(rule, ok, who);
      const r = await call(who, c.M, concrete(c.M, c.path), body);
      const got = r.json?.statusCode;
      if (got !== want || r.status !== HTTP[want])
        failures.push(`${who} ${c.M} ${concrete(c.M, c.path)} ${c.name ?? ''}: want ${want}/${HTTP[want]}, got ${got}/${r.status} ${r.text.slice(0, 120)}`);
    }
  }
  assert.deepEqual(failures, []);
});
