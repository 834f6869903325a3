// Every Add*/Pull* operationName of the Workbins API with an interaction of
// its media (workbins.md §3.3), with the CometD JS client listening: the
// reply's referenceId, the StatusChange message (InWorkbin, no capabilities,
// the Workbin keys) and the content read in between. Chats: workbins_chat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, readDemo } from './lib/server.mjs';
import { connectCometd } from './lib/cometd.mjs';
import { ALICE_WB, WORKITEMS_IN } from './lib/workbins.mjs';

let server, dir, alice;

before(async () => {
  const demo = readDemo();
  demo.contactCenters[0].mediaTypes = ['sms'];  // a custom open-media type
  dir = mkdtempSync(join(tmpdir(), 'wb-ops-'));
  writeFileSync(join(dir, 'provisioning.json'), JSON.stringify(demo));
  server = await new Server({ provision: join(dir, 'provisioning.json') }).start();
  alice = await connectCometd(server.port, 'alice');
});
after(async () => {
  await alice?.disconnect();
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// [collection route, Add name, Pull name, message type, resource key, state after Create]
const CASES = [
  ['/api/v2/me/workitems', 'AddWorkitem', 'PullWorkitem', 'WorkitemStateChangeMessage', 'workitem', 'Processing'],
  ['/api/v2/me/workitems', 'AddInteractionToWorkbin', 'PullInteraction', 'WorkitemStateChangeMessage', 'workitem', 'Processing'],
  ['/api/v2/me/emails', 'AddEmail', 'PullEmail', 'EmailStateChangeMessage', 'email', 'Composing'],
  ['/api/v2/me/emails', 'AddInteraction', 'PullInteraction', 'EmailStateChangeMessage', 'email', 'Composing'],
  ['/api/v2/me/openmedia/tweet', 'AddTweet', 'PullTweet', 'OpenmediaStateChangeMessage', 'openmedia', 'Processing'],
  ['/api/v2/me/openmedia/facebook', 'AddFacebook', 'PullFacebook', 'OpenmediaStateChangeMessage', 'openmedia', 'Processing'],
  ['/api/v2/me/openmedia/facebooksession', 'AddFacebooksession', 'PullFacebooksession', 'OpenmediaStateChangeMessage', 'openmedia', 'Processing'],
  ['/api/v2/me/openmedia/sms', 'AddOpenmedia', 'PullOpenmedia', 'OpenmediaStateChangeMessage', 'openmedia', 'Processing'],
];

for (const [route, addName, pullName, type, key, initial] of CASES) {
  test(`${addName} / ${pullName} on ${route.split('/').pop()}`, async () => {
    const c = await alice.rest.post(route, { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}` });
    assert.equal(c.json.statusCode, 0, c.text);
    const id = c.json.id;
    const add = await alice.rest.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: addName, id });
    assert.equal(add.json.statusCode, 0, add.text);
    assert.ok(add.json.referenceId > 0);
    const parked = await alice.waitFor((m) => m.data.messageType === type && m.data.referenceId === add.json.referenceId);
    assert.equal(parked.data.notificationType, 'StatusChange');
    assert.equal(parked.data[key].id, id);
    assert.equal(parked.data[key].state, 'InWorkbin');
    assert.deepEqual(parked.data[key].capabilities, []);
    assert.equal(parked.data[key].userData.Workbin, 'email-in-progress');
    assert.equal(parked.data[key].userData.WorkbinAgentId, 'alice');

    const content = await alice.rest.get(`/api/v2/workbins/${ALICE_WB}?subresources=*`);
    const held = Object.values(content.json.workbin).filter(Array.isArray).flat().map((i) => i.id);
    assert.ok(held.includes(id), content.text);

    const pull = await alice.rest.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: pullName, id });
    assert.equal(pull.json.statusCode, 0, pull.text);
    const back = await alice.waitFor((m) => m.data.messageType === type && m.data.referenceId === pull.json.referenceId);
    assert.equal(back.data[key].state, initial);
    assert.ok(back.data[key].capabilities.length > 0);
  });
}

test('saveLAR on Add records the workbin owner as the last agent of the contact', async () => {
  const contactId = '0000WbLar0000001';
  const c = await alice.rest.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, contactId,
  });
  assert.equal(c.json.statusCode, 0, c.text);
  const before = await alice.rest.get(`/api/v2/contacts/${contactId}`);
  assert.equal(before.json.contact?.lastAgentUserName, undefined, before.text);
  const add = await alice.rest.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id: c.json.id, saveLAR: true });
  assert.equal(add.json.statusCode, 0, add.text);
  const after = await alice.rest.get(`/api/v2/contacts/${contactId}`);
  assert.equal(after.json.contact.lastAgentUserName, 'alice', after.text);
  // Without saveLAR the profile is left alone.
  const other = '0000WbLar0000002';
  const c2 = await alice.rest.post('/api/v2/me/workitems', { operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, contactId: other });
  await alice.rest.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddWorkitem', id: c2.json.id });
  const untouched = await alice.rest.get(`/api/v2/contacts/${other}`);
  assert.equal(untouched.json.contact?.lastAgentUserName, undefined, untouched.text);
});
