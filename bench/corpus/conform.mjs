#!/usr/bin/env node
// conform against the mock, on the corpus's OpenAPI documents: each document
// served by the built mockserver (its security schemes' credentials pinned,
// so an unknown one is refused) and checked by the built conform with
// --destructive. The mock is the reference implementation of any contract
// it serves, so each failure is a fault of one of the two, or a gap of the
// document; the classes are counted per check. Writes docs/conform-corpus.md.
//
//   node bench/corpus/conform.mjs                    every OpenAPI document but GitHub's
//   node bench/corpus/conform.mjs --only figma,directus
//   options: --mock PATH, --conform PATH (built binaries; default: go build),
//            --out FILE (default docs/conform-corpus.md), --all (GitHub's too)
//
// Install first: `npm ci --prefix bench/corpus`.

import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS, packageFile, packageVersion, parseDocument } from './lib/corpus.mjs';
import { basePath, startStandin } from './lib/servers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');

function args(argv) {
  const o = { only: undefined, mock: undefined, conform: undefined, out: path.join(ROOT, 'docs/conform-corpus.md'), all: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') o.only = argv[++i].split(',');
    else if (a === '--mock') o.mock = path.resolve(argv[++i]);
    else if (a === '--conform') o.conform = path.resolve(argv[++i]);
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--all') o.all = true;
    else { console.error(`unknown argument ${a}`); process.exit(2); }
  }
  return o;
}

function build(cmd, given) {
  if (given) return given;
  const out = path.join(os.tmpdir(), `standin-conform-corpus-${cmd}-${process.pid}`);
  execFileSync('go', ['build', '-o', out, `./cmd/${cmd}`], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false` } });
  process.once('exit', () => fs.rmSync(out, { force: true }));
  return out;
}

/** The credential conform sends and the mock pins, per security scheme. */
export function credentials(doc) {
  const schemes = doc.components?.securitySchemes ?? doc.securityDefinitions ?? {};
  const out = {};
  for (const [name, s] of Object.entries(schemes)) {
    const basic = (s.type === 'http' && String(s.scheme).toLowerCase() === 'basic') || s.type === 'basic';
    out[name] = basic ? 'corpus-user:corpus-password' : 'corpus-secret-token';
  }
  return out;
}

/** A failure's class: the check and its message with the values taken out. */
export function failureClass(check, message) {
  const m = message.split('\n')[0].replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 140);
  return `${check}: ${m}`;
}

function runConform(bin, argv) {
  return new Promise((resolve) => {
    execFile(bin, argv, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err?.code ?? 0, out: stdout + stderr });
    });
  });
}

async function one(entry, o) {
  const file = packageFile(entry);
  const doc = parseDocument(file);
  const creds = credentials(doc);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conform-corpus-'));
  const pin = path.join(tmp, 'pin.yaml');
  fs.writeFileSync(pin, `apis:\n  corpus:\n    credentials: ${JSON.stringify(creds)}\n`);
  const h = await startStandin({ bin: o.mockBin, file, timeoutMs: 600_000, args: ['--config', pin, '--log-level', 'error'] });
  const res = { name: entry.name, pkg: entry.pkg, version: packageVersion(entry), file: entry.file };
  if (!h.started) return { ...res, refused: h.message };
  try {
    const report = path.join(tmp, 'report.json');
    const argv = ['--spec', file, '--target', h.url + basePath(h.api, Object.keys(doc.paths ?? {})), '--destructive', '--json', report];
    for (const [k, v] of Object.entries(creds)) argv.push('--credential', `${k}=${v}`);
    const t0 = performance.now();
    const r = await runConform(o.conformBin, argv);
    res.seconds = (performance.now() - t0) / 1000;
    if (!fs.existsSync(report)) return { ...res, error: r.out.split('\n').filter(Boolean).slice(-3).join(' | ') };
    const j = JSON.parse(fs.readFileSync(report, 'utf8'));
    Object.assign(res, { passed: j.passed, failed: j.failed, skipped: j.skipped });
    const classes = new Map();
    for (const x of j.results ?? []) {
      if (x.status !== 'fail') continue;
      for (const v of x.violations ?? []) {
        const k = failureClass(x.check, v.message);
        classes.set(k, (classes.get(k) ?? 0) + 1);
      }
    }
    res.classes = [...classes.entries()].sort((a, b) => b[1] - a[1]);
  } finally {
    await h.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return res;
}

function markdown(results, stamp) {
  const out = ['# conform against the mock, on public documents', '',
    '<!-- Generated by bench/corpus/conform.mjs: do not edit; run it again. -->', '',
    '```sh', 'npm ci --prefix bench/corpus', 'node bench/corpus/conform.mjs', '```', '',
    `Run of ${stamp.date}, commit ${stamp.commit}. Each OpenAPI document of the corpus (docs/corpus.md) is served by`,
    'the mock with its security schemes\' credentials pinned (so an unknown one is refused) and checked by conform',
    'with `--destructive` and those credentials. The mock is meant to be a reference implementation of any',
    'contract it serves: each failure below is a fault of the mock, of conform, or a gap of the document,',
    'and is counted by its check and its message with the values taken out.', '',
    '| document | specs | passed | failed | skipped | conform run |', '|---|---|---|---|---|---|'];
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    for (const k of Object.keys(sum)) sum[k] += r[k] ?? 0;
  }
  for (const r of results) {
    if (r.refused || r.error) { out.push(`| ${r.name} | – | – | – | – | ${r.refused ? 'the mock refused the document' : `conform stopped: ${r.error.replace(/\|/g, '\\|').slice(0, 200)}`} |`); continue; }
    out.push(`| ${r.name} | ${r.passed + r.failed + r.skipped} | ${r.passed} | ${r.failed} | ${r.skipped} | ${r.seconds.toFixed(1)} s |`);
  }
  out.push(`| **all** | ${sum.passed + sum.failed + sum.skipped} | ${sum.passed} | ${sum.failed} | ${sum.skipped} | |`, '');
  for (const r of results) {
    if (!r.classes?.length) continue;
    out.push(`## ${r.name}`, '', `\`${r.file}\` of \`${r.pkg}@${r.version}\`. Violations by class:`, '');
    for (const [k, n] of r.classes.slice(0, 12)) out.push(`- ${n} × ${k.replace(/\|/g, '\\|')}`);
    if (r.classes.length > 12) out.push(`- … ${r.classes.length - 12} more classes`);
    out.push('');
  }
  return out.join('\n');
}

async function main() {
  const o = args(process.argv.slice(2));
  o.mockBin = build('mockserver', o.mock);
  o.conformBin = build('conform', o.conform);
  const entries = CORPUS.filter((e) => e.kind === 'openapi' && (o.only ? o.only.includes(e.name) : o.all || e.name !== 'github-rest'));
  const results = [];
  for (const e of entries) {
    if (!fs.existsSync(packageFile(e))) { console.error(`== ${e.name}: not installed (npm ci --prefix bench/corpus)`); continue; }
    const r = await one(e, o);
    console.log(`== ${e.name}: ${r.refused ? `refused: ${r.refused}` : r.error ? `conform stopped: ${r.error}` : `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`}`);
    results.push(r);
  }
  let commit = '?';
  try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { /* not a checkout */ }
  fs.writeFileSync(o.out, markdown(results, { date: new Date().toISOString().slice(0, 10), commit }) + '\n');
  console.log(`report: ${path.relative(process.cwd(), o.out)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
