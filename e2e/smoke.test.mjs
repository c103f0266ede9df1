// The harness itself: the mock starts from its binary, Chromium loads a page
// of the mock's own origin and its script reads a REST answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('a same-origin page script reads clients-v0 with a Bearer token', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${mock.url}/__standin/health`);
  assert.equal(res.status(), 200);
  const got = await page.evaluate(async (token) => {
    const r = await fetch('/v0/clients', { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, limit: r.headers.get('RateLimit-Limit'), body: await r.json() };
  }, ADMIN_TOKEN);
  assert.equal(got.status, 200);
  assert.equal(got.limit, '100');
  assert.equal(got.body.client[0].last_name, 'Иванов');
  await page.close();
});
