// Bad input catalogue: malformed and hostile requests across the API, each
// answered with its documented HTTP status, statusCode (and message where the
// conventions fix it), and each leaving a snapshot of the resources it aims
// at unchanged: broken JSON, bodies that are not objects, wrong types, huge
// numbers, deep nesting, invalid UTF-8, path traversal and malformed ids,
// header and body limits, unknown operations, mismatched media names, bad
// query parameters, and raw HTTP that is not HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib/server.mjs';
import { DEMO, basic, request, rawExchange } from './lib/client.mjs';
import { ALICE_WB, TEAM_WB, WORKITEMS_IN } from './lib/workbins.mjs';

const ALICE = DEMO.users.alice.id;
const CASES = [];
let server;
const ids = {};

// A case: who calls (Basic), method, path (a function of ids), body as a
// value (JSON-encoded) or `raw` bytes, and what must come back.
function bad(name, { who = 'alice', method = 'POST', path, body, raw, headers = {}, status, code, message, verbatim }) {
  CASES.push({ name, who, method, path, body, raw, headers, status, code, message, verbatim });
}

// A GET with the target sent byte for byte (fetch would resolve `.` and
// `..` segments before sending).
async function verbatimGet(target, who) {
  const reply = await rawExchange(server.port, [`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic(who)}\r\nConnection: close\r\n\r\n`]);
  const status = Number(reply.match(/^HTTP\/1\.1 (\d+)/)?.[1]);
  const text = reply.slice(reply.indexOf('\r\n\r\n') + 4);
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status, text, json };
}

const ITEM = () => `/api/v2/me/workitems/${ids.owned}`;
const BIN = `/api/v2/workbins/${ALICE_WB}`;
const QUEUE = `/api/v2/queues/${WORKITEMS_IN}`;
const json = { 'Content-Type': 'application/json' };

// 1. Broken JSON: 400, 10, "Malformed JSON at byte N".
const MALFORMED = ['{', '{"operationName":}', '{"operationName":"Accept",}', "{'operationName':'Accept'}",
  '{"operationName":"Accept"} x', '{"a":NaN}', '{"a":Infinity}', '{"a":01}', '{"a":1.}', '{"a":.5}',
  '{"a":"\\x41"}', '{"a":"tab\there"}', '{/*c*/"a":1}', '{"a":1}}', '{"a" 1}', '{"a":[1,2}', 'nul', 'tru',
  '{"a":"\\ud800"x}', '\u0000'];
MALFORMED.forEach((raw, i) => {
  const target = [() => ITEM(), () => BIN, () => '/api/v2/me', () => QUEUE, () => '/api/v2/places'][i % 5];
  const who = target() === QUEUE ? 'feeder' : target() === '/api/v2/places' ? 'ops' : 'alice';
  bad(`malformed JSON #${i} ${JSON.stringify(raw)}`, { who, path: target, raw, headers: json, status: 400, code: 10, message: /^Malformed JSON at byte \d+/ });
});

// 2. Bodies that are not JSON objects: 400, 10.
for (const raw of ['[]', '[{"operationName":"Accept"}]', '"Accept"', '42', 'null', 'true', '-1e9'])
  for (const path of [() => ITEM(), () => BIN])
    bad(`non-object body ${raw} on ${path() === BIN ? 'workbin' : 'workitem'}`, { path, raw, headers: json, status: 400, code: 10, message: /^Request body must be a JSON object$/ });

// 3. operationName missing, of the wrong type, or unknown on the route.
bad('no operationName on a workitem', { path: ITEM, body: {}, status: 400, code: 1, message: /^Missing required field 'operationName'$/ });
bad('no operationName on a workbin', { path: () => BIN, body: { id: 'x' }, status: 400, code: 1, message: /operationName/ });
for (const v of [5, true, [], {}, ['Accept']])
  bad(`operationName ${JSON.stringify(v)}`, { path: ITEM, body: { operationName: v }, status: 400, code: 10, message: /operationName/ });
