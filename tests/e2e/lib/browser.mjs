// Debian's Chromium driven by playwright-core: headless, with the flags the
// project's tests use, and a fresh user-data folder per browser (so each
// browser is one user with its own cookies). Screenshots go to the test's
// output folder and their paths are printed.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BIN } from '../../functional/lib/server.mjs';

export const CHROMIUM = process.env.WORKBIND_CHROMIUM ?? '/usr/bin/chromium';
export const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

// Fails (never skips) when the console was not built next to the binary.
export function assertConsoleBuilt() {
  const dist = join(dirname(BIN), 'web', 'dist', 'index.html');
  assert.ok(existsSync(dist), `${dist} is missing: build the console with scripts/build-web (make build)`);
}

// The output folder of a test file (E2E_OUTPUT_DIR from CTest, else
// build/tests/e2e/output/<name> in the source tree).
export function outputDir(name) {
  const dir = process.env.E2E_OUTPUT_DIR ??
    resolve(new URL('../../../build/tests/e2e/output', import.meta.url).pathname, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

// A browser with one page, at the given window size. Returns
// {context, page, close}; close() also removes the user-data folder.
export async function openBrowser({ width = 1280, height = 800 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'workbind-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // A resource the server's Content-Security-Policy blocks is reported on
  // the console only: count it as an error of the page.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(new Error(m.text()));
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Saves a full-page screenshot as <dir>/<name>.png and prints its path.
export async function shot(page, dir, name) {
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

// Signs in through the form and waits until the console is live.
export async function signIn(page, url, user, password) {
  await page.goto(url);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
}

// Polls `read()` until its JSON equals `expected`'s (or `ms` pass); throws
// with the last value read. For assertions on what a page shows after it
// settles.
export async function until(read, expected, ms = 15000) {
  const want = JSON.stringify(expected);
  const end = Date.now() + ms;
  let got;
  for (;;) {
    got = await read();
    if (JSON.stringify(got) === want) return got;
    if (Date.now() > end) throw new Error(`expected ${want}, got ${JSON.stringify(got)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
