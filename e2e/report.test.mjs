// The conformance report (cmd/conform --html) as a person reads it, from a
// real run: conform checks a mock where clients-v2 answers every request
// with a 500 carrying markup, clients-v0 with a 503 and marketplace's
// GraphQL account(id:) with an error. The file opens in
// Chromium: failures first, filters by API, check and status change what
// is shown and every count, the curl copy button copies a line that sends
// the failing request again, the server's markup stays text, the page fits
// 1,280 px and logs no error. A passing run's report stays small.
//
// Screenshots go to docs/ with UPDATE_DOCS=1 (how the committed ones were
// made), to the temp folder otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, ADMIN_TOKEN } from './lib/mock.mjs';
import { shotsDir, sh, watchErrors, control } from './lib/dashboard.mjs';
import { HOSTILE, startFailingMock, runConform, readReport, countJSON } from './lib/report.mjs';

let mock;
let browser;
let dir;
let reportURL;
let json; // the same run's JSON report: what the page must agree with

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-report-e2e-'));
  mock = await startFailingMock();
  const html = path.join(dir, 'report.html');
  const run = await runConform(['--target', mock.url, '--token', ADMIN_TOKEN, '--html', 'report.html', '--json', 'report.json'], { cwd: dir });
  assert.equal(run.code, 1, `conform exits 1 on failures:\n${run.stdout}\n${run.stderr}`);
  json = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  reportURL = pathToFileURL(html).href;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await mock?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function open(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(reportURL + (opts.hash ?? ''));
  return { context, page, errors };
}

test('failures first, grouped by API and check; header, counts and width right; no errors', async () => {
  const { context, page, errors } = await open();
  await page.locator('#filters').waitFor(); // shown by the script
  const all = countJSON(json);
  assert.ok(all.fail >= 10 && all.skip > 0 && all.pass > 50, `planted failures, skips and passes: ${JSON.stringify(all)}`);
  const failingAPIs = [...new Set(json.results.filter((r) => r.status === 'fail').map((r) => r.api))].sort();
  assert.deepEqual(failingAPIs, ['clients-v0', 'clients-v2', 'marketplace']);

  // Failures, then skips, then passes; failures sorted by API then check.
  const r = await readReport(page);
  assert.equal(r.results.length, json.results.length, 'one entry per result');
  const order = r.results.map((x) => x.status);
  const firstSkip = order.indexOf('skip');
  const firstPass = order.indexOf('pass');
  assert.ok(order.lastIndexOf('fail') < firstSkip && order.lastIndexOf('skip') < firstPass, `statuses in order: ${order.join(',')}`);
  const fails = r.results.filter((x) => x.status === 'fail').map((x) => `${x.api} ${x.check}`);
  assert.deepEqual(fails, [...fails].sort(), 'failures grouped by API, then check');
  assert.deepEqual(r.counts, all);
  assert.deepEqual(r.facets, all);
  assert.equal(r.shownLine, `${json.results.length} of ${json.results.length} specs`);

  // The failures start on the first screen; passes are collapsed.
  const failuresTop = (await page.locator('#failures').boundingBox()).y;
  assert.ok(failuresTop < 400, `the failures start ${failuresTop} px down`);
  assert.equal(await page.locator('details.passes').getAttribute('open'), null, 'the passes are collapsed');
  assert.equal(await page.locator('details.passes tr[data-result]').first().isVisible(), false);

  // The run's header: target, seed, duration and the command line, its token redacted.
  const header = await page.locator('header.run').innerText();
  assert.match(header, new RegExp(`Target\\s+${mock.url.replace(/\./g, '\\.')}`));
  assert.match(header, /Seed\s+1\b/);
  assert.match(header, /Duration\s+\d/);
  assert.match(header, /Command\s+conform --target http:\/\/127\.0\.0\.1:\d+ --token '<redacted>' --html report\.html --json report\.json/);
  assert.doesNotMatch(await page.content(), new RegExp(ADMIN_TOKEN), 'the token appears nowhere in the page');

  await page.screenshot({ path: path.join(shotsDir(), 'conform-report.png') });

  // A failure opens to its violations, its request and response and a curl line
  // (the bad-token failure of clients-v0: one request, its answer a 503).
  const first = page.locator('details.result[data-check="rest-bad-token"]').first();
  await first.locator('summary').click();
  assert.equal(await first.getAttribute('open'), '');
  assert.match(await first.locator('.violations').innerText(), /status\s+want HTTP 401, got 503/);
  const exchange = first.locator('.exchange').first();
  assert.match(await exchange.locator('.req').innerText(), /GET\s+http:\/\/127\.0\.0\.1:\d+\/v0\/clients[\s\S]*Authorization\s+Bearer <redacted>/);
  assert.match(await exchange.locator('.resp').innerText(), /^503 Service Unavailable/);
  assert.match(await exchange.locator('.curl pre').innerText(), /^curl -sS -i http:\/\/127\.0\.0\.1:\d+\/v0\/clients .*"Authorization: Bearer \$TOKEN"$/);
  assert.match(await exchange.locator('.curl .note').first().innerText(), /\$TOKEN/, 'the note next to the button names the placeholder');

  // Fits 1,280 px: nothing wider than the window, also with every failure open.
  await page.locator('button[data-action="expand"]').click();
  assert.equal(await page.locator('details.result:not([open])').count(), 0, 'expand all opens every failure');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1280, `the page is ${width} px wide`);
  await page.locator('button[data-action="collapse"]').click();
  assert.equal(await page.locator('details.result[open]').count(), 0, 'collapse all closes them');
  assert.deepEqual(errors, [], 'no script errors or CSP violations');
  await context.close();
});

