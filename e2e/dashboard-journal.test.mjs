// The journal at the top of the dashboard: a request's row opens to its
// request and response headers and pretty JSON bodies and the scenario
// applied; "copy as curl" puts a line on the clipboard that, run with sh,
// gets the same answer from the mock. Without journalBodies the detail says
// the bodies were not kept and how to keep them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, launchBrowser } from './lib/mock.mjs';
import { shoot, startMockWithConfig, send, sh, watchErrors } from './lib/dashboard.mjs';

let mock;
let browser;

before(async () => {
  mock = await startMockWithConfig('journalBodies: true\n');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await mock?.stop();
});

const QUERY = '{ admin { allClients(first: 2) { totalCount edges { node { name code } } } } }';

test('journal first; a row opens to headers, pretty bodies and its scenario; copy as curl runs', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mock.url });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${mock.url}/__standin/ui/`);
  await page.locator('#live', { hasText: /^live$/ }).waitFor();

  // The journal is the first thing on the page, above the APIs.
  const journalBox = await page.locator('#journal-section').boundingBox();
  const apisBox = await page.locator('#apis-section').boundingBox();
  assert.ok(journalBox.y < 120, `the journal starts ${journalBox.y} px down`);
  assert.ok(journalBox.y < apisBox.y, 'the journal comes before the APIs');

  // A GraphQL request with a scenario picked by header.
  const r = await send(mock, '/graphql', {
    method: 'POST', headers: { 'X-Standin-Scenario': 'no-clients', 'X-Trace': 'e2e-1' },
    body: JSON.stringify({ query: QUERY }),
  });
  assert.equal(r.status, 200);
  const row = page.locator('#journal tr.entry[data-api="admin"]').first();
  await row.waitFor({ timeout: 5000 });
  assert.match(await row.innerText(), /no-clients/);
  await row.click();
  assert.equal(await row.getAttribute('aria-expanded'), 'true');
  const detail = page.locator('#journal tr.detail').first();
  await detail.waitFor();

  // Headers of both sides, redacted credentials.
  const reqBox = detail.locator('[data-role="request"]');
  const respBox = detail.locator('[data-role="response"]');
  assert.match(await reqBox.locator('table.headers').innerText(), /X-Trace\s+e2e-1/);
  assert.match(await reqBox.locator('table.headers').innerText(), /Authorization\s+Bearer stan…/);
  assert.doesNotMatch(await reqBox.innerText(), /standin-admin/, 'the token is redacted in the detail');
  assert.match(await respBox.locator('table.headers').innerText(), /Content-Type\s+application\/json/);
  // Pretty JSON: the bodies are indented over several lines, nothing cut.
  const reqBody = await reqBox.locator('[data-role="body"] pre.json').innerText();
  assert.match(reqBody, /^\{\n {2}"query": "\{ admin/, `request body: ${reqBody}`);
  const respBody = await respBox.locator('[data-role="body"] pre.json').innerText();
  assert.match(respBody, /"totalCount": 0/, `response body: ${respBody}`);
  assert.ok(respBody.split('\n').length > 4, 'the response body is pretty-printed');
  assert.deepEqual(JSON.parse(respBody), JSON.parse(r.text), 'the body shown is the answer sent');
  // The scenario applied, with its description.
  const scen = await detail.locator('[data-role="scenario"]').innerText();
  assert.match(scen, /no-clients/);
  assert.ok(scen.length > 'Scenario: no-clients'.length + 5, `the scenario is described: ${scen}`);

  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, page.locator('#journal-section'), 'dashboard-journal.png');

  // Copy as curl: the line on the clipboard is the one shown; run, it gets
  // the same answer from the mock (the mock's own token is copied as sent).
  await detail.locator('button[data-action="curl"]').click();
  const shown = detail.locator('textarea.curl');
  await shown.waitFor();
  const line = await shown.inputValue();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, line, 'the clipboard holds the line shown');
  assert.match(line, /^curl -X POST /);
  assert.match(line, /'Authorization: Bearer standin-admin'/);
  assert.match(line, /'X-Standin-Scenario: no-clients'/);
  assert.match(line, /--data-raw '\{"query":/);
  await shoot(page, page.locator('#journal-section'), 'dashboard-curl.png');
  const run = await sh(`${clip} -sS -w '\\n%{http_code}'`);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.at(-1), '200', run.stdout);
  assert.deepEqual(JSON.parse(lines.slice(0, -1).join('\n')), JSON.parse(r.text), 'curl gets the same answer');
  // The replay is in the journal too: sent by curl, same operation and scenario.
  const replay = page.locator('#journal tr.entry[data-api="admin"]').first();
  await page.waitForFunction(() => document.querySelectorAll('#journal tr.entry[data-api="admin"]').length >= 2);
  assert.match(await replay.innerText(), /graphql[\s\S]*no-clients/);

  assert.deepEqual(errors, [], 'no script errors or CSP violations on the page');
  await context.close();
});

test('journal without bodies: headers shown, the note says how to keep bodies; curl still runs', async () => {
  const plain = await startMock();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: plain.url });
    const page = await context.newPage();
    await page.goto(`${plain.url}/__standin/ui/`);
    await page.locator('#live', { hasText: /^live$/ }).waitFor();
    const r = await send(plain, '/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50');
    assert.equal(r.status, 200);
    const row = page.locator('#journal tr.entry[data-api="clients-v2"]').first();
    await row.waitFor();
    await row.press('Enter'); // rows open from the keyboard too
    const detail = page.locator('#journal tr.detail').first();
    assert.match(await detail.locator('[data-role="response"] table.headers').innerText(), /Content-Type\s+application\/json/);
    assert.match(await detail.locator('[data-role="body-not-kept"]').innerText(), /journalBodies: true/);
    assert.equal(await detail.locator('[data-role="body"]').count(), 0);
    await detail.locator('button[data-action="curl"]').click();
    const line = await page.evaluate(async () => {
      for (let i = 0; i < 50 && !document.querySelector('textarea.curl'); i++) await new Promise((res) => setTimeout(res, 50));
      return navigator.clipboard.readText();
    });
    const run = await sh(`${line} -sS -o /dev/null -w '%{http_code}'`);
    assert.equal(run.stdout, '200', `${line}: ${run.stderr}`);
    await context.close();
  } finally {
    await plain.stop();
  }
});
