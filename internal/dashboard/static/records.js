// The records browser and editor over the data API
// (/apis/{api}/collections/{c}/records): pages of records in a table that
// scrolls inside its box, nested values opened in place, and a form that
// replaces (PUT), inserts (POST) or deletes (DELETE) a record. A 400's
// violations and a 409's pointer are shown at their field.

import { el, call, enc, fmtInt, toast, APIError } from './dom.js';
import { jsonBlock, summary } from './json.js';

const PAGE = 20;

const st = {
  api: '', collection: '', key: '', // the collection shown and its key field
  records: [],
  after: [], // the "after" of each page shown before this one
  cursor: '', // this page's "after"
  next: '',
  editing: null, // {mode: 'edit'|'new', key, fields: Map name → {type, input, error}, json}
  onChange: () => {},
};

const $ = (id) => document.getElementById(id);
const recordsPath = () => `/apis/${enc(st.api)}/collections/${enc(st.collection)}/records`;

/** Sets up the toolbar. onChange() runs after a record was written. */
export function initRecords(onChange) {
  st.onChange = onChange;
  $('r-load').addEventListener('click', () => {
    const [api, col] = $('r-collection').value.split('/');
    if (api) browse(api, col);
  });
  $('r-collection').addEventListener('change', () => {
    const [api, col] = $('r-collection').value.split('/');
    if (api) browse(api, col);
  });
  $('r-next').addEventListener('click', () => {
    if (!st.next) return;
    st.after.push(st.cursor);
    page(st.next);
  });
  $('r-prev').addEventListener('click', () => {
    if (!st.after.length) return;
    page(st.after.pop());
  });
  $('r-new').addEventListener('click', () => {
    const first = st.records[0] || {};
    // The key starts empty but keeps its type (a number key gets a number field).
    openEditor('new', templateRecord(), { [st.key]: typeOf(first[st.key] ?? '') });
  });
  $('records').addEventListener('click', onTableClick);
}

/** Fills the collection choice from the APIs' collections, counts patched in place. */
export function setCollections(apis) {
  const sel = $('r-collection');
  const opts = [];
  for (const a of apis) {
    if (!Array.isArray(a.collections)) continue;
    for (const c of a.collections) opts.push({ value: `${a.name}/${c.name}`, text: `${a.name} · ${c.name} (${fmtInt(c.count)})`, key: c.key });
  }
  const same = sel.options.length === opts.length && opts.every((o, i) => sel.options[i].value === o.value);
  if (same) {
    opts.forEach((o, i) => { if (sel.options[i].textContent !== o.text) sel.options[i].textContent = o.text; });
  } else {
    const cur = sel.value;
    sel.replaceChildren(...opts.map((o) => el('option', { value: o.value, 'data-key': o.key }, o.text)));
    if (cur) sel.value = cur;
  }
  if (!opts.length) {
    $('records').replaceChildren(el('p', { class: 'message' },
      'The records browser needs the data API (GET /__standin/apis/{api}/collections), which this server does not offer.'));
  }
}

/** Shows a collection's first page. */
export async function browse(api, collection) {
  const sel = $('r-collection');
  sel.value = `${api}/${collection}`;
  const opt = sel.selectedOptions[0];
  st.api = api;
  st.collection = collection;
  st.key = opt ? opt.dataset.key : '';
  st.after = [];
  closeEditor();
  await page('');
  document.getElementById('records-section').scrollIntoView({ block: 'start' });
}

/** Reloads the page shown (after a write or a reset). */
export async function refresh() {
  if (st.api) await page(st.cursor);
}

