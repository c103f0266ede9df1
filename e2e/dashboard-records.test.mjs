// Records on the dashboard, through the data API: nested values open in
// place and whole; an edit that breaks the schema shows each violation at
// its field; a valid edit is saved (read back through the API and served by
// REST); insert (a taken key is a conflict at the key's field) and delete.
// The page stays within a 1,280 px window, long tables scrolling inside their
// box, and every button stays readable on hover.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, launchBrowser } from './lib/mock.mjs';
import { shoot, send, control, watchErrors } from './lib/dashboard.mjs';

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

const ACME = 'aa7cf840-9ca9-46a3-9778-9015d6580d50';
const NEW_ID = '11111111-2222-4333-8444-555555555555';
const recordURL = (id) => `/apis/clients-v2/collections/clients/records/${id}`;

test('records: nested JSON, edit with errors at the fields, a valid edit saved, insert, delete', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${mock.url}/__standin/ui/`);
  await page.locator('#live', { hasText: /^live$/ }).waitFor();
  await page.locator('.api[data-api="clients-v2"] .counts button[data-collection="clients-v2/clients"]').click();
  const acme = page.locator(`#records tr[data-key="${ACME}"]`);
  await acme.waitFor();

  // A nested value opens to the whole of it, pretty-printed.
  const token = acme.locator('td.nested details').first();
  assert.match(await token.locator('summary').innerText(), /\{…\} 9 fields/);
  await token.locator('summary').click();
  const nested = await token.locator('pre.json').innerText();
  assert.match(nested, /"value": "enroll_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"/, 'nothing is cut');
  assert.match(nested, /\n {2}"status": "active"/);

  // The page fits the window; the wide table scrolls inside its box.
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    box: document.getElementById('records').clientWidth,
    table: document.getElementById('records').scrollWidth,
  }));
  assert.ok(widths.page <= 1280, `the page is ${widths.page} px wide`);
  assert.ok(widths.table > widths.box, `the records table (${widths.table} px) scrolls inside its box (${widths.box} px)`);

  // Edit: an empty name and an unknown status are refused (400) and each
  // reason is shown at its field.
  await acme.locator('button[data-action="edit"]').click();
  const form = page.locator('#editor');
  await form.waitFor();
  assert.equal(await form.locator('.field[data-field="id"] input').getAttribute('readonly'), '', 'the key is fixed');
  await form.locator('.field[data-field="name"] input').fill('');
  await form.locator('.field[data-field="status"] input').fill('gone');
  await form.locator('button[data-action="save"]').click();
  const nameErr = form.locator('.field[data-field="name"] .field-error');
  await nameErr.waitFor();
  assert.match(await nameErr.innerText(), /minimum string length is 1/);
  assert.match(await form.locator('.field[data-field="status"] .field-error').innerText(), /allowed values/);
  assert.equal(await form.locator('.field[data-field="name"] input').getAttribute('aria-invalid'), 'true');
  assert.equal(await form.locator('.field[data-field="partner"] .field-error').innerText(), '', 'fields without a violation have no error');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ed-name', 'the first invalid field has the focus');
  assert.equal((await control(mock, recordURL(ACME))).json.name, 'Acme Corporation', 'nothing was written');
  await shoot(page, page.locator('#records-section'), 'dashboard-records.png');
  // A nested field that does not parse is refused before sending.
  await form.locator('.field[data-field="partner"] textarea').fill('{"id": ');
  await form.locator('button[data-action="save"]').click();
  assert.match(await form.locator('.field[data-field="partner"] .field-error').innerText(), /not JSON/);

  // A valid edit: saved, read back through the data API and served by REST.
  await form.locator('.field[data-field="partner"] textarea').fill('{"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901", "name": "TechPartner Inc."}');
  await form.locator('.field[data-field="name"] input').fill('Acme Renamed');
  await form.locator('.field[data-field="status"] input').fill('suspended');
  await form.locator('button[data-action="save"]').click();
  await form.waitFor({ state: 'hidden' });
  await acme.locator('td', { hasText: 'Acme Renamed' }).waitFor();
  const saved = (await control(mock, recordURL(ACME))).json;
  assert.equal(saved.name, 'Acme Renamed');
  assert.equal(saved.status, 'suspended');
  assert.equal(saved.enrollment_token.value, 'enroll_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6', 'untouched fields are kept');
  const rest = JSON.parse((await send(mock, `/v2/clients/${ACME}`)).text);
  assert.equal(rest.name, 'Acme Renamed');

  // Insert, prefilled from the first record: a taken key is a 409 shown at
  // the key; a new one is inserted.
  await page.locator('#r-new').click();
  await form.waitFor();
  const id = form.locator('.field[data-field="id"] input');
  assert.equal(await id.inputValue(), '', 'the key starts empty');
  await id.fill(ACME);
  await form.locator('.field[data-field="name"] input').fill('Initech');
  await form.locator('button[data-action="save"]').click();
  await form.locator('.field[data-field="id"] .field-error').waitFor();
  assert.match(await form.locator('.field[data-field="id"] .field-error').innerText(), /taken|exists|already|unique/i);
  await id.fill(NEW_ID);
  await form.locator('button[data-action="save"]').click();
  await form.waitFor({ state: 'hidden' });
  assert.equal((await control(mock, recordURL(NEW_ID))).json.name, 'Initech');
  assert.equal((await send(mock, `/v2/clients/${NEW_ID}`)).status, 200);

  // Delete asks once more, then deletes.
  await page.locator('#r-collection').selectOption('clients-v2/clients');
  const row = page.locator(`#records tr[data-key="${NEW_ID}"]`);
  const before = (await control(mock, '/apis/clients-v2/collections')).json.collections[0].count;
  // Walk the pages (store order) to the new record.
  await page.locator('#r-info', { hasText: /: 1–20 of 56 records/ }).waitFor();
  while (!(await row.count())) {
    const info = await page.locator('#r-info').innerText();
    await page.locator('#r-next').click();
    await page.waitForFunction((t) => document.getElementById('r-info').textContent !== t, info);
  }
  await row.locator('button[data-action="delete"]').click();
  assert.equal(await row.locator('button[data-action="delete"]').innerText(), 'Confirm delete');
  assert.equal((await control(mock, recordURL(NEW_ID))).status, 200, 'one click deletes nothing');
  await row.locator('button[data-action="delete"]').click();
  await row.waitFor({ state: 'detached' });
  assert.equal((await control(mock, recordURL(NEW_ID))).status, 404);
  assert.equal((await control(mock, '/apis/clients-v2/collections')).json.collections[0].count, before - 1);
  await page.locator('.api[data-api="clients-v2"] .counts button', { hasText: `clients ${before - 1}` }).waitFor({ timeout: 5000 });

  // A number key gets a number field, empty; inserting reads it as a number.
  await page.locator('#r-collection').selectOption('clients-v0/clients');
  await page.locator('#records tr[data-key="1"]').waitFor();
  await page.locator('#r-new').click();
  const key = form.locator('.field[data-field="client_id"] input');
  assert.equal(await key.getAttribute('type'), 'number');
  assert.equal(await key.inputValue(), '');
  await key.fill('900');
  await form.locator('.field[data-field="email_address"] input').fill('new.person@example.com');
  await form.locator('button[data-action="save"]').click();
  await form.waitFor({ state: 'hidden' });
  assert.equal((await control(mock, '/apis/clients-v0/collections/clients/records/900')).json.client_id, 900);

  assert.deepEqual(errors, [], 'no script errors or CSP violations on the page');
  await page.close();
});

