// GraphiQL as a person uses it: open /graphql in the browser, put the admin
// page's allClients query in the editor, run it, read the result pane.
// The screenshot goes to docs/graphiql.png with UPDATE_DOCS=1 (how the
// committed one was made), to the temp folder otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMock, launchBrowser } from './lib/mock.mjs';

const ALL_CLIENTS = 'query { admin { allClients { edges { node { name code group } } } } }';

let mock;
let browser;

before(async () => {
  const started = await Promise.allSettled([startMock(), launchBrowser()]);
  [mock, browser] = started.map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
});

after(async () => {
  await browser?.close();
  await mock?.stop();
});

/** Text of the CodeMirror editor inside the element matching sel. */
function editorText(page, sel) {
  return page.evaluate((s) => document.querySelector(s + ' .CodeMirror')?.CodeMirror.getValue() ?? null, sel);
}

test('GraphiQL on /graphql runs the allClients query and shows client-name-1', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  // Console errors include Content-Security-Policy refusals.
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });

  const res = await page.goto(`${mock.url}/graphql`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^text\/html/);
  await page.locator('.graphiql-container').waitFor();

  // The headers editor holds the bundled token (the mock is on loopback).
  const headers = JSON.parse(await editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)'));
  assert.deepEqual(headers, { Authorization: 'Bearer standin-admin' });

  // Replace the query as a person pastes it, and press the run button.
  await page.locator('.graphiql-query-editor .CodeMirror').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(ALL_CLIENTS);
  assert.equal(await editorText(page, '.graphiql-query-editor'), ALL_CLIENTS);
  const answer = page.waitForResponse((r) => r.url() === `${mock.url}/graphql` && r.request().method() === 'POST' &&
    (r.request().postData() ?? '').includes('allClients'));
  await page.locator('.graphiql-execute-button').click();
  assert.equal((await answer).status(), 200);

  await page.locator('.result-window').getByText('client-name-1').first().waitFor();
  const result = JSON.parse(await editorText(page, '.result-window'));
  const names = result.data.admin.allClients.edges.map((e) => e.node.name);
  assert.ok(names.includes('client-name-1'), `names: ${names}`);
  assert.equal(result.errors, undefined);

  const dir = process.env.UPDATE_DOCS ? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs') : os.tmpdir();
  const png = await page.screenshot({ path: path.join(dir, 'graphiql.png') });
  assert.ok(png.length > 10_000, 'a screenshot with content');
  assert.deepEqual(problems, []);
  await page.close();
});

test('GraphiQL on /api/graphql loads the marketplace schema with the token', async () => {
  const page = await browser.newPage();
  const introspection = page.waitForResponse((r) => r.url() === `${mock.url}/api/graphql` &&
    (r.request().postData() ?? '').includes('IntrospectionQuery'));
  await page.goto(`${mock.url}/api/graphql`);
  const res = await introspection;
  assert.equal(res.status(), 200);
  const body = await res.json();
  const types = body.data.__schema.types.map((t) => t.name);
  assert.ok(types.includes('Account'), `types: ${types.slice(0, 20)}`);
  await page.close();
});