async function page(after) {
  const box = $('records');
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (after) q.set('after', after);
  try {
    const data = await call('GET', `${recordsPath()}?${q}`);
    st.records = data.records;
    st.cursor = after;
    st.next = data.next || '';
    $('r-next').disabled = !data.next;
    $('r-prev').disabled = !st.after.length;
    $('r-new').disabled = false;
    const first = st.after.length * PAGE;
    $('r-info').textContent = data.records.length
      ? `${st.api} · ${st.collection}: ${fmtInt(first + 1)}–${fmtInt(first + data.records.length)} of ${fmtInt(data.total)} records (key: ${st.key})`
      : `${st.api} · ${st.collection}: no records`;
    box.replaceChildren(table(data.records));
  } catch (err) {
    box.replaceChildren(el('p', { class: 'message' }, err.status === 404 ? `No records to browse here: ${err.message}` : err.message));
  }
}

// ---- the table ----

function table(recs) {
  const cols = [];
  for (const r of recs) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  if (st.key && cols.includes(st.key)) cols.splice(cols.indexOf(st.key), 1), cols.unshift(st.key);
  return el('table', { class: 'records-table' },
    el('thead', {}, el('tr', {}, el('th', { class: 'act' }, ''), cols.map((c) => el('th', {}, c, c === st.key ? el('span', { class: 'muted' }, ' (key)') : null)))),
    el('tbody', {}, recs.map((r) => el('tr', { 'data-key': String(r[st.key]) },
      el('td', { class: 'act' },
        el('button', { 'data-action': 'edit', title: 'edit this record (PUT)' }, 'Edit'),
        el('button', { class: 'danger', 'data-action': 'delete', title: 'delete this record (DELETE)' }, 'Delete')),
      cols.map((c) => cell(r[c]))))));
}

function cell(v) {
  if (v === undefined) return el('td', { class: 'muted' }, '');
  if (v === null) return el('td', { class: 'muted' }, 'null');
  if (typeof v === 'object') {
    return el('td', { class: 'nested' }, el('details', {}, el('summary', {}, summary(v)), jsonBlock(v)));
  }
  const text = String(v);
  return el('td', { class: typeof v === 'string' ? 'str' : 'num' }, text.length > 40 ? el('div', { class: 'long' }, text) : text);
}

async function onTableClick(ev) {
  const btn = ev.target.closest('button[data-action]');
  if (!btn) return;
  const tr = btn.closest('tr');
  const key = tr.dataset.key;
  const rec = st.records.find((r) => String(r[st.key]) === key);
  if (btn.dataset.action === 'edit') {
    openEditor('edit', rec);
  } else if (btn.dataset.action === 'delete') {
    if (btn.dataset.confirm !== 'yes') {
      // A second click within four seconds deletes.
      btn.dataset.confirm = 'yes';
      btn.textContent = 'Confirm delete';
      setTimeout(() => { delete btn.dataset.confirm; btn.textContent = 'Delete'; }, 4000);
      return;
    }
    try {
      await call('DELETE', `${recordsPath()}/${enc(key)}`);
      toast(`${st.collection} ${key} deleted`, 'ok');
      await refresh();
      st.onChange();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }
}

// ---- the editor ----

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v; // string, number, boolean, object
}

/** A record to start a new one from: the first shown, its key emptied. */
function templateRecord() {
  const base = st.records[0] ? structuredClone(st.records[0]) : {};
  if (st.key) base[st.key] = '';
  return base;
}