test('filters by API, check and status change what is shown and the counts; the state is in the URL', async () => {
  const { context, page, errors } = await open();
  await page.locator('#filters').waitFor();
  const form = page.locator('#filters');

  // API: only clients-v2's results, counts of clients-v2 only.
  await form.locator('select[name="api"]').selectOption('clients-v2');
  let r = await readReport(page);
  const v2 = countJSON(json, (x) => x.api === 'clients-v2');
  assert.ok(r.results.filter((x) => x.shown).every((x) => x.api === 'clients-v2'), 'only clients-v2 is shown');
  assert.equal(r.results.filter((x) => x.shown).length, v2.fail + v2.skip + v2.pass);
  assert.deepEqual(r.counts, v2);
  assert.deepEqual(r.facets, v2);
  assert.equal(r.shownLine, `${v2.fail + v2.skip + v2.pass} of ${json.results.length} specs`);
  assert.equal(await page.locator('#apis tr[data-api-block]:not([hidden])').count(), 1, 'by API: one row');
  assert.match(page.url(), /#api=clients-v2$/);

  // Check, too: one check of that API.
  await form.locator('select[name="check"]').selectOption('rest-success');
  r = await readReport(page);
  const v2success = countJSON(json, (x) => x.api === 'clients-v2' && x.check === 'rest-success');
  assert.deepEqual(r.counts, v2success);
  assert.ok(r.results.filter((x) => x.shown).every((x) => x.check === 'rest-success' && x.api === 'clients-v2'));
  assert.equal(await page.locator('#failures section.group:not([hidden])').count(), 1, 'one failure group left');

  // The hostile answer of clients-v2 is text in the page, never markup.
  const shownFailure = page.locator('details.result:not([hidden])').first();
  await shownFailure.locator('summary').click();
  const evil = shownFailure.locator('.resp table.headers tr', { hasText: 'X-Evil' }).locator('td');
  assert.equal(await evil.innerText(), HOSTILE);
  assert.match(await shownFailure.locator('.resp pre.body').innerText(), /"message": "\\u003c\/script\\u003e/, 'the body as sent (JSON-escaped by the mock)');
  assert.equal(await page.locator('img').count(), 0, 'no img element');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no handler of the answer ran');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shotsDir(), 'conform-report-filtered.png') });

  // A GraphQL failure's violations are at GraphQL response paths.
  await form.locator('select[name="api"]').selectOption('marketplace');
  await form.locator('select[name="check"]').selectOption('graphql-records');
  const gql = page.locator('details.result:not([hidden])').first();
  await gql.locator('summary').click();
  const where = gql.locator('.violations code.where').first();
  assert.equal(await where.innerText(), 'errors[0]');
  assert.equal(await where.getAttribute('title'), 'GraphQL response path');
  assert.match(await gql.locator('.req pre.body').innerText(), /^query Page\(\$parent: ID!/, 'the GraphQL document, readable');
  await form.locator('select[name="api"]').selectOption('clients-v2');

  // Status: without failures, clients-v2 shows its skips and passes only; the section is gone.
  await form.locator('select[name="check"]').selectOption('');
  await form.locator('input[name="status"][value="fail"]').uncheck();
  r = await readReport(page);
  assert.ok(r.results.filter((x) => x.shown).every((x) => x.status !== 'fail' && x.api === 'clients-v2'));
  assert.equal(r.counts.fail, 0);
  assert.equal(r.facets.fail, v2.fail, 'the unchecked status still says how many it hides');
  assert.equal(await page.locator('#failures').isHidden(), true);

  // Only passes, every API: the passes open, with their count.
  await form.locator('select[name="api"]').selectOption('');
  await form.locator('input[name="status"][value="skip"]').uncheck();
  r = await readReport(page);
  assert.deepEqual(r.counts, { fail: 0, skip: 0, pass: countJSON(json).pass });
  assert.equal(await page.locator('details.passes').getAttribute('open'), '', 'the passes open when only passes are asked for');
  assert.match(page.url(), /#status=pass$/);

  // Search: words anywhere in a result (here the 503's status text), across all statuses.
  await form.locator('button[data-action="clear"]').click();
  await form.locator('input[name="q"]').fill('service  UNAVAILABLE');
  const v0fails = countJSON(json, (x) => x.api === 'clients-v0').fail;
  await page.waitForFunction((n) => document.getElementById('shown').textContent.startsWith(`${n} of`), v0fails);
  r = await readReport(page);
  const hits = r.results.filter((x) => x.shown);
  assert.ok(hits.length > 0 && hits.every((x) => x.status === 'fail' && x.api === 'clients-v0'), JSON.stringify(hits));
  assert.deepEqual(r.counts, { fail: v0fails, skip: 0, pass: 0 });

  // The state in the URL: a shared link opens filtered.
  const { context: c2, page: p2, errors: e2 } = await open({ hash: '#api=clients-v0&status=fail' });
  await p2.locator('#filters').waitFor();
  assert.equal(await p2.locator('select[name="api"]').inputValue(), 'clients-v0');
  r = await readReport(p2);
  assert.deepEqual(r.counts, { fail: countJSON(json, (x) => x.api === 'clients-v0').fail, skip: 0, pass: 0 });
  // "/" jumps to the search box.
  await p2.locator('body').press('/');
  assert.equal(await p2.evaluate(() => document.activeElement.name), 'q');
  assert.deepEqual(e2, []);
  await c2.close();

  assert.deepEqual(errors, [], 'no script errors or CSP violations');
  await context.close();
});

test('the curl copy button copies a line that sends the failing request again', async () => {
  const { context, page, errors } = await open();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.locator('#filters').waitFor();
  for (const { api, check, answer } of [
    { api: 'clients-v2', check: 'rest-success', answer: /^HTTP\/1\.1 500 [\s\S]*X-Evil: <\/script><img/i },
    { api: 'marketplace', check: 'graphql-records', answer: /^HTTP\/1\.1 200 [\s\S]*"code":"INTERNAL_SERVER_ERROR"/ },
  ]) {
    await page.locator('select[name="api"]').selectOption(api);
    await page.locator('select[name="check"]').selectOption(check);
    const failure = page.locator('details.result:not([hidden])').first();
    await failure.locator('summary').click();
    const exchange = failure.locator('.exchange').first();
    const shown = await exchange.locator('.curl pre').innerText();
    const button = exchange.locator('button[data-copy]');
    assert.equal(await button.isVisible(), true);
    await button.click();
    await page.waitForFunction((b) => b.textContent === 'Copied', await button.elementHandle());
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clip, shown, 'the clipboard holds the line shown');
    const reqLine = await exchange.locator('.req .line').innerText(); // "1 GET http://…/v2/clients/…"
    const [, method, url] = /^\d+\s+(\S+)\s+(\S+)$/.exec(reqLine);

    // Run as copied, with the placeholder set: the mock answers the same
    // failure, and its journal has the same request, with a token.
    await control(mock, '/requests', { method: 'DELETE' });
    const run = await sh(`TOKEN=${ADMIN_TOKEN}; ${clip}`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, answer, `${check}: ${clip}\n${run.stdout}`);
    const journal = await control(mock, '/requests?limit=1');
    const entry = journal.json.requests[0];
    assert.equal(entry.method, method);
    assert.equal(`${mock.url}${entry.path}`, url);
    assert.deepEqual(entry.request.headers.Authorization, ['Bearer stan…'], '$TOKEN became the token (the journal shows its start)');
    const sent = json.results.find((x) => x.api === api && x.check === check && x.status === 'fail').exchanges[0];
    assert.equal(entry.request.body ?? '', sent.requestBody ?? '', 'the same body as the check sent');
    await failure.locator('summary').click();
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript: failures first, every detail in the page, no controls that cannot work', async () => {
  const { context, page } = await open({ javaScriptEnabled: false });
  assert.equal(await page.locator('#filters').isHidden(), true);
  assert.equal(await page.locator('button[data-copy]').first().isHidden(), true);
  const first = page.locator('details.result').first();
  assert.equal(await first.locator('summary').isVisible(), true);
  await first.locator('summary').click(); // details open natively
  assert.equal(await first.locator('.curl pre').first().isVisible(), true);
  const text = await page.locator('main').innerText();
  assert.ok(text.indexOf('Failures') < text.indexOf('Skipped') && text.indexOf('Skipped') < text.indexOf('Passed'));
  await context.close();
});

test('a passing run: a small report that says so', async () => {
  const html = path.join(dir, 'pass.html');
  const run = await runConform(['--html', html]); // every bundled API, on the bundled mock in-process
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const size = fs.statSync(html).size;
  assert.ok(size < 200_000, `a passing run's report is ${size} bytes`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(pathToFileURL(html).href);
  await page.locator('#filters').waitFor();
  assert.equal(await page.locator('.verdict').innerText(), 'PASSED');
  assert.equal(await page.locator('#failures .none-at-all').innerText(), 'No check failed.');
  assert.match(await page.locator('header.run').innerText(), /the bundled mock, started in-process/);
  assert.equal(await page.locator('details.passes').getAttribute('open'), null);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 3000, `the passing report is ${height} px long`);
  assert.deepEqual(errors, []);
  await context.close();
});
