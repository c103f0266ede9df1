// The per-API counters and charts (GET /__standin/traffic) follow the
// traffic, spread over several 5-second steps; and while requests stream in,
// a field being typed in keeps its focus, its text and its caret, and the
// page keeps its scroll position (updates patch the page, never redraw it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMock, launchBrowser } from './lib/mock.mjs';
import { shoot, shotsDir, send, control, watchErrors } from './lib/dashboard.mjs';

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stat = (card, name) => card.locator(`[data-stat="${name}"] .v`);

test('counters and chart follow the traffic, step by step', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors = watchErrors(page);
  await page.goto(`${mock.url}/__standin/ui/`);
  await page.locator('#live', { hasText: /^live$/ }).waitFor();
  const card = page.locator('.api[data-api="clients-v0"]');
  await stat(card, 'requests').waitFor();
  assert.equal(await stat(card, 'requests').innerText(), '0');
  assert.equal(await stat(card, 'p99').innerText(), '—');

  // Traffic over four 5-second steps: normal answers, 429s and 500s.
  const rounds = [
    { ok: 6, limited: 0, failed: 0 },
    { ok: 3, limited: 2, failed: 0 },
    { ok: 4, limited: 0, failed: 1 },
    { ok: 2, limited: 1, failed: 1 },
  ];
  const want = { requests: 0, '4xx': 0, '5xx': 0, 429: 0 };
  for (const [i, r] of rounds.entries()) {
    if (i) await sleep(5000);
    for (let n = 0; n < r.ok; n++) assert.equal((await send(mock, '/v0/clients')).status, 200);
    for (let n = 0; n < r.limited; n++) assert.equal((await send(mock, '/v0/clients', { headers: { 'X-Standin-Scenario': 'rate-limited' } })).status, 429);
    for (let n = 0; n < r.failed; n++) assert.equal((await send(mock, '/v0/clients', { headers: { 'X-Standin-Scenario': 'server-error' } })).status, 500);
    want.requests += r.ok + r.limited + r.failed;
    want['4xx'] += r.limited;
    want[429] += r.limited;
    want['5xx'] += r.failed;
    // The counters catch up within a poll (two seconds) or two.
    await card.locator(`[data-stat="requests"] .v`, { hasText: new RegExp(`^${want.requests}$`) }).waitFor({ timeout: 6000 });
  }
  for (const k of ['4xx', '5xx', '429']) assert.equal(await stat(card, k).innerText(), String(want[k]), k);
  assert.match(await stat(card, 'p50').innerText(), /ms$/);
  assert.match(await stat(card, 'p99').innerText(), /ms$/);

  // The numbers are the server's.
  const srv = (await control(mock, '/traffic?api=clients-v0')).json.apis[0];
  assert.equal(srv.total.requests, want.requests);
  assert.equal(srv.total['429'], want[429]);
  assert.equal(srv.total['5xx'], want['5xx']);

  // The chart: one bar per step with traffic (the rounds spread over at
  // least three steps), error parts coloured, and the p99 line.
  const chart = card.locator('svg.chart');
  await page.waitForFunction((n) => document.querySelector('.api[data-api="clients-v0"] svg.chart').dataset.requests === String(n), want.requests);
  const bars = await chart.locator('g.bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.requests)));
  assert.ok(bars.length >= 3, `bars ${bars}`);
  assert.equal(bars.reduce((a, b) => a + b, 0), want.requests);
  assert.ok(await chart.locator('rect.bad').count() >= 1, 'the 500s show');
  assert.ok(await chart.locator('rect.warn').count() >= 1, 'the 429s show');
  assert.equal(await chart.locator('polyline.p99').count(), 1);
  assert.match(await chart.locator('g.bar title').last().textContent(), /requests?, \d+ 4xx/);
  assert.match(await card.locator('figcaption').innerText(), new RegExp(`last 10 min: ${want.requests} requests`));

  // One more request: it is drawn.
  await send(mock, '/v0/clients');
  await page.waitForFunction((n) => document.querySelector('.api[data-api="clients-v0"] svg.chart').dataset.requests === String(n), want.requests + 1, { timeout: 6000 });

  // Other APIs are untouched.
  assert.equal(await stat(page.locator('.api[data-api="admin"]'), 'requests').innerText(), '0');

  await shoot(page, page.locator('#apis-section'), 'dashboard-counters.png');
  // The page as it opens: the journal first, then the API cards.
  await page.evaluate(() => window.scrollTo(0, 0));
  const png = await page.screenshot({ path: path.join(shotsDir(), 'dashboard.png') });
  assert.ok(png.length > 10_000, 'a screenshot with content');
  assert.deepEqual(errors, [], 'no script errors or CSP violations on the page');
  await page.close();
});

