// Helpers of the dashboard's browser tests (e2e/dashboard*.test.mjs): where
// screenshots go, a mock with a configuration file, API calls from outside
// the page, and running a shell line.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMock, ADMIN_TOKEN } from './mock.mjs';

/**
 * The folder screenshots are written to: docs/ with UPDATE_DOCS=1 (how the
 * committed ones are made), the temp folder otherwise, so that CI leaves the
 * work tree clean.
 */
export function shotsDir() {
  return process.env.UPDATE_DOCS ? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs') : os.tmpdir();
}

/** Starts a mock with a configuration file of the given YAML text. */
export async function startMockWithConfig(yaml, opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-e2e-'));
  const file = path.join(dir, 'standin.yaml');
  fs.writeFileSync(file, yaml);
  const mock = await startMock({ ...opts, args: ['--config', file, ...(opts.args ?? [])] });
  const stop = mock.stop;
  return { ...mock, stop: async () => { await stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Sends a request to the mock as a client would, with the admin token; reads the whole answer. */
export async function send(mock, urlPath, { method = 'GET', headers = {}, body } = {}) {
  const r = await fetch(`${mock.url}${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body,
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text };
}

/** A control API call from outside the page; the decoded JSON answer. */
export async function control(mock, urlPath, init = {}) {
  const r = await fetch(`${mock.url}/__standin${urlPath}`, init);
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

/** Runs a command line with sh -c; resolves {code, stdout, stderr}. */
export function sh(line) {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Collects the page's script errors, CSP violations and other console
 * errors; answers of 4xx the test provokes (a refused record) are not
 * errors of the page.
 */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * Takes a screenshot of one part of the page into shotsDir()/name, the
 * page's sticky header made static first so that it does not cover the
 * part (through the CSSOM: the page's CSP allows no inline style).
 */
export async function shoot(page, locator, name) {
  await page.evaluate(() => { document.querySelector('header.top').style.position = 'static'; });
  try {
    return await locator.screenshot({ path: path.join(shotsDir(), name) });
  } finally {
    await page.evaluate(() => { document.querySelector('header.top').style.position = ''; });
  }
}