// null counts as absent.
bad('operationName null', { path: ITEM, body: { operationName: null }, status: 400, code: 1, message: /^Missing required field 'operationName'$/ });
for (const [path, op] of [[ITEM, 'Foo'], [ITEM, 'accept'], [ITEM, 'Accept '], [ITEM, 'AddWorkitem'],
  [() => BIN, 'Accept'], [() => BIN, 'Pull'], [() => BIN, 'AddInteractionToWorkbinX'], [() => '/api/v2/me', 'Complete'],
  [() => '/api/v2/me/channels/workitem', 'Busy'], [() => '/api/v2/workbins', 'RequestStats'], [() => ITEM(), '']])
  bad(`unknown operation '${op}' on ${path()}`, { path, body: { operationName: op }, status: 400, code: 2, message: /Unknown operationName/ });
bad('unknown operation on a queue (feeder)', { who: 'feeder', path: () => QUEUE, body: { operationName: 'Drop' }, status: 400, code: 2, message: /Unknown operationName/ });

// 4. Wrong types and values of fields.
const WRONG = [
  ['AttachUserData userData string', ITEM, { operationName: 'AttachUserData', userData: 'x' }],
  ['AttachUserData userData array', ITEM, { operationName: 'AttachUserData', userData: [1] }],
  ['AttachUserData nested object value', ITEM, { operationName: 'AttachUserData', userData: { a: { b: 1 } } }],
  ['AttachUserData huge number', ITEM, { rawBody: '{"operationName":"AttachUserData","userData":{"n":1e400}}' }],
  ['AttachUserData empty key', ITEM, { operationName: 'AttachUserData', userData: { '': 1 } }],
  ['DeleteUserData keys string', ITEM, { operationName: 'DeleteUserData', keys: 'Note' }],
  ['DeleteUserData keys numbers', ITEM, { operationName: 'DeleteUserData', keys: [1, 2] }],
  ['Complete queueName number', ITEM, { operationName: 'Complete', queueName: 7 }],
  ['PlaceInQueue queueName object', ITEM, { operationName: 'PlaceInQueue', queueName: {} }],
  ['AddWorkitem id number', () => BIN, { operationName: 'AddWorkitem', id: 42 }],
  ['AddWorkitem id array', () => BIN, { operationName: 'AddWorkitem', id: ['a'] }],
  ['PullWorkitem id bool', () => BIN, { operationName: 'PullWorkitem', id: true }],
  ['MoveInteraction toWorkbinId number', () => BIN, { operationName: 'MoveInteraction', id: 'x', toWorkbinId: 1 }],
  ['NotReady reason number', () => '/api/v2/me/channels/workitem', { operationName: 'NotReady', reason: 5 }],
  ['AttachUserData minus huge number', ITEM, { rawBody: '{"operationName":"AttachUserData","userData":{"n":-1e400}}' }],
  ['StartContactCenterSession channels string', () => '/api/v2/me', { operationName: 'StartContactCenterSession', channels: 'workitem' }],
  ['StartContactCenterSession channels numbers', () => '/api/v2/me', { operationName: 'StartContactCenterSession', channels: [1] }],
  ['Create queueUri number', () => '/api/v2/me/workitems', { operationName: 'Create', queueUri: 1 }],
  ['Create userData string', () => '/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, userData: 's' }],
  ['Create contactId number', () => '/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, contactId: 5 }],
];
for (const [name, path, body] of WRONG) {
  if (body.rawBody) bad(name, { path, raw: body.rawBody, headers: json, status: 400, code: 10 });
  else bad(name, { path, body, status: 400, code: 10 });
}
const FEEDER_WRONG = [
  ['Submit mediaType number', { operationName: 'Submit', mediaType: 1 }],
  ['Submit userData array', { operationName: 'Submit', mediaType: 'workitem', userData: [] }],
  ['Submit contactId object', { operationName: 'Submit', mediaType: 'workitem', contactId: {} }],
  ['Submit huge integer user data', null, '{"operationName":"Submit","mediaType":"workitem","userData":{"n":123456789012345678901234567890e300}}'],
];
for (const [name, body, raw] of FEEDER_WRONG) {
  if (raw) bad(name, { who: 'feeder', path: () => QUEUE, raw, headers: json, status: 400, code: 10 });
  else bad(name, { who: 'feeder', path: () => QUEUE, body, status: 400, code: 10 });
}
bad('Submit without mediaType', { who: 'feeder', path: () => QUEUE, body: { operationName: 'Submit' }, status: 400, code: 1 });
bad('Submit unknown mediaType', { who: 'feeder', path: () => QUEUE, body: { operationName: 'Submit', mediaType: 'fax' }, status: 400, code: 10 });
bad('AttachUserData userData null (absent)', { path: ITEM, body: { operationName: 'AttachUserData', userData: null }, status: 400, code: 1 });
bad('Create without queueUri', { path: () => '/api/v2/me/workitems', body: { operationName: 'Create' }, status: 400, code: 1 });
bad('AddWorkitem without id', { path: () => BIN, body: { operationName: 'AddWorkitem' }, status: 400, code: 1 });
// Provisioning writes with bad values (ops).
for (const [name, path, body] of [
  ['user with a role that does not exist', '/api/v2/users', { userName: 'x-new', password: 'long-enough-pw', roles: ['ROLE_GOD'] }],
  ['user with an empty role list', '/api/v2/users', { userName: 'x-new', password: 'long-enough-pw', roles: [] }],
  ['user with a short password', '/api/v2/users', { userName: 'x-new', password: 'short', roles: ['ROLE_AGENT'] }],
  ['user name with a slash', '/api/v2/users', { userName: '../x', password: 'long-enough-pw', roles: ['ROLE_AGENT'] }],
  ['user name of 10000 characters', '/api/v2/users', { userName: 'u'.repeat(10000), password: 'long-enough-pw', roles: ['ROLE_AGENT'] }],
  ['place name number', '/api/v2/places', { name: 1 }],
  ['place name with a NUL', '/api/v2/places', { name: 'a\u0000b' }],
  ['agent group with agents string', '/api/v2/agent-groups', { name: 'g-new', agents: 'alice' }],
  ['workbin definition of an unknown type', '/api/v2/workbin-definitions', { name: 'wb-new', type: 'Galaxy' }],
  ['queue without agent group', '/api/v2/queues', { name: 'q-new' }],
]) bad(name, { who: 'ops', path: () => path, body, status: 400, code: /without agent group|empty role/.test(name) ? undefined : 10 });

// 5. Deep nesting: deeper than 32 levels is 400, 10.
for (const depth of [33, 100, 5000]) {
  bad(`nesting of ${depth} arrays in user data`, { path: ITEM, raw: `{"operationName":"AttachUserData","userData":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`, headers: json, status: 400, code: 10 });
  bad(`nesting of ${depth} objects`, { path: () => BIN, raw: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, headers: json, status: 400, code: 10 });
}

// 6. Invalid UTF-8 in bodies.
for (const [name, bytes] of [['lone continuation byte', [0x80]], ['truncated sequence', [0xe2, 0x82]],
  ['overlong slash', [0xc0, 0xaf]], ['surrogate encoded', [0xed, 0xa0, 0x80]], ['0xff', [0xff]]]) {
  const raw = Buffer.concat([Buffer.from('{"operationName":"AttachUserData","userData":{"k":"'), Buffer.from(bytes), Buffer.from('"}}')]);
  bad(`invalid UTF-8 (${name}) in a value`, { path: ITEM, raw, headers: json, status: 400, code: 10 });
}
bad('invalid UTF-8 in a key', { path: ITEM, raw: Buffer.concat([Buffer.from('{"operationName":"AttachUserData","userData":{"'), Buffer.from([0xfe]), Buffer.from('":1}}')]), headers: json, status: 400, code: 10 });

// 7. Path traversal and malformed ids: 404, 6.
for (const p of ['/api/v2/workbins/..%2F..%2Fetc%2Fpasswd', '/api/v2/workbins/%2e%2e', '/api/v2/workbins/.',
  '/api/v2/me/workitems/..', '/api/v2/me/workitems/%2e%2e%2fsecrets', '/api/v2/interactions/%ff%fe',
  '/api/v2/users/..%2fsystem', '/api/v2/users/%00', `/api/v2/users/${ALICE}%00`, '/api/v2/queues/%2F',
  `/api/v2/workbins/${ALICE_WB}/..%2f..%2fme`, '/api/v2/contacts/..%5c..%5cwin.ini',
  `/api/v2/interactions/${'a'.repeat(5000)}`, '/api/v2/places/%25%32%65%25%32%65'])
  bad(`traversal GET ${p.slice(0, 60)}`, { who: 'ops', method: 'GET', path: () => p, verbatim: true, status: 404, code: 6 });
bad('traversal in an Add id', { path: () => BIN, body: { operationName: 'AddWorkitem', id: '../../etc/passwd' }, status: 404, code: 6 });
bad('traversal in toWorkbinId', { path: () => BIN, body: { operationName: 'MoveInteraction', id: '../x', toWorkbinId: '../../' }, status: 404, code: 6 });
bad('traversal in queueUri', { path: () => '/api/v2/me/workitems', body: { operationName: 'Create', queueUri: '/queues/../users' }, status: 404, code: 6 });

// 8. Mismatched media names.
bad('AddEmail with a workitem', { path: () => BIN, body: { operationName: 'AddEmail', id: 'OWNED' }, status: 400, code: 2 });
bad('PullChat of a parked workitem', { path: () => BIN, body: { operationName: 'PullChat', id: 'PARKED' }, status: 400, code: 2 });
bad('a workitem on /me/emails', { method: 'POST', path: () => `/api/v2/me/emails/${ids.owned}`, body: { operationName: 'Complete' }, status: 404, code: 6 });
bad('a workitem on /me/chats', { method: 'GET', path: () => `/api/v2/me/chats/${ids.owned}`, status: 404, code: 6 });
bad('a workitem on /openmedia/tweet', { method: 'POST', path: () => `/api/v2/openmedia/tweet/${ids.owned}`, body: { operationName: 'Complete' }, status: 404, code: 6 });
bad('an unknown open-media type', { method: 'GET', path: () => '/api/v2/me/openmedia/fax', status: 404, code: 6 });
bad('a workbin media name that does not exist', { method: 'GET', path: () => `${BIN}/faxes`, status: 404, code: 6 });

// 9. Query parameters.
for (const q of ['?limit=-1', '?limit=0', '?limit=abc', '?limit=99999999999999999999999', '?limit=1e3', '?sort=nope:asc',
  '?cursor=not-a-cursor', '?subresources=nope'])
  bad(`workbin content ${q}`, { method: 'GET', path: () => `${BIN}/workitems${q}`, status: 400, code: 10 });
bad('workbinIds with a malformed id', { method: 'GET', path: () => '/api/v2/workbins?workbinIds=..%2F', status: 404, code: 6 });

// 10. Limits: headers over http.maxHeaderBytes (400, 10), a body over
// http.maxBodyBytes (413, 10).
bad('header block over the limit', { path: ITEM, headers: { 'X-Filler': 'x'.repeat(20000) }, body: { operationName: 'Complete' }, status: 400, code: 10 });
bad('body over the limit', { path: ITEM, body: { operationName: 'AttachUserData', userData: { big: 'x'.repeat(1100000) } }, status: 413, code: 10, message: /^Request body exceeds 1048576 bytes$/ });
bad('wrong content type with a JSON body', { path: ITEM, raw: '{"operationName":"Complete"}', headers: { 'Content-Type': 'text/plain' }, status: 415, code: 10 });

// ---- snapshot and run ----

// What any of these requests could touch: alice's interactions and
// workbin, the queue, the users, places, groups and channels.
async function snapshot() {
  const get = async (who, path) => {
    const r = await request(server.url, 'GET', path, { headers: { Authorization: basic(who) } });
    return [r.status, r.json];
  };
  return {
    owned: await get('feeder', `/api/v2/interactions/${ids.owned}`),
    parked: await get('feeder', `/api/v2/interactions/${ids.parked}`),
    bin: await get('alice', `${BIN}/workitems`),
    team: await get('alice', `/api/v2/workbins/${TEAM_WB}/workitems`),
    mine: await get('alice', '/api/v2/me/workitems?fields=*'),
    queues: await get('feeder', '/api/v2/queues?fields=*'),
    users: await get('ops', '/api/v2/users?fields=*'),
    places: await get('ops', '/api/v2/places?fields=*'),
    groups: await get('ops', '/api/v2/agent-groups?fields=*'),
    definitions: await get('ops', '/api/v2/workbin-definitions?fields=*'),
    channels: await get('alice', '/api/v2/me/channels?fields=*'),
    me: await get('alice', '/api/v2/me'),
  };
}

before(async () => {
  server = await new Server().start();
  const alice = { Authorization: basic('alice') };
  const create = async () => {
    const r = await request(server.url, 'POST', '/api/v2/me/workitems', { headers: alice, body: { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, userData: { Note: 'kept' } } });
    assert.equal(r.json.statusCode, 0, r.text);
    return r.json.id;
  };
  ids.owned = await create();
  ids.parked = await create();
  const add = await request(server.url, 'POST', BIN, { headers: alice, body: { operationName: 'AddWorkitem', id: ids.parked } });
  assert.equal(add.json.statusCode, 0, add.text);
});
after(async () => server?.cleanup());

test(`bad input: ${CASES.length} malformed or hostile requests get their statusCode and change nothing`, async () => {
  assert.ok(CASES.length >= 100, `only ${CASES.length} cases`);
  const before = await snapshot();
  const failures = [];
  for (const c of CASES) {
    const path = c.path();
    let body = c.body;
    if (body?.id === 'OWNED') body = { ...body, id: ids.owned };
    if (body?.id === 'PARKED') body = { ...body, id: ids.parked };
    const headers = { Authorization: basic(c.who), ...c.headers };
    const r = c.verbatim ? await verbatimGet(path, c.who) : await request(server.url, c.method, path, { headers, body, rawBody: c.raw });
    const got = r.json?.statusCode;
    const problems = [];
    if (r.status !== c.status) problems.push(`HTTP ${r.status} (want ${c.status})`);
    if (c.code !== undefined && got !== c.code) problems.push(`statusCode ${got} (want ${c.code})`);
    if (c.code === undefined && !(got > 0)) problems.push(`statusCode ${got} (want an error)`);
    if (r.json && got !== 0 && Object.keys(r.json).sort().join() !== 'statusCode,statusMessage') problems.push('error body with other keys');
    if (c.message && !c.message.test(r.json?.statusMessage ?? '')) problems.push(`message ${JSON.stringify(r.json?.statusMessage)}`);
    if (problems.length) failures.push(`${c.name}: ${problems.join(', ')}: ${r.text.slice(0, 160)}`);
  }
  const afterAll = await snapshot();
  assert.deepEqual(failures, []);
  assert.deepEqual(afterAll, before, 'the resources changed');
});

test('raw HTTP that is not HTTP is refused and the server goes on', async () => {
  const replies = [];
  for (const chunk of ['GARBAGE\r\n\r\n', 'GET /api/v2/me HTTP/9.9\r\n\r\n', 'GET\r\n\r\n',
    'POST /api/v2/me HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'POST /api/v2/me HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n',
    'POST /api/v2/me HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'GET /api/v2/me HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n']) {
    replies.push(await rawExchange(server.port, [chunk]));
  }
  for (const [i, r] of replies.entries()) assert.match(r, /^HTTP\/1\.1 4\d\d |^$/, `reply ${i}: ${r.slice(0, 80)}`);
  const ok = await request(server.url, 'GET', '/api/v2/me', { headers: { Authorization: basic('alice') } });
  assert.equal(ok.json.statusCode, 0);
});