test('focus, text, caret and scroll stay while requests stream in', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${mock.url}/__standin/ui/`);
  await page.locator('#live', { hasText: /^live$/ }).waitFor();

  // Open a record for editing and type into a field, the caret mid-word.
  await page.locator('.api[data-api="clients-v0"] .counts button[data-collection="clients-v0/clients"]').click();
  await page.locator('#records tr[data-key="1"] button[data-action="edit"]').click();
  const field = page.locator('#editor .field[data-field="first_name"] input');
  await field.fill('Ivan');
  await field.press('End');
  await field.press('ArrowLeft');
  await field.press('ArrowLeft');
  await field.type('XY');
  const scrollBefore = await page.evaluate(() => window.scrollY);
  const topBefore = await field.evaluate((e) => e.getBoundingClientRect().top);

  // Requests stream in for five seconds: journal rows, counters, charts and
  // record counts all update meanwhile.
  const journalRows = await page.locator('#journal tr.entry').count();
  const stop = Date.now() + 5000;
  let sent = 0;
  while (Date.now() < stop) {
    await send(mock, '/v0/clients');
    await send(mock, '/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50');
    sent += 2;
    await sleep(100);
  }
  await page.waitForFunction((n) => document.querySelectorAll('#journal tr.entry').length >= n, Math.min(200, journalRows + sent));
  await page.waitForTimeout(2500); // one more traffic poll and counts refresh

  const state = await page.evaluate(() => {
    const a = document.activeElement;
    return { id: a.id, value: a.value, caret: a.selectionStart, scrollY: window.scrollY };
  });
  assert.equal(state.id, 'ed-first_name', 'the field kept the focus');
  assert.equal(state.value, 'IvXYan', 'the text typed stays');
  assert.equal(state.caret, 4, 'the caret stays');
  assert.equal(state.scrollY, scrollBefore, 'the page did not scroll');
  assert.equal(await field.evaluate((e) => e.getBoundingClientRect().top), topBefore, 'the field did not move on the screen');
  // And typing goes on where it was.
  await page.keyboard.type('Z');
  assert.equal(await field.inputValue(), 'IvXYZan');

  // The same on an API card's scenario selector while its counters,
  // chart and record counts update.
  const select = page.locator('.api[data-api="clients-v2"] select[data-role="scenario"]');
  await select.focus();
  for (let i = 0; i < 10; i++) await send(mock, '/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50');
  await page.waitForTimeout(2500);
  assert.equal(await page.evaluate(() => {
    const a = document.activeElement;
    return a.matches('select[data-role="scenario"]') && a.closest('.api').dataset.api;
  }), 'clients-v2', 'the selector kept the focus');

  // The same in the journal's filter while rows arrive.
  await page.locator('#f-text').click();
  await page.keyboard.type('/v0');
  for (let i = 0; i < 10; i++) await send(mock, '/v0/clients');
  await page.waitForTimeout(2500);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-text');
  assert.equal(await page.locator('#f-text').inputValue(), '/v0');
  assert.equal(await page.locator('#journal tr.entry[data-api="clients-v2"]').count(), 0, 'the filter applies to new rows');
  assert.deepEqual(errors, [], 'no script errors or CSP violations on the page');
  await page.close();
});
