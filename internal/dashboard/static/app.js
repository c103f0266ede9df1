// Standin dashboard: plain JavaScript over the control API (/__standin/…).
// Everything shown is built with textContent, never parsed as HTML: records and
// paths come from users.
'use strict';

const API = '/__standin';
const MAX_ROWS = 200;
const PAGE = 20;

const state = {
  apis: [],
  scenarios: [],
  entries: [], // newest first
  records: { api: '', collection: '', next: '' },
};

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function call(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(API + path, opts);
  let data = null;
  try { data = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const err = new Error((data && data.error) || `${method} ${path}: ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

function setStatus(text, cls) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.className = 'pill ' + (cls || '');
}

// ---- APIs, collections and scenarios ----

async function loadAPIs() {
  const [apis, scen] = await Promise.all([call('GET', '/apis'), call('GET', '/scenarios')]);
  state.apis = apis.apis;
  state.scenarios = scen.scenarios;
  const counts = await Promise.all(state.apis.map(async (a) => {
    try {
      return (await call('GET', `/apis/${encodeURIComponent(a.name)}/collections`)).collections;
    } catch (err) {
      return { error: err.status === 404 ? 'This server has no data API (GET /__standin/apis/{api}/collections).' : err.message };
    }
  }));
  state.apis.forEach((a, i) => { a.collections = counts[i]; });
  renderAPIs();
  renderFilters();
  renderCollections();
}

function renderAPIs() {
  const box = document.getElementById('apis');
  box.replaceChildren(...state.apis.map(renderAPI));
}

function renderAPI(a) {
  const scen = state.scenarios.filter((s) => s.api === a.name);
  let counts;
  if (Array.isArray(a.collections)) {
    counts = el('div', { class: 'counts' }, 'Records: ',
      a.collections.map((c) => el('a', {
        title: `browse ${a.name} ${c.name}`,
        'data-collection': `${a.name}/${c.name}`,
        onclick: () => browse(a.name, c.name),
      }, `${c.name} ${c.count.toLocaleString('en')}`)));
  } else {
    counts = el('div', { class: 'counts muted' }, a.collections.error);
  }
  const limit = a.rateLimit ? el('span', { class: 'pill' }, `${a.rateLimit.limit} req / ${a.rateLimit.window}`) : null;
  return el('div', { class: 'api', 'data-api': a.name },
    el('div', { class: 'api-head' },
      el('h3', {}, a.name), el('span', { class: 'title' }, a.title || ''),
      a.protocols.map((p) => el('span', { class: 'pill' }, p)), limit,
      a.scenario ? el('span', { class: 'pill bad', 'data-sticky': a.scenario }, `sticky: ${a.scenario}`) : null),
    el('div', { class: 'paths' }, (a.operations && a.operations.length ? a.operations : a.paths).map((o) => {
      const parts = o.split(' ');
      return el('div', { class: 'op' }, el('span', {}, parts.slice(0, 2).join(' ')), parts[2] ? el('span', { class: 'opid' }, parts[2]) : null);
    })),
    counts,
    el('table', { class: 'scenarios' },
      el('tbody', {}, scen.map((s) => {
        const on = a.scenario === s.name;
        return el('tr', { class: on ? 'on' : '', 'data-scenario': s.name },
          el('td', { class: 'name' }, s.name),
          el('td', { class: 'desc' }, s.description, s.source ? el('div', { class: 'src', title: 'where the page documents it' }, s.source) : null),
          el('td', { class: 'act' }, on
            ? el('button', { class: 'sticky', 'data-action': 'clear', title: `DELETE /__standin/apis/${a.name}/scenario`, onclick: () => setSticky(a.name, null) }, 'Clear')
            : el('button', { 'data-action': 'stick', title: `PUT /__standin/apis/${a.name}/scenario`, onclick: () => setSticky(a.name, s.name) }, 'Make sticky')));
      }))));
}

async function setSticky(api, name) {
  try {
    if (name) await call('PUT', `/apis/${encodeURIComponent(api)}/scenario`, { name });
    else await call('DELETE', `/apis/${encodeURIComponent(api)}/scenario`);
    const a = state.apis.find((x) => x.name === api);
    a.scenario = name || '';
    renderAPIs();
  } catch (err) {
    alert(err.message);
  }
}

// ---- journal ----

function filterOf() {
  return {
    api: document.getElementById('f-api').value,
    status: document.getElementById('f-status').value.trim().toLowerCase(),
    text: document.getElementById('f-text').value.trim().toLowerCase(),
  };
}

function matches(e, f) {
  if (f.api && e.api !== f.api) return false;
  if (f.status) {
    const s = String(e.status);
    if (/^[1-5]xx$/.test(f.status) ? s[0] !== f.status[0] : s !== f.status) return false;
  }
  if (f.text) {
    const hay = [e.path, e.query, e.operation, e.scenario, e.requestId, e.method].join(' ').toLowerCase();
    if (!hay.includes(f.text)) return false;
  }
  return true;
}

function row(e, fresh) {
  const t = new Date(e.time);
  return el('tr', { class: fresh ? 'new' : '', 'data-status': e.status, 'data-api': e.api || '' },
    el('td', { title: e.time }, t.toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(t.getMilliseconds()).padStart(3, '0')),
    el('td', { class: `st s${String(e.status)[0]}` }, e.status === 0 ? 'fault' : e.status),
    el('td', {}, e.api || '—'),
    el('td', {}, e.operation || ''),
    el('td', { class: 'path' }, `${e.method} ${e.path}${e.query ? '?' + e.query : ''}`),
    el('td', {}, e.scenario || ''),
    el('td', {}, `${e.durationMs < 10 ? e.durationMs.toFixed(2) : Math.round(e.durationMs)} ms`),
    el('td', { class: 'muted' }, e.requestId || ''));
}

function renderJournal(freshId) {
  const f = filterOf();
  const shown = state.entries.filter((e) => matches(e, f));
  document.getElementById('journal').replaceChildren(...shown.map((e) => row(e, e === freshId)));
  document.getElementById('journal-empty').hidden = shown.length > 0;
}

async function loadJournal() {
  const data = await call('GET', `/requests?limit=${MAX_ROWS}`);
  state.entries = data.requests;
  renderJournal();
}

function renderFilters() {
  const sel = document.getElementById('f-api');
  const cur = sel.value;
  sel.replaceChildren(el('option', { value: '' }, 'all'), ...state.apis.map((a) => el('option', { value: a.name }, a.name)));
  sel.value = cur;
}

function stream() {
  const live = document.getElementById('live');
  const es = new EventSource(`${API}/requests/stream`);
  es.onopen = () => { live.textContent = 'live'; live.className = 'pill ok'; };
  es.onerror = () => { live.textContent = 'live: reconnecting'; live.className = 'pill off'; };
  es.addEventListener('request', (ev) => {
    const e = JSON.parse(ev.data);
    state.entries.unshift(e);
    if (state.entries.length > MAX_ROWS) state.entries.length = MAX_ROWS;
    renderJournal(e);
    refreshCounts();
  });
}

// Record counts change with writes; refresh them at most once a second.
let countsTimer = null;
function refreshCounts() {
  if (countsTimer) return;
  countsTimer = setTimeout(async () => {
    countsTimer = null;
    await Promise.all(state.apis.map(async (a) => {
      try { a.collections = (await call('GET', `/apis/${encodeURIComponent(a.name)}/collections`)).collections; } catch { /* kept */ }
    }));
    renderAPIs();
  }, 1000);
}

// ---- records ----

function renderCollections() {
  const sel = document.getElementById('r-collection');
  const opts = [];
  for (const a of state.apis) {
    if (!Array.isArray(a.collections)) continue;
    for (const c of a.collections) opts.push(el('option', { value: `${a.name}/${c.name}` }, `${a.name} · ${c.name} (${c.count.toLocaleString('en')})`));
  }
  const cur = sel.value;
  sel.replaceChildren(...opts);
  if (cur) sel.value = cur;
  if (!opts.length) {
    document.getElementById('records').replaceChildren(el('p', { class: 'message' },
      'The records browser needs the data API (GET /__standin/apis/{api}/collections), which this server does not offer.'));
  }
}

async function browse(api, collection, after) {
  const sel = document.getElementById('r-collection');
  sel.value = `${api}/${collection}`;
  const box = document.getElementById('records');
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (after) q.set('after', after);
  try {
    const data = await call('GET', `/apis/${encodeURIComponent(api)}/collections/${encodeURIComponent(collection)}/records?${q}`);
    state.records = { api, collection, next: data.next || '' };
    document.getElementById('r-next').disabled = !data.next;
    document.getElementById('r-info').textContent = `${data.records.length} of ${data.total.toLocaleString('en')} records${after ? ' (after ' + after + ')' : ''}`;
    box.replaceChildren(recordsTable(data.records));
  } catch (err) {
    box.replaceChildren(el('p', { class: 'message' }, err.status === 404 ? `No records to browse here: ${err.message}` : err.message));
  }
}

// recordsTable shows records as rows, one column per top-level field of the
// first records (nested values as compact JSON).
function recordsTable(recs) {
  const cols = [];
  for (const r of recs) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const cell = (v) => {
    if (v === null || v === undefined) return el('td', { class: 'muted' }, v === null ? 'null' : '');
    const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return el('td', { title: text }, text.length > 60 ? text.slice(0, 57) + '…' : text);
  };
  return el('table', {},
    el('thead', {}, el('tr', {}, cols.map((c) => el('th', {}, c)))),
    el('tbody', {}, recs.map((r) => el('tr', {}, cols.map((c) => cell(r[c]))))));
}

// ---- reloads and status ----

async function loadReloads() {
  let data;
  try { data = await call('GET', '/reloads'); } catch { return; }
  const list = document.getElementById('reloads');
  const info = document.getElementById('reload');
  if (!data.reloads.length) return;
  list.replaceChildren(...data.reloads.map((r) => el('li', {},
    `${new Date(r.time).toLocaleTimeString('en-GB', { hour12: false })} ${r.kind}: ${r.files.join(', ')} `,
    r.error ? el('span', { class: 'err' }, `failed, running state kept: ${r.error}`) : el('span', { class: 'muted' }, 'ok'))));
  const last = data.reloads[0];
  info.textContent = `last reload ${new Date(last.time).toLocaleTimeString('en-GB', { hour12: false })}${last.error ? ' failed' : ''}`;
}

async function reset() {
  try {
    await call('POST', '/reset');
    setStatus('reset done', 'ok');
    await loadAPIs();
    if (state.records.api) await browse(state.records.api, state.records.collection);
  } catch (err) {
    alert(err.message);
  }
}

async function start() {
  document.getElementById('reset').addEventListener('click', reset);
  document.getElementById('clear-journal').addEventListener('click', async () => {
    await call('DELETE', '/requests');
    state.entries = [];
    renderJournal();
  });
  for (const id of ['f-api', 'f-status', 'f-text']) document.getElementById(id).addEventListener('input', () => renderJournal());
  document.getElementById('r-load').addEventListener('click', () => {
    const [api, col] = document.getElementById('r-collection').value.split('/');
    if (api) browse(api, col);
  });
  document.getElementById('r-next').addEventListener('click', () => {
    const r = state.records;
    if (r.next) browse(r.api, r.collection, r.next);
  });
  try {
    await loadAPIs();
    await loadJournal();
    const ready = await call('GET', '/ready');
    setStatus(ready.status, 'ok');
  } catch (err) {
    setStatus(err.status === 401 ? 'admin token needed: open /__standin/ui/?token=…' : err.message, 'bad');
    return;
  }
  stream();
  loadReloads();
  setInterval(loadReloads, 5000);
}

start();