/** Opens the form on rec; types overrides the type of fields by name. */
function openEditor(mode, rec, types = {}) {
  const form = $('editor');
  const fields = new Map();
  const names = Object.keys(rec);
  if (st.key && names.includes(st.key)) names.splice(names.indexOf(st.key), 1), names.unshift(st.key);
  const rows = names.map((name) => {
    const v = rec[name];
    const type = types[name] || typeOf(v);
    const id = `ed-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let input;
    if (type === 'boolean') {
      input = el('select', { id }, el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
      input.value = String(v);
    } else if (type === 'object' || type === 'array' || type === 'null') {
      input = el('textarea', { id, class: 'mono', rows: type === 'null' ? 1 : Math.min(12, JSON.stringify(v, null, 2).split('\n').length), spellcheck: 'false' });
      input.value = JSON.stringify(v, null, 2);
    } else {
      input = el('input', { id, type: type === 'number' ? 'number' : 'text', step: type === 'number' ? 'any' : null, autocomplete: 'off', spellcheck: 'false' });
      input.value = v === null || v === undefined ? '' : String(v);
    }
    const isKey = name === st.key;
    if (isKey && mode === 'edit') input.readOnly = true;
    const error = el('div', { class: 'field-error', id: `${id}-err`, role: 'alert' });
    input.setAttribute('aria-describedby', error.id);
    fields.set(name, { type, input, error });
    return el('div', { class: 'field', 'data-field': name },
      el('label', { for: id }, name, ' ', el('span', { class: 'type' }, type === 'null' ? 'JSON' : type === 'object' || type === 'array' ? `JSON ${type}` : type),
        isKey ? el('span', { class: 'pill' }, mode === 'edit' ? 'key, fixed' : 'key') : null),
      input, error);
  });
  const json = el('textarea', { class: 'mono json-edit', rows: 18, spellcheck: 'false', 'aria-label': 'the record as JSON', hidden: true });
  const jsonErrors = el('div', { class: 'field-error', role: 'alert', hidden: true });
  const formError = el('div', { class: 'form-error', role: 'alert', hidden: true });
  const toggle = el('button', { type: 'button', 'data-action': 'json-mode', title: 'edit the whole record as JSON (fields of any type, added or removed)' }, 'Edit as JSON');
  st.editing = { mode, key: mode === 'edit' ? String(rec[st.key]) : '', fields, json, jsonErrors, formError, toggle, jsonMode: false };
  toggle.addEventListener('click', () => switchMode());
  const title = mode === 'edit' ? `Edit ${st.collection} ${rec[st.key]}` : `New record in ${st.api} · ${st.collection}`;
  form.replaceChildren(
    el('h3', {}, title),
    el('p', { class: 'muted' }, mode === 'edit'
      ? `Save replaces the record (PUT ${'/__standin' + recordsPath()}/{key}); the data API checks it against the collection's schema.`
      : `Prefilled from the first record shown; Save inserts it (POST ${'/__standin' + recordsPath()}).`),
    el('div', { class: 'fields' }, rows),
    json, jsonErrors, formError,
    el('div', { class: 'form-actions' },
      el('button', { type: 'submit', class: 'primary', 'data-action': 'save' }, mode === 'edit' ? 'Save' : 'Insert'),
      el('button', { type: 'button', 'data-action': 'cancel', onclick: closeEditor }, 'Cancel'),
      toggle));
  form.onsubmit = (ev) => { ev.preventDefault(); save(); };
  form.hidden = false;
  form.scrollIntoView({ block: 'nearest' });
  const first = [...fields.values()].find((f) => !f.input.readOnly);
  if (first) first.input.focus();
}

function closeEditor() {
  const form = $('editor');
  form.hidden = true;
  form.replaceChildren();
  st.editing = null;
}

function switchMode() {
  const ed = st.editing;
  clearErrors();
  if (!ed.jsonMode) {
    let rec;
    try { rec = collect(); } catch { return; }
    ed.json.value = JSON.stringify(rec, null, 2);
    ed.jsonMode = true;
    ed.json.hidden = false;
    $('editor').querySelector('.fields').hidden = true;
    ed.toggle.textContent = 'Edit as fields';
    ed.json.focus();
    return;
  }
  // Back to fields: the form is built again from the JSON (fields may
  // have been added, removed or changed type).
  let rec;
  try { rec = JSON.parse(ed.json.value); } catch (err) {
    showFormError(`The JSON does not parse: ${err.message}`);
    return;
  }
  if (typeOf(rec) !== 'object') {
    showFormError('A record is a JSON object.');
    return;
  }
  openEditor(ed.mode, rec);
}

