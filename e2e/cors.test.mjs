// A front-end on another origin uses the mock: a page served from its own
// localhost port calls a REST and a GraphQL API of the mock with a Bearer
// token, as a browser app would, and reads the answers. Chromium enforces
// CORS, so this passes only when the preflight and the answers carry the
// right Access-Control-* headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, launchBrowser, serveStatic, ADMIN_TOKEN } from './lib/mock.mjs';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>front-end</title>
<pre id="out">loading</pre>
<script>
async function call(url, init) {
  const r = await fetch(url, init);
  return {
    status: r.status,
    rateLimit: r.headers.get('RateLimit-Remaining'),
    retryAfter: r.headers.get('Retry-After'),
    body: await r.json(),
  };
}
window.runCalls = async (mock, token) => {
  const auth = { Authorization: 'Bearer ' + token };
  const rest = await call(mock + '/v0/clients', { headers: auth });
  const gql = await call(mock + '/api/graphql', {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: '{ account(id: "7480a312-916e-4739-b53a-7345bf3c6929") { name externalId } }' }),
  });
  const admin = await call(mock + '/graphql', {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: 'query { admin { allClients { edges { node { name code group } } } } }' }),
  });
  const denied = await call(mock + '/v0/clients');
  const limited = await call(mock + '/v0/clients', { headers: { ...auth, 'X-Standin-Scenario': 'rate-limited' } });
  const out = { rest, gql, admin, denied, limited };
  document.getElementById('out').textContent = JSON.stringify(out);
  return out;
};
</script>`;

let mock;
let lockedMock;
let site;
let browser;

before(async () => {
  // allSettled: what did start is assigned, so after() stops it even
  // when another part failed.
  const started = await Promise.allSettled([
    startMock(),
    startMock({ args: ['--cors=http://localhost:*'] }),
    serveStatic({ '/': { type: 'text/html; charset=utf-8', body: PAGE } }),
    launchBrowser(),
  ]);
  [mock, lockedMock, site, browser] = started.map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
});

after(async () => {
  await browser?.close();
  await site?.close();
  await mock?.stop();
  await lockedMock?.stop();
});

test('a page of another origin reads REST and GraphQL answers with a Bearer token', async () => {
  const page = await browser.newPage();
  await page.goto(site.url + '/');
  assert.notEqual(new URL(site.url).port, new URL(mock.url).port, 'the page must be another origin');
  const got = await page.evaluate(([m, t]) => window.runCalls(m, t), [mock.url, ADMIN_TOKEN]);

  assert.equal(got.rest.status, 200);
  assert.equal(got.rest.body.client[0].client_id, 1);
  assert.equal(got.rest.body.client[0].last_name, 'Иванов');
  assert.match(got.rest.rateLimit ?? '', /^\d+$/, 'RateLimit-Remaining must be exposed to the script');

  assert.equal(got.gql.status, 200);
  assert.deepEqual(got.gql.body.data.account, { name: 'Customer Company One', externalId: 'c333333' });

  assert.equal(got.admin.status, 200);
  const names = got.admin.body.data.admin.allClients.edges.map((e) => e.node.name);
  assert.ok(names.includes('client-name-1'), `allClients names: ${names}`);

  // Errors are readable too: the page can tell 401 from a network failure.
  assert.equal(got.denied.status, 401);
  assert.equal(got.limited.status, 429);
  assert.match(got.limited.retryAfter ?? '', /^\d+$/, 'Retry-After must be exposed to the script');
  await page.close();
});

test('an origin outside --cors is refused by the browser', async () => {
  const page = await browser.newPage();
  await page.goto(site.url + '/'); // http://127.0.0.1:PORT, not localhost
  const err = await page.evaluate(async ([m, t]) => {
    try {
      await fetch(m + '/v0/clients', { headers: { Authorization: 'Bearer ' + t } });
      return 'no error';
    } catch (e) {
      return e.name + ': ' + e.message;
    }
  }, [lockedMock.url, ADMIN_TOKEN]);
  assert.match(err, /TypeError: Failed to fetch/);
  await page.close();
});
