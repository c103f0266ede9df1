// Standin dashboard: plain JavaScript modules over the control API
// (/__standin/…), no framework and no build step. This module starts the
// page and keeps it current: the journal live (server-sent events), the
// counters every two seconds (GET /traffic), sticky scenarios and record
// counts every few seconds and after traffic. Every update patches the
// page in place, so focus, selections and scroll positions stay.

import { call, el, fmtClock, toast } from './dom.js';
import { initJournal, loadJournal, setAPIChoices, stream } from './journal.js';
import { renderAPIs, updateAPIs, updateTraffic } from './apis.js';
import { initRecords, setCollections, browse, refresh as refreshRecords } from './records.js';

const state = { apis: [], scenarios: [] };

function setStatus(text, cls) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.className = 'pill ' + (cls || '');
}

async function collectionsOf(a) {
  try {
    return (await call('GET', `/apis/${encodeURIComponent(a.name)}/collections`)).collections;
  } catch (err) {
    return { error: err.status === 404 ? 'This server has no data API (GET /__standin/apis/{api}/collections).' : err.message };
  }
}

/** Reads the APIs, their sticky scenarios and record counts; builds or patches. */
async function loadAPIs(first) {
  const reqs = [call('GET', '/apis')];
  if (first) reqs.push(call('GET', '/scenarios'));
  const [apis, scen] = await Promise.all(reqs);
  if (scen) state.scenarios = scen.scenarios;
  const cols = await Promise.all(apis.apis.map(collectionsOf));
  apis.apis.forEach((a, i) => { a.collections = cols[i]; });
  state.apis = apis.apis;
  renderAPIs(state.apis, state.scenarios, browse);
  setAPIChoices(state.apis.map((a) => a.name));
  setCollections(state.apis);
}

async function loadTraffic() {
  try {
    updateTraffic(await call('GET', '/traffic'));
  } catch { /* kept as shown; the next poll retries */ }
}

// Record counts change with writes: read them at most once a second
// while requests come in.
let countsTimer = null;
function soon() {
  if (countsTimer) return;
  countsTimer = setTimeout(async () => {
    countsTimer = null;
    const cols = await Promise.all(state.apis.map(collectionsOf));
    state.apis.forEach((a, i) => { if (Array.isArray(cols[i])) a.collections = cols[i]; });
    updateAPIs(state.apis);
    setCollections(state.apis);
    loadTraffic();
  }, 1000);
}

async function loadReloads() {
  let data;
  try { data = await call('GET', '/reloads'); } catch { return; }
  if (!data.reloads.length) return;
  const list = document.getElementById('reloads');
  const sig = data.reloads.map((r) => r.time).join();
  if (list.dataset.sig !== sig) {
    list.dataset.sig = sig;
    list.replaceChildren(...data.reloads.map((r) => el('li', {},
      `${fmtClock(r.time, false)} ${r.kind}: ${r.files.join(', ')} `,
      r.error ? el('span', { class: 'err' }, `failed, running state kept: ${r.error}`) : el('span', { class: 'muted' }, 'ok'))));
  }
  const last = data.reloads[0];
  document.getElementById('reload').textContent = `last reload ${fmtClock(last.time, false)}${last.error ? ' failed' : ''}`;
}

async function reset() {
  try {
    await call('POST', '/reset');
    setStatus('reset done', 'ok');
    toast('data and rate limits are back to the start state', 'ok');
    await loadAPIs(false);
    await refreshRecords();
  } catch (err) {
    toast(err.message, 'bad');
  }
}

async function start() {
  document.getElementById('reset').addEventListener('click', reset);
  initJournal(() => state.scenarios);
  initRecords(soon);
  try {
    await loadAPIs(true);
    await loadJournal();
    const ready = await call('GET', '/ready');
    setStatus(ready.status, 'ok');
  } catch (err) {
    setStatus(err.status === 401 ? 'admin token needed: open /__standin/ui/?token=…' : err.message, 'bad');
    return;
  }
  stream(soon);
  loadTraffic();
  loadReloads();
  setInterval(loadTraffic, 2000);
  setInterval(() => { loadAPIs(false).catch(() => {}); loadReloads(); }, 5000);
}

start();
