// The live request journal: a table fed by GET /requests and the
// server-sent events of /requests/stream. New requests are inserted as rows
// (nothing else is redrawn); a row opens to the request's and response's
// headers and bodies, the scenario applied, and "copy as curl".

import { API, el, call, enc, fmtClock, fmtMs, toast, APIError } from './dom.js';
import { bodyBlock } from './json.js';

const MAX_ROWS = 200;
const COLS = 8;

const st = {
  entries: [], // newest first
  rows: new Map(), // entry → its <tr>
  open: new Set(), // entries whose detail is shown
  paused: false,
  pending: [], // entries that arrived while paused, newest first
  scenarios: () => [],
};

const $ = (id) => document.getElementById(id);

/** Sets up the journal: filters, pause, clear. scenarios() lists every scenario. */
export function initJournal(scenarios) {
  st.scenarios = scenarios;
  for (const id of ['f-api', 'f-status', 'f-text']) $(id).addEventListener('input', redraw);
  $('pause').addEventListener('click', togglePause);
  $('clear-journal').addEventListener('click', async () => {
    try {
      await call('DELETE', '/requests');
    } catch (err) {
      toast(err.message, 'bad');
      return;
    }
    st.entries = [];
    st.pending = [];
    st.open.clear();
    redraw();
    updatePauseLabel();
  });
  const body = $('journal');
  body.addEventListener('click', (ev) => {
    const tr = ev.target.closest('tr.entry');
    if (tr && !ev.target.closest('button, a, input, select, textarea')) toggle(tr);
  });
  body.addEventListener('keydown', (ev) => {
    const tr = ev.target.closest('tr.entry');
    if (tr && ev.target === tr && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      toggle(tr);
    }
  });
}

/** Loads the latest requests. */
export async function loadJournal() {
  const data = await call('GET', '/requests?limit=100');
  st.entries = data.requests;
  redraw();
}

/** Fills the API filter's choices, keeping the choice made. */
export function setAPIChoices(names) {
  const sel = $('f-api');
  const cur = sel.value;
  const want = ['', ...names];
  if ([...sel.options].map((o) => o.value).join('\n') === want.join('\n')) return;
  sel.replaceChildren(...want.map((n) => el('option', { value: n }, n || 'all')));
  sel.value = cur;
}

/** Opens the live stream; onEntry is called for every request. */
export function stream(onEntry) {
  const live = $('live');
  const es = new EventSource(`${API}/requests/stream`);
  es.onopen = () => { live.textContent = 'live'; live.className = 'pill ok'; };
  es.onerror = () => { live.textContent = 'live: reconnecting'; live.className = 'pill off'; };
  es.addEventListener('request', (ev) => {
    const e = JSON.parse(ev.data);
    if (st.paused) {
      st.pending.unshift(e);
      if (st.pending.length > MAX_ROWS) st.pending.length = MAX_ROWS;
      updatePauseLabel();
    } else {
      add(e);
    }
    onEntry(e);
  });
  return es;
}

function togglePause() {
  st.paused = !st.paused;
  if (!st.paused) {
    const queued = st.pending.reverse();
    st.pending = [];
    for (const e of queued) add(e);
  }
  updatePauseLabel();
}

function updatePauseLabel() {
  const b = $('pause');
  b.textContent = st.paused ? `Resume${st.pending.length ? ` (${st.pending.length} new)` : ''}` : 'Pause';
  b.setAttribute('aria-pressed', String(st.paused));
}

// ---- filtering ----

