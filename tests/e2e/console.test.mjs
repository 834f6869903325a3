// The web console end to end in a real browser: alice signs in, goes Ready,
// gets a workitem that feeder submits over the API, accepts it and parks it
// in her workbin email-in-progress; sam, in a second browser, sees it appear
// in alice's workbin live and pulls it; alice's table empties live; sam
// puts it in bob's workbin. Each step leaves a screenshot in the test's
// output folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../functional/lib/server.mjs';
import { Client } from '../functional/lib/client.mjs';
import { WORKITEMS_IN, ALICE_WB, BOB_WB } from '../functional/lib/workbins.mjs';
import { assertConsoleBuilt, openBrowser, outputDir, shot, signIn } from './lib/browser.mjs';

const SUBJECT = 'Refund request 4711';
let server, alice, sam, out;

before(async () => {
  assertConsoleBuilt();
  out = outputDir('console');
  server = await new Server().start();
  alice = await openBrowser();
  sam = await openBrowser();
});

after(async () => {
  await alice?.close();
  await sam?.close();
  await server?.cleanup();
});

test('alice takes a workitem and parks it; sam sees it live and pulls it', async () => {
  const a = alice.page;
  await a.goto(server.url + '/');
  await a.getByRole('heading', { name: 'workbind console' }).waitFor();
  await shot(a, out, '01-alice-sign-in');

  // A wrong password is refused in words, and the form stays.
  await a.getByLabel('User name').fill('alice');
  await a.getByLabel('Password').fill('wrong');
  await a.getByRole('button', { name: 'Sign in' }).click();
  await a.getByRole('alert').filter({ hasText: 'Access denied' }).waitFor();
  await shot(a, out, '02-alice-wrong-password');

  await signIn(a, server.url + '/', 'alice', 'alice-demo-pw');
  await shot(a, out, '03-alice-signed-in');

  // sam watches the team from the start; he signs in with the keyboard only.
  const s = sam.page;
  await s.goto(server.url + '/');
  await s.keyboard.press('Tab');
  assert.equal(await s.evaluate(() => document.activeElement?.id), 'user');
  await s.keyboard.type('sam');
  await s.keyboard.press('Tab');
  assert.equal(await s.evaluate(() => document.activeElement?.id), 'password');
  await s.keyboard.type('sam-demo-pw');
  await s.keyboard.press('Enter');
  await s.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
  const aliceBinForSam = s.locator('article[data-agent="alice"] section[data-workbin="email-in-progress"]');
  await aliceBinForSam.getByText('This workbin is empty').waitFor();
  await shot(s, out, '04-sam-team');

  // Ready on workitem.
  await a.getByRole('button', { name: 'Ready on workitem' }).click();
  await a.getByTestId('channel-state-workitem').filter({ hasText: /^Ready$/ }).waitFor();
  await shot(a, out, '05-alice-ready');
  // sam sees the channel state change live.
  await s.locator('article[data-agent="alice"] .channels li', { hasText: 'workitem' }).filter({ hasText: /Ready$/ }).waitFor();

  // feeder submits; the router offers it to alice (the only Ready agent).
  const feeder = new Client(server.url, 'feeder');
  const submitted = await feeder.post(`/api/v2/queues/${WORKITEMS_IN}`, {
    operationName: 'Submit', mediaType: 'workitem', userData: { Subject: SUBJECT },
  });
  assert.equal(submitted.json?.statusCode, 0, submitted.text);
  const id = submitted.json.id;
  const offer = a.locator(`.offer[data-id="${id}"]`);
  await offer.getByText(SUBJECT).waitFor();
  await offer.getByRole('timer').waitFor();
  await shot(a, out, '06-alice-offer');
  await offer.getByRole('button', { name: 'Accept' }).click();
  const inHand = a.locator(`ul.mine li[data-id="${id}"]`);
  await inHand.locator('strong', { hasText: SUBJECT }).waitFor();
  await offer.waitFor({ state: 'detached' });
  await shot(a, out, '07-alice-accepted');

  // User data: attach a key, see it, delete it.
  await inHand.getByLabel('Key', { exact: true }).fill('Outcome');
  await inHand.getByLabel('Value', { exact: true }).fill('refund');
  await inHand.getByRole('button', { name: 'Attach / update' }).click();
  const outcome = inHand.locator('table.userdata tr', { hasText: 'Outcome' });
  await outcome.getByRole('cell', { name: 'refund', exact: true }).waitFor();
  await shot(a, out, '07b-alice-user-data');
  await outcome.getByRole('button', { name: 'Delete Outcome' }).click();
  await outcome.waitFor({ state: 'detached' });

  // Park it in email-in-progress.
  await inHand.getByLabel('Workbin', { exact: true }).selectOption({ label: 'Email in progress' });
  await inHand.getByRole('button', { name: 'Add to workbin' }).click();
  const aliceBin = a.locator('section[data-workbin="email-in-progress"]');
  await aliceBin.locator(`tr[data-id="${id}"]`).getByRole('cell', { name: SUBJECT, exact: true }).waitFor();
  await inHand.waitFor({ state: 'detached' });
  await shot(a, out, '08-alice-parked');

  // sam's view of alice's workbin shows it without a reload.
  const row = aliceBinForSam.locator(`tr[data-id="${id}"]`);
  await row.getByRole('cell', { name: SUBJECT, exact: true }).waitFor();
  await shot(s, out, '09-sam-sees-it');
  await row.getByRole('button', { name: `Pull ${SUBJECT}` }).click();
  await row.waitFor({ state: 'detached' });
  await s.locator(`ul.mine li[data-id="${id}"] strong`, { hasText: SUBJECT }).waitFor();
  await shot(s, out, '10-sam-pulled');

  // alice's table empties live.
  await aliceBin.locator(`tr[data-id="${id}"]`).waitFor({ state: 'detached' });
  await aliceBin.getByText('This workbin is empty').waitFor();
  await shot(a, out, '11-alice-updated');

  // The server agrees: sam owns it, alice's workbin is empty.
  const samMine = await new Client(server.url, 'sam').get('/api/v2/me/workitems');
  assert.ok(samMine.json.uris.some((u) => u.endsWith(id)), JSON.stringify(samMine.json));
  const aliceBinNow = await new Client(server.url, 'alice').get(`/api/v2/me/workbins/${ALICE_WB}?subresources=*`);
  assert.equal(aliceBinNow.json.workbin.workitems, undefined, aliceBinNow.text);

  // sam hands it to bob's workbin; his view of bob's workbin shows it.
  const samHand = s.locator(`ul.mine li[data-id="${id}"]`);
  await samHand.getByLabel('Workbin', { exact: true }).selectOption({ label: 'Email in progress (bob)' });
  await samHand.getByRole('button', { name: 'Add to workbin' }).click();
  await samHand.waitFor({ state: 'detached' });
  await s.locator(`article[data-agent="bob"] section[data-workbin="email-in-progress"] tr[data-id="${id}"]`).waitFor();
  await shot(s, out, '12-sam-added-to-bob');
  const bobBin = await new Client(server.url, 'bob').get(`/api/v2/me/workbins/${BOB_WB}?subresources=*`);
  assert.deepEqual(bobBin.json.workbin.workitems?.map((w) => w.id), [id], bobBin.text);

  assert.deepEqual(alice.errors, []);
  assert.deepEqual(sam.errors, []);
});
