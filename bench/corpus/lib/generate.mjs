// Values made from OpenAPI schemas: request bodies, parameters, ids. The same
// schema gives the same value on every run (no randomness), so two servers
// swept by the corpus run see the same requests.
//
// Examples come first where their JSON type fits the schema; then const,
// enum, default; then a value of the type that meets the format, bounds,
// lengths and (simple) patterns. The result is checked with Ajv by the
// caller: a body this generator cannot make valid is reported, not hidden.

import { deref, embeddedDiscriminator } from './schema.mjs';

const MAX_DEPTH = 6;

function typeOf(s) {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') ?? 'null';
  if (s.type) return s.type;
  if (s.properties || s.additionalProperties) return 'object';
  if (s.items) return 'array';
  return undefined;
}

function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

function fits(value, s) {
  const t = typeOf(s);
  if (value === undefined) return false;
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return false;
  if (!t) return true;
  const jt = jsonType(value);
  return jt === t || (t === 'number' && jt === 'integer');
}

/** A string that matches a simple regular expression (classes, groups, alternation, quantifiers). */
export function fromPattern(pattern, minLength = 0) {
  let i = 0;
  const src = pattern;
  function parseAlt() {
    const branches = [parseSeq()];
    while (src[i] === '|') { i++; branches.push(parseSeq()); }
    return branches[0];
  }
  function parseClass() {
    // i at char after '['
    let negate = false;
    if (src[i] === '^') { negate = true; i++; }
    const chars = [];
    let first = true;
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      let c = src[i++];
      if (c === '\\') {
        const e = src[i++];
        if (e === 'd') { chars.push('1'); continue; }
        if (e === 'w') { chars.push('a'); continue; }
        if (e === 's') { chars.push(' '); continue; }
        c = e === 'n' ? '\n' : e === 't' ? '\t' : e;
      }
      if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        i++;
        let hi = src[i++];
        if (hi === '\\') hi = src[i++];
        chars.push(c <= 'a' && hi >= 'a' ? 'a' : c);
        continue;
      }
      chars.push(c);
    }
    i++; // ]
    if (negate) {
      for (const cand of ['a', 'x', '1', '_', 'Z']) if (!chars.includes(cand)) return cand;
      return '~';
    }
    return chars[0] ?? 'a';
  }
  function parseAtom() {
    const c = src[i];
    if (c === '(') {
      i++;
      if (src[i] === '?') { i++; if (src[i] === ':' || src[i] === '=' || src[i] === '!') i++; else if (src[i] === '<') { while (src[i] !== '>' && i < src.length) i++; i++; } }
      const inner = parseAlt();
      while (src[i] !== ')' && i < src.length) i++;
      i++;
      return inner;
    }
    if (c === '[') { i++; return parseClass(); }
    if (c === '\\') {
      i++;
      const e = src[i++];
      if (e === 'd') return '1';
      if (e === 'w') return 'a';
      if (e === 's') return ' ';
      if (e === 'b' || e === 'B') return '';
      if (e === 'u') { const hex = src.slice(i, i + 4); i += 4; return String.fromCharCode(parseInt(hex, 16)); }
      return e;
    }
    if (c === '.') { i++; return 'a'; }
    if (c === '^' || c === '$') { i++; return ''; }
    i++;
    return c;
  }
  function parseSeq() {
    let out = '';
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const atom = parseAtom();
      let min = 1;
      const q = src[i];
      if (q === '*') { min = 0; i++; } else if (q === '+') { min = 1; i++; } else if (q === '?') { min = 0; i++; } else if (q === '{') {
        const close = src.indexOf('}', i);
        const m = /^\{(\d*)(,(\d*))?\}$/.exec(src.slice(i, close + 1));
        if (m) { min = Number(m[1] || 0); i = close + 1; }
      }
      if (src[i] === '?' || src[i] === '+') i++; // lazy / possessive
      out += atom.repeat(min);
      if (min === 0 && q === '*' && out.length < minLength) out += atom;
    }
    return out;
  }
  try {
    const s = parseAlt();
    return s;
  } catch {
    return undefined;
  }
}