test('layout: 1,280 px wide with everything open; buttons readable on hover', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${mock.url}/__standin/ui/`);
  await page.locator('#live', { hasText: /^live$/ }).waitFor();
  // A long request path, an opened journal row, a wide collection, the editor.
  await send(mock, `/v2/clients/${'x'.repeat(300)}?${'q=1&'.repeat(60)}`);
  await page.locator('#journal tr.entry').first().click();
  await page.locator('.api[data-api="marketplace"] .counts button').first().click();
  await page.locator('#records tr[data-key] button[data-action="edit"]').first().click();
  await page.locator('.api details.ops').first().evaluate((d) => { d.open = true; });
  await page.locator('#journal tr.detail').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1280, `the page is ${width} px wide in a 1,280 px window`);

  // Every visible button keeps readable text on hover (contrast at least
  // 3:1 between its text and its background).
  const buttons = page.locator('button:visible:not([disabled])');
  const n = await buttons.count();
  assert.ok(n > 10, `${n} buttons`);
  for (let i = 0; i < n; i++) {
    const b = buttons.nth(i);
    await b.scrollIntoViewIfNeeded();
    await b.hover();
    const { ratio, label } = await b.evaluate((node) => {
      const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      // The background: the first ancestor (or the button) that paints one.
      let bg = null;
      for (let e = node; e && !bg; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) bg = c.slice(0, 3);
      }
      bg = bg || [255, 255, 255];
      const fg = rgb(getComputedStyle(node).color).slice(0, 3);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      return { ratio: (a + 0.05) / (b + 0.05), label: node.textContent.trim() || node.getAttribute('aria-label') };
    });
    assert.ok(ratio >= 3, `"${label}" on hover: contrast ${ratio.toFixed(2)}`);
  }
  await page.close();
});
