// Helpers of the conformance report's browser tests (e2e/report.test.mjs):
// a mock with planted failures (scenarios made sticky, one answering with
// markup), a conform run that writes the HTML report, and reading the page.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockWithConfig } from './dashboard.mjs';

/** Markup a server under test answers with: the report must show it as text. */
export const HOSTILE = '</script><img src=x onerror="window.__pwned=1">';

/**
 * Starts the mock with three failing APIs: clients-v2 answers every
 * request with a 500 whose header X-Evil and message carry HOSTILE,
 * clients-v0 with a 503, and marketplace's GraphQL field account (and
 * what reads through it) with an INTERNAL_SERVER_ERROR; admin is served as
 * usual. The scenarios are files of a scenariosDir, made sticky by
 * --scenario; the journal keeps request bodies (to compare replays).
 */
export async function startFailingMock() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-report-'));
  for (const api of ['clients-v2', 'clients-v0', 'marketplace']) fs.mkdirSync(path.join(dir, api));
  fs.writeFileSync(path.join(dir, 'clients-v2', 'hostile.yaml'), [
    'description: "A server error whose answer carries markup."',
    'effect:',
    '  status: 500',
    `  message: ${JSON.stringify(HOSTILE)}`,
    '  headers:',
    `    X-Evil: ${JSON.stringify(HOSTILE)}`,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'clients-v0', 'unavailable.yaml'), 'description: "Down for maintenance."\neffect:\n  status: 503\n');
  fs.writeFileSync(path.join(dir, 'marketplace', 'no-account.yaml'),
    'description: "account(id:) fails."\noperations: [account]\neffect:\n  status: 500\n  graphqlStatus: 200\n');
  const mock = await startMockWithConfig(`scenariosDir: ${dir}\njournalBodies: true\n`, {
    args: ['--scenario', 'clients-v2=hostile', '--scenario', 'clients-v0=unavailable', '--scenario', 'marketplace=no-account'],
  });
  const stop = mock.stop;
  return { ...mock, stop: async () => { await stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * Runs the conform binary ($CONFORM_BIN, built by .ci/e2e) with args;
 * resolves {code, stdout, stderr}.
 */
export function runConform(args, opts = {}) {
  const bin = process.env.CONFORM_BIN;
  if (!bin) {
    throw new Error('CONFORM_BIN is not set: build it with `go build -o /tmp/conform ./cmd/conform` and point CONFORM_BIN at it (.ci/e2e does both)');
  }
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 120_000, maxBuffer: 32 << 20, ...opts }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * What the page shows, read in the page: every result with its status,
 * API and check and whether the filters show it, in document order; the counts
 * of the status checkboxes and the section headings; the "N of M" line.
 */
export async function readReport(page) {
  return page.evaluate(() => {
    // Shown: not filtered out (a pass in the collapsed list counts).
    const results = Array.from(document.querySelectorAll('[data-result]')).map((el) => ({
      status: el.dataset.status, api: el.dataset.api, check: el.dataset.check, shown: el.closest('[hidden]') === null,
    }));
    const num = (sel) => Number(document.querySelector(sel).textContent);
    return {
      results,
      facets: { fail: num('[data-facet="fail"]'), skip: num('[data-facet="skip"]'), pass: num('[data-facet="pass"]') },
      counts: { fail: num('[data-count="fail"]'), skip: num('[data-count="skip"]'), pass: num('[data-count="pass"]') },
      shownLine: document.getElementById('shown').textContent,
    };
  });
}

/** Counts results of the JSON report by status, for those matching pick. */
export function countJSON(json, pick = () => true) {
  const c = { fail: 0, skip: 0, pass: 0 };
  for (const r of json.results) if (pick(r)) c[r.status]++;
  return c;
}
