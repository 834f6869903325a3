// A workbin table in the browser: page size, Next/Previous through the
// server's cursors, sort by a user-data key, a user-data filter with its
// count, and a live addition while sorted and filtered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../functional/lib/server.mjs';
import { Client } from '../functional/lib/client.mjs';
import { WORKITEMS_IN, ALICE_WB } from '../functional/lib/workbins.mjs';
import { assertConsoleBuilt, openBrowser, outputDir, shot, signIn, until } from './lib/browser.mjs';

let server, alice, rest, out;

before(async () => {
  assertConsoleBuilt();
  out = outputDir('workbin_table');
  server = await new Server().start();
  rest = new Client(server.url, 'alice');
  await rest.login();
  alice = await openBrowser();
});

after(async () => {
  await alice?.close();
  await server?.cleanup();
});

const name = (n) => `Item ${String(n).padStart(2, '0')}`;
const tier = (n) => (n % 3 === 0 ? 'gold' : 'basic');

async function park(n) {
  const created = await rest.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`, userData: { Subject: name(n), Tier: tier(n) },
  });
  assert.equal(created.json?.statusCode, 0, created.text);
  const added = await rest.post(`/api/v2/workbins/${ALICE_WB}`, { operationName: 'AddInteraction', id: created.json.id });
  assert.equal(added.json?.statusCode, 0, added.text);
}

test('paging, sort, filter and a live addition', async () => {
  for (let n = 1; n <= 12; n++) await park(n);
  const page = alice.page;
  await signIn(page, server.url + '/', 'alice', 'alice-demo-pw');
  const bin = page.locator('section[data-workbin="email-in-progress"]');
  const rows = () => bin.locator('tbody tr td:first-child').allTextContents();
  const label = () => bin.locator('.pager span').textContent();
  const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => name(a + i));

  await until(rows, range(1, 10));
  await until(label, '1–10 of 12');
  assert.equal(await bin.locator('.count').textContent(), '12');

  await bin.getByLabel('Rows').selectOption('5');
  await until(rows, range(1, 5));
  await until(label, '1–5 of 12');
  const next = bin.getByRole('button', { name: 'Next' });
  const previous = bin.getByRole('button', { name: 'Previous' });
  assert.equal(await previous.isDisabled(), true);
  await next.click();
  await until(rows, range(6, 10));
  await until(label, '6–10 of 12');
  await shot(page, out, '01-second-page');
  await next.click();
  await until(rows, range(11, 12));
  assert.equal(await next.isDisabled(), true);
  await previous.click();
  await until(rows, range(6, 10));

  await bin.getByLabel('Sort').selectOption({ label: 'Subject Z–A' });
  await until(rows, [12, 11, 10, 9, 8].map(name));
  await until(label, '1–5 of 12');

  await bin.getByLabel('Key').fill('Tier');
  await bin.getByLabel('equals').fill('gold');
  await bin.getByRole('button', { name: 'Filter' }).click();
  await until(rows, [12, 9, 6, 3].map(name));
  await until(label, '1–4 of 4');
  await shot(page, out, '02-sorted-filtered');

  // A new gold item shows up in its sorted place, without a reload; a basic
  // one does not show.
  await park(14);
  await park(15);
  await until(rows, [15, 12, 9, 6, 3].map(name));
  await until(label, '1–5 of 5');
  await shot(page, out, '03-live-addition');

  await bin.getByLabel('equals').fill('none');
  await bin.getByRole('button', { name: 'Filter' }).click();
  await bin.getByText('This workbin is empty for this filter.').waitFor();
  assert.deepEqual(alice.errors, []);
});
