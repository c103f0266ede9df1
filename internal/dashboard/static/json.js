// Pretty JSON as elements: indented, keys, strings, numbers and literals
// in their own spans (colours in style.css); nothing is cut.

import { el } from './dom.js';

/** A <pre class="json"> of a value, indented by two spaces. */
export function jsonBlock(value) {
  const out = [];
  write(value, '', out);
  return el('pre', { class: 'json' }, out);
}

function write(v, indent, out) {
  if (v === null) {
    out.push(el('span', { class: 'j-lit' }, 'null'));
  } else if (Array.isArray(v)) {
    if (!v.length) { out.push('[]'); return; }
    out.push('[\n');
    v.forEach((x, i) => {
      out.push(indent + '  ');
      write(x, indent + '  ', out);
      out.push(i < v.length - 1 ? ',\n' : '\n');
    });
    out.push(indent + ']');
  } else if (typeof v === 'object') {
    const keys = Object.keys(v);
    if (!keys.length) { out.push('{}'); return; }
    out.push('{\n');
    keys.forEach((k, i) => {
      out.push(indent + '  ', el('span', { class: 'j-key' }, JSON.stringify(k)), ': ');
      write(v[k], indent + '  ', out);
      out.push(i < keys.length - 1 ? ',\n' : '\n');
    });
    out.push(indent + '}');
  } else if (typeof v === 'string') {
    out.push(el('span', { class: 'j-str' }, JSON.stringify(v)));
  } else if (typeof v === 'number') {
    out.push(el('span', { class: 'j-num' }, String(v)));
  } else {
    out.push(el('span', { class: 'j-lit' }, String(v)));
  }
}

/**
 * A body as the journal kept it: pretty JSON when it parses, else the
 * text as is.
 */
export function bodyBlock(text) {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try { return jsonBlock(JSON.parse(t)); } catch { /* not (whole) JSON */ }
  }
  return el('pre', { class: 'json' }, text);
}

/** A short summary of a nested value: "{…} 9 fields", "[…] 3 items". */
export function summary(v) {
  if (Array.isArray(v)) return `[…] ${v.length} item${v.length === 1 ? '' : 's'}`;
  const n = Object.keys(v).length;
  return `{…} ${n} field${n === 1 ? '' : 's'}`;
}
