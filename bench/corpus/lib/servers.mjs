// Starting the servers the corpus run compares, on one document each: the
// built mockserver (`--spec corpus=FILE`) and Prism (`prism mock FILE`).
// Each start records whether it started, its message when it did not, the
// time until it was ready, and its peak RSS (VmHWM of /proc/PID/status).

import { spawn } from 'node:child_process';
import fs from 'node:fs';

const KEEP_OUTPUT = 256 * 1024;

/** Peak resident set size of a process in MiB (VmHWM), or undefined. */
export function peakRSS(pid) {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function launch(cmd, args, cwd) {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STANDIN_ADDR: '', NO_COLOR: '1', FORCE_COLOR: '0' } });
  let out = '';
  let head = '';
  let lines = 0;
  let url;
  const add = (s) => {
    if (head.length < 16 * 1024) head += s.slice(0, 16 * 1024 - head.length);
    lines += s.split('\n').length - 1;
    // The URL line may come after thousands of warnings: look for it in every chunk (and the one before).
    url ??= /http:\/\/127\.0\.0\.1:\d+/.exec(out.slice(-200) + s)?.[0];
    out += s;
    if (out.length > KEEP_OUTPUT * 2) out = out.slice(-KEEP_OUTPUT);
  };
  child.stdout.setEncoding('utf8').on('data', add);
  child.stderr.setEncoding('utf8').on('data', add);
  const kill = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
  process.once('exit', kill);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { process.removeListener('exit', kill); resolve({ code, signal }); }));
  child.once('error', (err) => add(`spawn error: ${err.message}\n`));
  return { child, exited, output: () => out, head: () => head, url: () => url, lines: () => lines };
}

async function waitReady(h, probe, timeoutMs) {
  const t0 = performance.now();
  let done = null;
  h.exited.then((e) => { done = e; });
  while (performance.now() - t0 < timeoutMs) {
    // VmHWM is read while the process lives, so a refusal still has a figure.
    h.peak = peakRSS(h.child.pid) ?? h.peak;
    if (done) return { ready: false, exit: done, ms: performance.now() - t0 };
    if (await probe()) return { ready: true, ms: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ready: false, timeout: true, ms: performance.now() - t0 };
}

async function get(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { status: r.status, text: await r.text() };
  } catch {
    return undefined;
  }
}

async function stop(h) {
  if (h.child.exitCode !== null || h.child.signalCode !== null) return;
  h.child.kill('SIGTERM');
  const t = setTimeout(() => h.child.kill('SIGKILL'), 5000);
  await h.exited;
  clearTimeout(t);
}

/**
 * The message of a refusal: the mock's last `mockserver:` line (and how many
 * lines follow it), else the lines that name an error, else the last lines.
 */
function refusal(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = lines.findLastIndex((l) => l.startsWith('mockserver:'));
  if (fatal >= 0) {
    const more = lines.length - fatal - 1;
    const first = lines[fatal].length > 600 ? lines[fatal].slice(0, 600) + '…' : lines[fatal];
    return more > 0 ? `${first} (and ${more} more lines)` : first;
  }
  const error = lines.findLast((l) => /^(\w*Error|error|fatal)\b/i.test(l));
  if (error) return error.length > 600 ? error.slice(0, 600) + '…' : error;
  const errs = lines.filter((l) => /error|refus|invalid|cannot|failed|fatal|unsupported/i.test(l) && !/level=WARN/.test(l));
  const pick = (errs.length ? errs : lines).slice(-3).join(' | ');
  return pick.length > 600 ? pick.slice(0, 600) + '…' : pick;
}

/**
 * Starts the mockserver on one document (args: more flags, such as
 * --config). Returns a handle:
 * {started, message, readyMs, pid, base(), rss(), stop(), output()}.
 */
export async function startStandin({ bin, file, timeoutMs, args = [] }) {
  // Port 0: the kernel picks a free port; the mock prints its URL.
  const h = launch(bin, ['--addr', '127.0.0.1:0', '--spec', `corpus=${file}`, ...args], process.cwd());
  let url;
  const r = await waitReady(h, async () => {
    url ??= h.url();
    return url !== undefined && (await get(`${url}/__standin/ready`))?.status === 200;
  }, timeoutMs);
  const res = { server: 'standin', pid: h.child.pid, url, started: r.ready, readyMs: r.ready ? r.ms : undefined, output: h.output };
  if (!r.ready) {
    res.message = r.timeout ? `not ready within ${Math.round(timeoutMs / 1000)} s` : refusal(h.output()) || `exited with ${JSON.stringify(r.exit)}`;
    res.rss = peakRSS(h.child.pid) ?? h.peak;
    await stop(h);
    res.stop = async () => {};
    return res;
  }
  const apis = JSON.parse((await get(`${url}/__standin/apis`))?.text ?? '{"apis":[]}');
  res.api = apis.apis.find((a) => a.name === 'corpus');
  res.outputLines = h.lines();
  res.rss = () => peakRSS(h.child.pid);
  res.stop = () => stop(h);
  return res;
}

/** Starts Prism's mock on one document (static answers, its default). Same handle as startStandin. */
export async function startPrism({ prismMain, file, port, timeoutMs }) {
  const h = launch(process.execPath, [prismMain, 'mock', '-h', '127.0.0.1', '-p', String(port), file], process.cwd());
  const url = `http://127.0.0.1:${port}`;
  const r = await waitReady(h, async () => /listening on/i.test(h.output()) && (await get(`${url}/__corpus_probe__`)) !== undefined, timeoutMs);
  const res = { server: 'prism', pid: h.child.pid, url, started: r.ready, readyMs: r.ready ? r.ms : undefined, output: h.output };
  if (!r.ready) {
    res.message = r.timeout ? `not ready within ${Math.round(timeoutMs / 1000)} s` : refusal(h.output()) || `exited with ${JSON.stringify(r.exit)}`;
    res.rss = peakRSS(h.child.pid) ?? h.peak;
    await stop(h);
    res.stop = async () => {};
    return res;
  }
  res.rss = () => peakRSS(h.child.pid);
  res.stop = () => stop(h);
  return res;
}

/** The base path the mock serves the document's paths under, from GET /__standin/apis. */
export function basePath(api, docPaths) {
  if (!api) return '';
  for (const entry of api.paths ?? []) {
    const served = entry.slice(entry.indexOf(' ') + 1);
    for (const p of docPaths) {
      if (served === p) return '';
      if (served.endsWith(p) && p !== '/') return served.slice(0, served.length - p.length);
    }
  }
  return '';
}
