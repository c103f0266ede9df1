// The dashboard as a person uses it: the scenario selector makes
// clients-v0's rate-limited scenario sticky, a request arrives in the live
// journal as a 429 with the scenario, the selector turns it off again, reset,
// the records browser. Then the same behind an admin token.
//
// Screenshots go to docs/ with UPDATE_DOCS=1 (how the committed ones were
// made), to the temp folder otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMock, launchBrowser, ADMIN_TOKEN } from './lib/mock.mjs';
import { shotsDir, watchErrors } from './lib/dashboard.mjs';

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

test('dashboard: scenario selector on, live 429 with its scenario, selector off, reset, records', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${mock.url}/__standin/ui/`);

  // The APIs with their operations and record counts; the live stream is open.
  const card = page.locator('.api[data-api="clients-v0"]');
  await card.locator('.paths', { hasText: 'GET /v0/clients' }).waitFor({ state: 'attached' });
  await card.locator('.counts button[data-collection="clients-v0/clients"]').waitFor();
  await page.locator('#live', { hasText: /^live$/ }).waitFor();

  // One compact selector per API, not a row per scenario.
  const select = card.locator('select[data-role="scenario"]');
  assert.equal(await page.locator('.api[data-api="clients-v0"] tr[data-scenario]').count(), 0, 'no scenario rows');
  const options = await select.locator('option').allTextContents();
  assert.ok(options.includes('rate-limited') && options.length >= 5, `choices: ${options}`);

  // Turn rate-limited on: the description and its page citation show.
  await select.selectOption('rate-limited');
  await card.locator('[data-sticky="rate-limited"]').waitFor();
  assert.match(await card.locator('.scenario-desc').innerText(), /429/, 'the scenario cites its page');
  const sticky = await (await fetch(`${mock.url}/__standin/apis/clients-v0/scenario`)).json();
  assert.equal(sticky.scenario, 'rate-limited');

  // A request from outside the page arrives in the live journal as a 429.
  const res = await clientsV0();
  assert.equal(res.status, 429);
  const entry = page.locator('#journal tr.entry[data-api="clients-v0"][data-status="429"]');
  await entry.first().waitFor({ timeout: 5000 });
  assert.match(await entry.first().innerText(), /rate-limited/);
  assert.match(await entry.first().innerText(), /listClients/);
  // The card's counters count it.
  await card.locator('[data-stat="429"] .v', { hasText: /^1$/ }).waitFor({ timeout: 6000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shotsDir(), 'dashboard-scenario.png') });

  // The filter narrows the journal.
  await page.fill('#f-status', '2xx');
  await entry.first().waitFor({ state: 'detached' });
  await page.fill('#f-status', '');
  await entry.first().waitFor();

  // Turn it off: the next request is served normally.
  await select.selectOption('');
  await card.locator('[data-sticky]').waitFor({ state: 'detached' });
  assert.equal((await (await fetch(`${mock.url}/__standin/apis/clients-v0/scenario`)).json()).scenario, '');
  const cleared = await clientsV0();
  assert.equal(cleared.status, 200);
  assert.equal(cleared.headers.get('RateLimit-Remaining'), '99');
  const ok = page.locator('#journal tr.entry[data-api="clients-v0"][data-status="200"]').first();
  await ok.waitFor();
  assert.doesNotMatch(await ok.innerText(), /rate-limited/);

  // A sticky choice made elsewhere (the control API) shows on the selector.
  await fetch(`${mock.url}/__standin/apis/clients-v0/scenario`, { method: 'PUT', body: '{"name":"slow"}' });
  await card.locator('[data-sticky="slow"]').waitFor({ timeout: 8000 });
  assert.equal(await select.inputValue(), 'slow');
  await fetch(`${mock.url}/__standin/apis/clients-v0/scenario`, { method: 'DELETE' });
  await card.locator('[data-sticky]').waitFor({ state: 'detached', timeout: 8000 });

  // Reset puts the rate limit back: the next request has 99 left again.
  await page.click('#reset');
  await page.locator('#status', { hasText: 'reset done' }).waitFor();
  const again = await clientsV0();
  assert.equal(again.headers.get('RateLimit-Remaining'), '99');

  // Browse a collection's records.
  await card.locator('.counts button[data-collection="clients-v0/clients"]').click();
  await page.locator('#records td', { hasText: 'Иванов' }).first().waitFor();
  assert.match(await page.locator('#r-info').innerText(), /of 51 records/);

  assert.deepEqual(errors, [], 'no script errors or CSP violations on the page');
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
    await card.locator('select[data-role="scenario"]').selectOption('server-error');
    await card.locator('[data-sticky="server-error"]').waitFor();
    const r = await fetch(`${guarded.url}/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(r.status, 500);
    await page.locator('#journal tr.entry[data-api="clients-v2"][data-status="500"]').first().waitFor({ timeout: 5000 });
    // The counters come through the same login (GET /__standin/traffic).
    await card.locator('[data-stat="5xx"] .v', { hasText: /^1$/ }).waitFor({ timeout: 8000 });
    // The control API itself still refuses callers without the token.
    assert.equal((await fetch(`${guarded.url}/__standin/apis`)).status, 401);
    assert.equal((await fetch(`${guarded.url}/__standin/traffic`)).status, 401);
    await page.close();
  } finally {
    await guarded.stop();
  }
});
