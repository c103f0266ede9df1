// Small helpers shared by the dashboard's modules: building elements (with
// textContent only, never HTML: records, paths and headers come from
// users), calling the control API, and formatting figures.

export const API = '/__standin';

/** el('div', {class: 'x', onclick: f}, child, 'text', [more]) */
export function el(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

const SVG = 'http://www.w3.org/2000/svg';

/** svg('rect', {x: 1, y: 2}) in the SVG namespace. */
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

function fill(e, attrs, children) {
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.setAttribute('class', v);
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** Sets a node's text only when it changed (no needless layout). */
export function patchText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** An answer of the control API that is not 2xx. */
export class APIError extends Error {
  constructor(status, data, fallback) {
    super((data && data.error) || fallback);
    this.status = status;
    this.data = data;
  }
}

/**
 * Calls the control API: method, a path under /__standin, an optional JSON
 * body. Returns the decoded JSON (null for an empty answer); throws
 * APIError for a status outside 2xx.
 */
export async function call(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(API + path, opts);
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) throw new APIError(res.status, data, `${method} ${API}${path}: ${res.status}`);
  return data;
}

export const enc = encodeURIComponent;

/** 1234 → "1,234" */
export function fmtInt(n) {
  return Number(n || 0).toLocaleString('en');
}

/** A duration in milliseconds, with sensible precision. */
export function fmtMs(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "14:03:05.123" in 24-hour time. */
export function fmtClock(iso, millis = true) {
  const t = new Date(iso);
  const s = t.toLocaleTimeString('en-GB', { hour12: false });
  return millis ? `${s}.${String(t.getMilliseconds()).padStart(3, '0')}` : s;
}

/** Shows a short message in the header's status line. */
export function toast(text, kind = '') {
  const s = document.getElementById('toast');
  s.textContent = text;
  s.className = `toast ${kind}`;
  s.hidden = !text;
  clearTimeout(toast.timer);
  if (text && kind !== 'bad') toast.timer = setTimeout(() => { s.hidden = true; }, 4000);
}