/** The record the form describes; throws after marking a field it cannot read. */
function collect() {
  const ed = st.editing;
  if (ed.jsonMode) {
    try { return JSON.parse(ed.json.value); } catch (err) {
      showFormError(`The JSON does not parse: ${err.message}`);
      throw err;
    }
  }
  const rec = {};
  let bad = null;
  for (const [name, f] of ed.fields) {
    const raw = f.input.value;
    switch (f.type) {
      case 'boolean': rec[name] = raw === 'true'; break;
      case 'number':
        if (raw.trim() === '') { rec[name] = null; break; }
        rec[name] = Number(raw);
        if (!Number.isFinite(rec[name])) bad = bad || fieldError(name, 'not a number');
        break;
      case 'object': case 'array': case 'null':
        try { rec[name] = JSON.parse(raw.trim() === '' ? 'null' : raw); } catch (err) { bad = bad || fieldError(name, `not JSON: ${err.message}`); }
        break;
      default: rec[name] = raw;
    }
  }
  if (bad) {
    bad.focus();
    throw new Error('invalid field');
  }
  return rec;
}

async function save() {
  const ed = st.editing;
  clearErrors();
  let rec;
  try { rec = collect(); } catch { return; }
  try {
    if (ed.mode === 'edit') await call('PUT', `${recordsPath()}/${enc(ed.key)}`, rec);
    else await call('POST', recordsPath(), rec);
  } catch (err) {
    if (err instanceof APIError) showServerErrors(err);
    else showFormError(String(err));
    return;
  }
  const key = ed.mode === 'edit' ? ed.key : String(rec[st.key]);
  toast(ed.mode === 'edit' ? `${st.collection} ${key} saved` : `${st.collection} ${key} inserted`, 'ok');
  closeEditor();
  await refresh();
  const row = [...$('records').querySelectorAll('tr[data-key]')].find((r) => r.dataset.key === key);
  if (row) {
    row.classList.add('new');
    row.scrollIntoView({ block: 'nearest' });
  }
  st.onChange();
}

/** Puts a 400's violations and a 409's pointer at their fields. */
function showServerErrors(err) {
  const ed = st.editing;
  const d = err.data || {};
  const list = d.violations || (d.pointer !== undefined ? [{ pointer: d.pointer, reason: err.message }] : []);
  if (!list.length) {
    showFormError(err.message);
    return;
  }
  let first = null;
  const elsewhere = [];
  for (const v of list) {
    const top = topField(v.pointer);
    const at = v.pointer && v.pointer !== `/${top}` ? ` (at ${v.pointer})` : '';
    if (!ed.jsonMode && ed.fields.has(top)) {
      const f = fieldError(top, v.reason + at);
      first = first || f;
    } else {
      elsewhere.push(`${v.pointer || '/'}: ${v.reason}`);
    }
  }
  if (elsewhere.length) {
    const target = ed.jsonMode ? ed.jsonErrors : ed.formError;
    target.hidden = false;
    target.replaceChildren(el('strong', {}, `${err.status === 409 ? 'Conflict' : 'The record breaks the schema'}:`),
      el('ul', {}, elsewhere.map((t) => el('li', {}, t))));
  }
  (first || (ed.jsonMode ? ed.json : null))?.focus();
}

/** The first segment of a JSON pointer, unescaped ("/partner/id" → "partner"). */
function topField(pointer) {
  if (!pointer || pointer[0] !== '/') return '';
  return pointer.slice(1).split('/')[0].replaceAll('~1', '/').replaceAll('~0', '~');
}

function fieldError(name, text) {
  const f = st.editing.fields.get(name);
  const prev = f.error.textContent;
  f.error.textContent = prev ? `${prev}; ${text}` : text;
  f.input.setAttribute('aria-invalid', 'true');
  f.input.closest('.field').classList.add('invalid');
  return f.input;
}

function showFormError(text) {
  const fe = st.editing.formError;
  fe.hidden = false;
  fe.textContent = text;
}

function clearErrors() {
  const ed = st.editing;
  for (const f of ed.fields.values()) {
    f.error.textContent = '';
    f.input.removeAttribute('aria-invalid');
    f.input.closest('.field').classList.remove('invalid');
  }
  ed.formError.hidden = true;
  ed.formError.replaceChildren();
  ed.jsonErrors.hidden = true;
  ed.jsonErrors.replaceChildren();
}
