// Schemas that admit no value: an answer can only be invalid against them,
// whatever the server sends. Written apart from the mock's own test of the
// same thing (Go, internal/contract/openapi) on purpose: the judge shares
// no code with the server it judges. The corpus report counts such answers apart
// (they are the document's, not the server's), so the test is conservative:
// it says "no value" only when that is certain, for the shapes real
// documents have:
//   - `allOf` parts whose `type`s have nothing in common (string and integer);
//   - an object that requires a property its `additionalProperties: false`
//     forbids (the property is declared only in another `allOf` part:
//     ShipEngine's `link` requires `href` that only `optional_link` lists);
//   - a required property, an `allOf` part, every `oneOf`/`anyOf`
//     alternative, or the items of a non-empty array that admit no value.
// A schema that allows null (3.0 `nullable`, a 3.1 type array with "null")
// or that refers back to itself is taken as satisfiable. With opts.empty,
// an object whose `additionalProperties: false` forbids every property its
// `allOf` parts declare counts too: only `{}` passes it, which no server
// answering what the document describes sends.

import { deref } from './schema.mjs';

const ATOMS = ['null', 'boolean', 'object', 'array', 'string', 'integer', 'fraction'];

/** The atomic types a `type` keyword allows ("number" is integer or fraction). */
function atoms(type) {
  const out = new Set();
  for (const t of Array.isArray(type) ? type : [type]) {
    if (t === 'number') { out.add('integer'); out.add('fraction'); } else out.add(t);
  }
  return out;
}

/** The schema and every `allOf` part under it, references followed. */
function closure(doc, node, out = [], seen = new Set()) {
  const s = deref(doc, node);
  if (!s || typeof s !== 'object' || seen.has(s)) return out;
  seen.add(s);
  out.push(s);
  for (const p of Array.isArray(s.allOf) ? s.allOf : []) closure(doc, p, out, seen);
  return out;
}

/**
 * Whether no JSON value is valid against the schema (node, with doc as the
 * root of its `$ref`s). False when unsure. opts.side: 'response' (the
 * default: writeOnly properties are not required) or 'request' (readOnly
 * ones are not); opts.empty: see above.
 */
export function admitsNoValue(doc, node, opts = {}, stack = new Set()) {
  // `nullable` beside a `$ref` is kept by the judge (schema.mjs): null is valid.
  if (node && (node.nullable === true || node['x-nullable'] === true)) return false;
  const s = deref(doc, node);
  if (!s || typeof s !== 'object' || Array.isArray(s) || stack.has(s)) return false;
  stack.add(s);
  try {
    const parts = closure(doc, s);
    if (parts.some((p) => p.nullable === true || p['x-nullable'] === true)) return false;
    let allowed = new Set(ATOMS);
    for (const p of parts) {
      if (p.type === undefined) continue;
      const a = atoms(p.type);
      allowed = new Set([...allowed].filter((t) => a.has(t)));
    }
    if (allowed.size === 0) return true;
    for (const p of parts) {
      if (p !== s && admitsNoValue(doc, p, opts, stack)) return true;
      for (const k of ['oneOf', 'anyOf']) {
        if (Array.isArray(p[k]) && p[k].length > 0 && p[k].every((a) => admitsNoValue(doc, a, opts, stack))) return true;
      }
    }
    if (allowed.size === 1 && allowed.has('object')) {
      const required = new Set(parts.flatMap((p) => (Array.isArray(p.required) ? p.required : [])));
      // A property this side never carries is not required of it.
      const never = opts.side === 'request' ? 'readOnly' : 'writeOnly';
      const oneSided = (name) => parts.some((p) => deref(doc, p.properties?.[name])?.[never] === true);
      for (const name of required) {
        if (oneSided(name)) continue;
        for (const p of parts) {
          if (p.additionalProperties === false && !p.patternProperties && !(p.properties && name in p.properties)) return true;
          if (p.properties && name in p.properties && admitsNoValue(doc, p.properties[name], opts, stack)) return true;
        }
      }
    }
    if (opts.empty && allowed.size === 1 && allowed.has('object')) {
      const declared = parts.some((p) => p.properties && Object.keys(p.properties).length > 0);
      if (declared && parts.some((p) => p.additionalProperties === false && !p.patternProperties && !(p.properties && Object.keys(p.properties).length > 0))) return true;
    }
    if (allowed.size === 1 && allowed.has('array')) {
      for (const p of parts) if ((p.minItems ?? 0) > 0 && p.items && admitsNoValue(doc, p.items, opts, stack)) return true;
    }
    return false;
  } finally {
    stack.delete(s);
  }
}
