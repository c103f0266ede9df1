// The dashboard as a person uses it: make clients-v0's rate-limited scenario
// sticky, send a request, watch it arrive in the live journal as a 429,
// clear the scenario, reset, and keep a screenshot.
//
// The screenshot goes to docs/dashboard.png with UPDATE_DOCS=1 (how the
// committed one was made), to the temp folder otherwise, so CI leaves the
// work tree clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMock, launchBrowser, ADMIN_TOKEN } from './lib/mock.mjs';

let mock;
let browser;

before(async () => {
  mock = await startMock();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await mock?.stop();
});

async function clientsV0() {
  const r = await fetch(`${mock.url}/v0/clients`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  await r.arrayBuffer();
  return r;
}

test('dashboard: sticky rate-limited, live 429, clear, reset, screenshot', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${mock.url}/__standin/ui/`);

  // The APIs with their paths and record counts; the live stream is open.
  const card = page.locator('.api[data-api="clients-v0"]');
  await card.locator('.paths', { hasText: 'GET /v0/clients' }).waitFor();
  await card.locator('.counts a[data-collection="clients-v0/clients"]').waitFor();
  await page.locator('#live', { hasText: /^live$/ }).waitFor();

  // Make rate-limited sticky for clients-v0.
  const row = card.locator('tr[data-scenario="rate-limited"]');
  assert.match(await row.locator('.src').innerText(), /429/, 'the scenario cites its page');
  await row.locator('button[data-action="stick"]').click();
  await card.locator('[data-sticky="rate-limited"]').waitFor();
  const sticky = await (await fetch(`${mock.url}/__standin/apis/clients-v0/scenario`)).json();
  assert.equal(sticky.scenario, 'rate-limited');

  // A request from outside the page arrives in the live journal as a 429.
  const res = await clientsV0();
  assert.equal(res.status, 429);
  const entry = page.locator('#journal tr[data-api="clients-v0"][data-status="429"]');
  await entry.first().waitFor({ timeout: 5000 });
  assert.match(await entry.first().innerText(), /rate-limited/);
  assert.match(await entry.first().innerText(), /listClients/);

  // The filter narrows the journal.
  await page.fill('#f-status', '2xx');
  await entry.first().waitFor({ state: 'detached' });
  await page.fill('#f-status', '');
  await entry.first().waitFor();

  // Clear the scenario: the next request is served normally.
  await row.locator('button[data-action="clear"]').click();
  await card.locator('[data-sticky]').waitFor({ state: 'detached' });
  const cleared = await clientsV0();
  assert.equal(cleared.status, 200);
  assert.equal(cleared.headers.get('RateLimit-Remaining'), '99');
  await page.locator('#journal tr[data-api="clients-v0"][data-status="200"]').first().waitFor();

  // Reset puts the rate limit back: the next request has 99 left again.
  await page.click('#reset');
  await page.locator('#status', { hasText: 'reset done' }).waitFor();
  const after = await clientsV0();
  assert.equal(after.headers.get('RateLimit-Remaining'), '99');

  // Browse a collection's records.
  await card.locator('.counts a[data-collection="clients-v0/clients"]').click();
  await page.locator('#records td', { hasText: 'Иванов' }).first().waitFor();
  assert.match(await page.locator('#r-info').innerText(), /of 51 records/);

  const dir = process.env.UPDATE_DOCS ? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs') : os.tmpdir();
  const png = await page.screenshot({ path: path.join(dir, 'dashboard.png'), fullPage: true });
  assert.ok(png.length > 10_000, 'a screenshot with content');
  assert.deepEqual(errors, [], 'no script errors on the page');
  await page.close();
});

test('dashboard behind an admin token: ?token= logs the browser in', async () => {
  const guarded = await startMock({ args: ['--admin-token', 'T0ken'] });
  try {
    const page = await browser.newPage();
    const denied = await page.goto(`${guarded.url}/__standin/ui/`);
    assert.equal(denied.status(), 401);
    await page.goto(`${guarded.url}/__standin/ui/?token=T0ken`);
    assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
    await page.locator('#live', { hasText: /^live$/ }).waitFor();
    const card = page.locator('.api[data-api="clients-v2"]');
    await card.locator('tr[data-scenario="server-error"] button[data-action="stick"]').click();
    await card.locator('[data-sticky="server-error"]').waitFor();
    const r = await fetch(`${guarded.url}/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(r.status, 500);
    await page.locator('#journal tr[data-api="clients-v2"][data-status="500"]').first().waitFor({ timeout: 5000 });
    // The control API itself still refuses callers without the token.
    assert.equal((await fetch(`${guarded.url}/__standin/apis`)).status, 401);
    await page.close();
  } finally {
    await guarded.stop();
  }
});