function stringFor(s, name) {
  const n = String(name ?? '').toLowerCase();
  const byFormat = {
    'date-time': '2024-05-06T07:08:09Z', date: '2024-05-06', time: '07:08:09Z', email: 'corpus@example.com',
    'idn-email': 'corpus@example.com', uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', uri: 'https://example.com/corpus',
    url: 'https://example.com/corpus', 'uri-reference': '/corpus', iri: 'https://example.com/corpus', hostname: 'example.com',
    ipv4: '192.0.2.1', ipv6: '2001:db8::1', byte: 'Y29ycHVz', binary: 'corpus', password: 'corpus-secret',
    duration: 'P1D', 'json-pointer': '/corpus', regex: '^corpus$',
  };
  let v = byFormat[s.format];
  if (v === undefined && typeof s.pattern === 'string') {
    v = fromPattern(s.pattern, s.minLength ?? 0);
    if (v !== undefined) {
      try { if (!new RegExp(s.pattern, 'u').test(v)) v = undefined; } catch { v = undefined; }
    }
  }
  if (v === undefined) {
    if (n.includes('email')) v = 'corpus@example.com';
    else if (n.endsWith('url') || n.endsWith('uri')) v = 'https://example.com/corpus';
    else v = `corpus-${n.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'value'}`;
  }
  if (s.maxLength !== undefined && v.length > s.maxLength) v = v.slice(0, s.maxLength);
  if (s.minLength !== undefined && v.length < s.minLength) v = v + 'x'.repeat(s.minLength - v.length);
  return v;
}

function numberFor(s, integer) {
  let lo = typeof s.minimum === 'number' ? s.minimum : undefined;
  let hi = typeof s.maximum === 'number' ? s.maximum : undefined;
  if (typeof s.exclusiveMinimum === 'number') lo = s.exclusiveMinimum + (integer ? 1 : 0.5);
  else if (s.exclusiveMinimum === true && lo !== undefined) lo += integer ? 1 : 0.5;
  if (typeof s.exclusiveMaximum === 'number') hi = s.exclusiveMaximum - (integer ? 1 : 0.5);
  else if (s.exclusiveMaximum === true && hi !== undefined) hi -= integer ? 1 : 0.5;
  let v = lo !== undefined ? Math.max(lo, Math.min(1, hi ?? 1)) : Math.min(1, hi ?? 1);
  if (lo !== undefined && v < lo) v = lo;
  if (integer) v = Math.ceil(v);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) v = Math.ceil(v / s.multipleOf) * s.multipleOf;
  return v;
}

/**
 * Generates a value for schema (of the document as shipped: local refs).
 *
 * @param {object} doc the document (for $ref)
 * @param {object} schema
 * @param {{side?: 'request'|'response', name?: string, depth?: number, optional?: boolean, variant?: number}} [o]
 *   side: readOnly properties are left out of requests; optional: include
 *   optional properties (down to depth 2) besides the required ones;
 *   variant: which alternative of each oneOf/anyOf (modulo their number).
 */