function filterOf() {
  return {
    api: $('f-api').value,
    status: $('f-status').value.trim().toLowerCase(),
    text: $('f-text').value.trim().toLowerCase(),
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

// ---- rows ----

/** Inserts one new request at the top, dropping the oldest past MAX_ROWS. */
function add(e) {
  st.entries.unshift(e);
  const body = $('journal');
  if (matches(e, filterOf())) {
    const tr = rowOf(e, true);
    body.prepend(tr);
  }
  while (st.entries.length > MAX_ROWS) forget(st.entries.pop());
  $('journal-empty').hidden = body.rows.length > 0;
}

function forget(e) {
  const tr = st.rows.get(e);
  if (tr) {
    if (tr.nextElementSibling && tr.nextElementSibling.classList.contains('detail')) tr.nextElementSibling.remove();
    tr.remove();
  }
  st.rows.delete(e);
  st.open.delete(e);
}

/** Redraws the table from the entries (a filter changed). */
function redraw() {
  const f = filterOf();
  const shown = st.entries.filter((e) => matches(e, f));
  const rows = [];
  st.rows.clear();
  for (const e of shown) {
    rows.push(rowOf(e, false));
    if (st.open.has(e)) rows.push(detailOf(e));
  }
  $('journal').replaceChildren(...rows);
  $('journal-empty').hidden = shown.length > 0;
}

function rowOf(e, fresh) {
  const tr = el('tr', {
    class: `entry${fresh ? ' new' : ''}`, tabindex: '0', 'aria-expanded': String(st.open.has(e)),
    'data-status': e.status, 'data-api': e.api || '', 'data-seq': e.seq || '',
    title: 'open: headers, bodies, scenario, copy as curl',
  },
  el('td', { title: e.time }, fmtClock(e.time)),
  el('td', { class: `st s${String(e.status)[0]}` }, e.status === 0 ? 'fault' : e.status),
  el('td', { class: 'ellipsis' }, e.api || '—'),
  el('td', { class: 'ellipsis' }, e.operation || ''),
  el('td', { class: 'path' }, `${e.method} ${e.path}${e.query ? '?' + e.query : ''}`),
  el('td', { class: 'ellipsis scen' }, e.scenario || ''),
  el('td', { class: 'num' }, fmtMs(e.durationMs)),
  el('td', { class: 'muted mono ellipsis' }, e.requestId || ''));
  st.rows.set(e, tr);
  tr.entry = e;
  return tr;
}

function toggle(tr) {
  const e = tr.entry;
  const next = tr.nextElementSibling;
  if (st.open.has(e)) {
    st.open.delete(e);
    if (next && next.classList.contains('detail')) next.remove();
    tr.setAttribute('aria-expanded', 'false');
  } else {
    st.open.add(e);
    tr.after(detailOf(e));
    tr.setAttribute('aria-expanded', 'true');
  }
}

// ---- detail ----

function detailOf(e) {
  const scen = e.scenario ? st.scenarios().find((s) => s.api === e.api && s.name === e.scenario) : null;
  const url = `${location.origin}${e.path}${e.query ? '?' + e.query : ''}`;
  const curlOut = el('div', { class: 'curl-out', hidden: true });
  const curlBtn = el('button', {
    class: 'primary', 'data-action': 'curl',
    title: `GET ${API}/requests/{seq}/curl: the mock's own tokens are copied as sent, other secrets cut`,
    disabled: !e.seq,
    onclick: () => copyCurl(e, curlOut, curlBtn),
  }, 'Copy as curl');
  return el('tr', { class: 'detail' }, el('td', { colspan: COLS },
    el('div', { class: 'detail-box' },
      el('div', { class: 'detail-head' },
        el('span', { class: `st s${String(e.status)[0]}` }, e.status === 0 ? 'fault injected' : e.status),
        el('code', { class: 'mono' }, `${e.method} ${url}`),
        el('span', { class: 'muted' }, `${fmtMs(e.durationMs)} · ${e.operation || 'no operation'} · id ${e.requestId || '—'}`),
        el('span', { class: 'spacer' }),
        curlBtn),
      el('div', { class: 'scenario-line', 'data-role': 'scenario' },
        el('strong', {}, 'Scenario: '),
        e.scenario
          ? [el('span', { class: 'pill bad' }, e.scenario), ' ', scen ? scen.description : '', scen && scen.source ? el('span', { class: 'muted' }, ` (${scen.source})`) : null]
          : el('span', { class: 'muted' }, 'none (the normal answer)')),
      e.seq ? null : el('p', { class: 'muted' }, 'This entry comes from another replica\'s journal (--state): copy as curl works on the replica that served it.'),
      curlOut,
      el('div', { class: 'messages' },
        messageOf('Request', e.request),
        messageOf('Response', e.response)),
      e.request && e.request.bodyNotKept ? el('p', { class: 'note', 'data-role': 'body-not-kept' },
        'Bodies not kept: the journal keeps headers only. Start the mock with ',
        el('code', {}, 'journalBodies: true'), ' in its configuration file (',
        el('code', {}, '--config standin.yaml'), ') to see request and response bodies here.') : null)));
}

function messageOf(title, m) {
  const parts = [el('h4', {}, title)];
  if (!m) {
    parts.push(el('p', { class: 'muted' }, 'The journal kept no headers for this request.'));
    return el('div', { class: 'message-box', 'data-role': title.toLowerCase() }, parts);
  }
  const names = Object.keys(m.headers || {}).sort();
  const headers = el('table', { class: 'headers' }, el('tbody', {}, names.flatMap((k) => m.headers[k].map((v) =>
    el('tr', {}, el('th', {}, k), el('td', {}, v))))));
  if (m.bodyNotKept) {
    parts.push(el('p', { class: 'muted' }, 'Body not kept (see below).'));
  } else if (m.body !== undefined && m.body !== '') {
    parts.push(el('div', { class: 'body', 'data-role': 'body' }, bodyBlock(m.body)));
    if (m.truncated) parts.push(el('p', { class: 'note' }, 'The body was longer: the journal keeps its first 16 KiB.'));
  } else if (m.bodyBase64) {
    parts.push(el('p', { class: 'muted' }, `A binary body of ${Math.floor(m.bodyBase64.length * 3 / 4)} bytes.`));
  } else {
    parts.push(el('p', { class: 'muted' }, 'No body.'));
  }
  // The body first, then the headers.
  parts.push(headers);
  return el('div', { class: 'message-box', 'data-role': title.toLowerCase() }, parts);
}

async function copyCurl(e, out, btn) {
  let data;
  try {
    data = await call('GET', `/requests/${enc(e.seq)}/curl?requestId=${enc(e.requestId || '')}`);
  } catch (err) {
    out.hidden = false;
    out.replaceChildren(el('p', { class: 'err' }, err instanceof APIError ? err.message : String(err)));
    return;
  }
  const line = el('textarea', { class: 'curl mono', readonly: true, rows: 3, spellcheck: 'false', 'aria-label': 'curl command line' });
  line.value = data.curl;
  let copied = true;
  try {
    await navigator.clipboard.writeText(data.curl);
  } catch {
    // No clipboard permission: select the line so that Ctrl+C copies it.
    copied = false;
  }
  out.hidden = false;
  out.replaceChildren(line,
    el('p', { class: 'muted' }, copied ? 'Copied to the clipboard. ' : 'Select and copy the line (the browser refused the clipboard). ',
      'The mock\'s own tokens are copied as sent; other secrets are cut as in the journal.'),
    el('ul', { class: 'notes', hidden: !data.notes.length }, data.notes.map((n) => el('li', {}, n))));
  if (!copied) line.select();
  btn.textContent = copied ? 'Copied' : 'Copy as curl';
  setTimeout(() => { btn.textContent = 'Copy as curl'; }, 2000);
  toast(copied ? 'curl line copied' : 'curl line shown', 'ok');
}
