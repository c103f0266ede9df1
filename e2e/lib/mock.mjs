// Shared helpers for the browser tests: start a built mockserver binary on a
// free loopback port, launch the system's Chromium through playwright-core,
// and serve a static page from another port (a different origin).
//
// The mockserver binary is taken from STANDIN_BIN (.ci/e2e builds it with
// `go build -o`). Chromium is /usr/bin/chromium (Debian's package), or
// CHROMIUM_PATH when set; Playwright's own browser download is not used.

import { spawn } from 'node:child_process';
import http from 'node:http';
import { chromium } from 'playwright-core';

/** The bundled token with every permission. */
export const ADMIN_TOKEN = 'standin-admin';

/** Flags Chromium needs in this environment (headless, no sandbox, no background traffic). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Starts the mockserver binary on 127.0.0.1 with a kernel-chosen port and
 * waits until GET /__standin/health answers 200.
 *
 * @param {object} [opts]
 * @param {string[]} [opts.args] extra command-line flags (e.g. ['--seed', '2']).
 * @param {Record<string,string>} [opts.env] extra environment variables.
 * @param {string} [opts.bin] binary path; default $STANDIN_BIN.
 * @returns {Promise<{url: string, stop: () => Promise<void>, output: () => string}>}
 *   url is the base URL without a trailing slash; stop ends the process;
 *   output returns what it printed so far (for failure messages).
 */
export async function startMock(opts = {}) {
  const bin = opts.bin ?? process.env.STANDIN_BIN;
  if (!bin) {
    throw new Error('STANDIN_BIN is not set: build the mock with `go build -o /tmp/mockserver ./cmd/mockserver` and point STANDIN_BIN at it (.ci/e2e does both)');
  }
  const env = { ...process.env, ...(opts.env ?? {}) };
  // The mock's own defaults must not be shifted by the caller's environment.
  delete env.STANDIN_ADDR;
  const child = spawn(bin, ['--addr', '127.0.0.1:0', ...(opts.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test process, whatever happens to it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => { out += s; });

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mockserver printed no URL within ${STARTUP_TIMEOUT_MS} ms:\n${out}`)), STARTUP_TIMEOUT_MS);
    child.stdout.on('data', (s) => {
      out += s;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`mockserver exited (code ${code}, signal ${signal}) before serving:\n${out}`));
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    throw err;
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  try {
    await waitHealthy(url);
  } catch (err) {
    await stop();
    throw new Error(`${err.message}\n${out}`);
  }
  return { url, stop, output: () => out };
}

/** Polls GET url/__standin/health until it answers 200. */
export async function waitHealthy(url, timeoutMs = STARTUP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/__standin/health`);
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url}/__standin/health not healthy within ${timeoutMs} ms (${last})`);
}

/**
 * Launches headless Chromium. Playwright gives every launch a fresh temporary
 * user-data-dir and removes it on close.
 *
 * @returns {Promise<import('playwright-core').Browser>} close it with browser.close().
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/**
 * Serves fixed files from 127.0.0.1 on a kernel-chosen port: another origin
 * than the mock's.
 *
 * @param {Record<string, {type: string, body: string}>} files by URL path, e.g. {'/': {type: 'text/html', body}}.
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serveStatic(files) {
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': f.type, 'Cache-Control': 'no-store' });
    res.end(f.body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