export function generate(doc, schema, o = {}) {
  const depth = o.depth ?? 0;
  const side = o.side ?? 'request';
  const s = deref(doc, schema) ?? {};
  if (depth > MAX_DEPTH) return undefined;
  if (typeof s !== 'object') return undefined;
  const ex = s.example !== undefined ? s.example : Array.isArray(s.examples) ? s.examples[0] : undefined;
  if (ex !== undefined && fits(ex, s) && typeOf(s) !== 'object' && typeOf(s) !== 'array') return structuredClone(ex);
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum.find((e) => e !== null) ?? s.enum[0];
  if (s.default !== undefined && fits(s.default, s) && typeOf(s) !== 'object') return structuredClone(s.default);
  const next = { ...o, depth: depth + 1, optionalHere: false };
  if (Array.isArray(s.allOf) && s.allOf.length) {
    let out;
    for (const part of s.allOf) {
      const v = generate(doc, part, { ...o, depth: depth + 1 });
      if (v && typeof v === 'object' && !Array.isArray(v)) out = { ...(out ?? {}), ...v };
      else if (out === undefined) out = v;
    }
    if (s.properties && out && typeof out === 'object') out = { ...out, ...generate(doc, { ...s, allOf: undefined }, o) };
    return out;
  }
  const alts = s.oneOf ?? s.anyOf;
  if (Array.isArray(alts) && alts.length) {
    // o.variant picks another alternative (the caller tries a few); the chosen
    // one carries its optional properties too, which tell alternatives apart.
    const usable = alts.map((a, i) => [a, i]).filter(([a]) => { const r = deref(doc, a); return r && r.type !== 'null'; });
    const idx = usable.length ? usable[(o.variant ?? 0) % usable.length][1] : 0;
    let v = generate(doc, alts[idx], { ...next, optionalHere: true });
    if (s.properties && v && typeof v === 'object' && !Array.isArray(v)) v = { ...generate(doc, { ...s, oneOf: undefined, anyOf: undefined }, o), ...v };
    const d = s.discriminator;
    const ref = alts[idx].$ref;
    if (d && v && typeof v === 'object' && !Array.isArray(v)) {
      const mapped = Object.entries(d.mapping ?? {}).find(([, r]) => r === ref || r === ref?.split('/').pop());
      if (mapped) v[d.propertyName] = mapped[0];
      else if (ref) v[d.propertyName] = ref.split('/').pop();
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const emb = embeddedDiscriminator(doc, alts);
      const mapped = emb?.mapping.find(([, r]) => r === ref);
      if (mapped) v[emb.propertyName] = mapped[0];
    }
    return v;
  }
  switch (typeOf(s)) {
    case 'object': {
      const out = {};
      const required = new Set(s.required ?? []);
      for (const [name, ps] of Object.entries(s.properties ?? {})) {
        const p = deref(doc, ps) ?? {};
        if (side === 'request' && p.readOnly) continue;
        if (side === 'response' && p.writeOnly) continue;
        if (!required.has(name) && !(o.optional && depth < 2) && !o.optionalHere) continue;
        const v = generate(doc, ps, { ...next, name });
        if (v !== undefined) out[name] = v;
      }
      // A required name the schema does not describe (it happens): a value of additionalProperties, else a string.
      for (const name of required) {
        if (name in out || (s.properties && name in s.properties)) continue;
        const extra = s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : { type: 'string' };
        const v = generate(doc, extra, { ...next, name });
        if (v !== undefined) out[name] = v;
      }
      if (Object.keys(out).length === 0 && ex !== undefined && fits(ex, s)) return structuredClone(ex);
      return out;
    }
    case 'array': {
      if (ex !== undefined && fits(ex, s) && depth > 0) return structuredClone(ex);
      if (s.maxItems === 0) return [];
      const n = Math.max(1, s.minItems ?? 1);
      const out = [];
      for (let k = 0; k < n; k++) {
        const v = generate(doc, s.items ?? {}, { ...next, name: o.name });
        if (v === undefined) break;
        out.push(s.uniqueItems && typeof v === 'string' && k > 0 ? `${v}${k}` : v);
      }
      return out;
    }
    case 'string': return stringFor(s, o.name);
    case 'integer': return numberFor(s, true);
    case 'number': return numberFor(s, false);
    case 'boolean': return true;
    case 'null': return null;
    default:
      if (ex !== undefined) return structuredClone(ex);
      return stringFor(s, o.name);
  }
}

/**
 * A value of the schema's type that the schema refuses, for a "bad body":
 * the first typed property of the object gets a value of another type.
 * Returns undefined when no such change is found.
 */
export function spoil(doc, schema, body) {
  const s = deref(doc, schema) ?? {};
  const wrong = (ps) => {
    const p = deref(doc, ps) ?? {};
    const t = typeOf(p);
    if (t === 'string') return 12345;
    if (t === 'integer' || t === 'number') return 'not-a-number';
    if (t === 'boolean') return 'not-a-boolean';
    if (t === 'array') return 'not-an-array';
    if (t === 'object') return 'not-an-object';
    return undefined;
  };
  const candidates = [];
  const collect = (sch, depth) => {
    const r = deref(doc, sch) ?? {};
    if (depth > 3) return;
    for (const part of r.allOf ?? []) collect(part, depth + 1);
    for (const [name, ps] of Object.entries(r.properties ?? {})) candidates.push([name, ps]);
  };
  collect(s, 0);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const required = candidates.filter(([n]) => n in body);
    for (const [name, ps] of [...required, ...candidates]) {
      const w = wrong(ps);
      if (w !== undefined) return { ...body, [name]: w };
    }
  }
  const t = typeOf(s);
  if (t === 'object' || (!t && candidates.length)) return ['not', 'an', 'object'];
  if (t === 'array') return { not: 'an array' };
  return undefined;
}
