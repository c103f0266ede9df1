// OpenAPI (Swagger 2.0, 3.0, 3.1) schemas as JSON Schema for Ajv, and the
// validators the corpus run judges answers and its own request bodies with.
//
// The document is copied twice, once for answers and once for requests, and
// every schema in it is translated in place:
//   - 3.0 `nullable: true` (2.0 `x-nullable`) becomes a type array with
//     "null", null added to an enum, or `anyOf: [{type: null}, …]` when the
//     schema has no type of its own (a `$ref` or an `allOf`);
//   - a 3.0 `$ref` drops its siblings (3.0 ignores them), except `nullable`;
//   - 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers;
//   - `discriminator` on a `oneOf`/`anyOf` becomes one `if`/`then` per
//     mapping value (explicit mapping, else the schema names), and the
//     property must take one of those values, as OpenAPI defines it;
//   - `readOnly` properties are not required in requests, `writeOnly` ones
//     not in answers;
//   - Swagger 2.0's `type: file` has no type.
// Every local `$ref` is made absolute (`urn:standin-corpus:doc#/…`), the
// whole document is added to Ajv under that id, and each schema is compiled
// where it stands, so references resolve with the document as the root.

import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The id the document is added to Ajv under. */
export const DOC_ID = 'urn:standin-corpus:doc';

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'];
const SUBSCHEMA_ONE = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else',
  'unevaluatedItems', 'unevaluatedProperties', 'additionalItems'];
const SUBSCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The OpenAPI major.minor of a parsed document: '2.0', '3.0' or '3.1'. */
export function specVersion(doc) {
  if (doc.swagger) return '2.0';
  const v = String(doc.openapi ?? '');
  return v.startsWith('3.1') || v.startsWith('3.2') ? '3.1' : '3.0';
}

/** Resolves a local JSON pointer (`#/a/b`, or with the DOC_ID prefix) in doc. */
export function resolvePointer(doc, ref) {
  let p = ref.startsWith(DOC_ID) ? ref.slice(DOC_ID.length) : ref;
  if (!p.startsWith('#')) return undefined;
  p = p.slice(1);
  if (p === '' || p === '/') return doc;
  let cur = doc;
  for (const raw of p.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Follows $ref chains (objects that are only a reference) in doc. */
export function deref(doc, node, seen = new Set()) {
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) return undefined;
    seen.add(node.$ref);
    node = resolvePointer(doc, node.$ref);
  }
  return node;
}

/** Escapes one JSON pointer token. */
export function ptrToken(s) {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The discriminator a `oneOf`/`anyOf` has through its alternatives: each a
 * `$ref` whose `allOf` holds a base schema with a discriminator on the same
 * property (OpenAPI's "embedded" discriminator). Returns {propertyName,
 * mapping: [[value, ref]]} or undefined. doc is the document as shipped.
 */
export function embeddedDiscriminator(doc, alts) {
  let propertyName;
  const mapping = [];
  for (const a of alts) {
    if (!a || typeof a.$ref !== 'string') return undefined;
    const local = a.$ref.startsWith(DOC_ID) ? a.$ref.slice(DOC_ID.length) : a.$ref;
    const target = deref(doc, { $ref: local });
    let found;
    for (const part of target?.allOf ?? []) {
      const base = deref(doc, part);
      if (base?.discriminator?.propertyName) found = base.discriminator;
    }
    if (!found || (propertyName && found.propertyName !== propertyName)) return undefined;
    propertyName = found.propertyName;
    const name = local.split('/').pop();
    const explicit = Object.entries(found.mapping ?? {}).find(([, r]) => r === local || r === name);
    mapping.push([explicit ? explicit[0] : name, a.$ref]);
  }
  return propertyName ? { propertyName, mapping } : undefined;
}

function translateSchema(s, ctx, seen) {
  if (!s || typeof s !== 'object' || seen.has(s)) return;
  seen.add(s);
  if (Array.isArray(s)) return;
  const v3 = ctx.version !== '3.1';
  if (typeof s.$ref === 'string') {
    if (s.$ref.startsWith('#')) s.$ref = DOC_ID + s.$ref;
    if (v3) {
      const nullable = s.nullable === true || s['x-nullable'] === true;
      for (const k of Object.keys(s)) if (k !== '$ref') delete s[k];
      if (nullable) {
        const ref = s.$ref;
        delete s.$ref;
        s.anyOf = [{ type: 'null' }, { $ref: ref }];
      }
      return;
    }
  }
  for (const k of SUBSCHEMA_MAPS) {
    if (s[k] && typeof s[k] === 'object' && !Array.isArray(s[k])) for (const sub of Object.values(s[k])) translateSchema(sub, ctx, seen);
  }
  for (const k of SUBSCHEMA_ONE) {
    if (s[k] && typeof s[k] === 'object') {
      if (Array.isArray(s[k])) s[k].forEach((x) => translateSchema(x, ctx, seen));
      else translateSchema(s[k], ctx, seen);
    }
  }
  for (const k of SUBSCHEMA_LISTS) if (Array.isArray(s[k])) s[k].forEach((x) => translateSchema(x, ctx, seen));

  if (s.type === 'file') delete s.type;
  if (v3) {
    for (const [bool, num] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
      if (s[bool] === true && typeof s[num] === 'number') { s[bool] = s[num]; delete s[num]; } else if (s[bool] === false) delete s[bool];
    }
  }
  // readOnly / writeOnly: not required on the side that never carries them.
  if (Array.isArray(s.required) && s.properties) {
    const skip = ctx.mode === 'request' ? 'readOnly' : 'writeOnly';
    s.required = s.required.filter((name) => {
      const p = s.properties[name];
      const r = p && (p.$ref ? deref(ctx.doc, p) : p);
      return !(r && r[skip] === true);
    });
    if (s.required.length === 0) delete s.required;
  }
  if (!s.discriminator && Array.isArray(s.oneOf ?? s.anyOf)) {
    const emb = embeddedDiscriminator(ctx.orig, s.oneOf ?? s.anyOf);
    if (emb) s.discriminator = { propertyName: emb.propertyName, mapping: Object.fromEntries(emb.mapping) };
  }
  if (s.discriminator && typeof s.discriminator.propertyName === 'string') {
    const alts = s.oneOf ?? s.anyOf;
    if (Array.isArray(alts)) {
      const pn = s.discriminator.propertyName;
      const mapping = Object.entries(s.discriminator.mapping ?? {}).map(([value, ref]) => {
        const abs = ref.startsWith('#') ? DOC_ID + ref : ref.startsWith(DOC_ID) ? ref : `${DOC_ID}#/components/schemas/${ptrToken(ref)}`;
        return [value, abs];
      });
      if (mapping.length === 0) {
        for (const a of alts) {
          if (a && typeof a.$ref === 'string') mapping.push([a.$ref.split('/').pop(), a.$ref]);
        }
      }
      if (mapping.length > 0) {
        const altsKeyword = s.oneOf ? 'oneOf' : 'anyOf';
        delete s.oneOf;
        delete s.anyOf;
        s.required = [...new Set([...(s.required ?? []), pn])];
        s.properties = { ...(s.properties ?? {}) };
        s.properties[pn] = { ...(s.properties[pn] ?? {}), enum: mapping.map(([value]) => value) };
        // Only an object carries the property: a value of another type
        // (GitHub's `content-directory` is an array, mapped as "array")
        // must match one of the alternatives as written.
        s.allOf = [...(s.allOf ?? []), ...mapping.map(([value, ref]) => ({
          if: { type: 'object', properties: { [pn]: { const: value } }, required: [pn] },
          then: { $ref: ref },
        })), { if: { not: { type: 'object' } }, then: { [altsKeyword]: alts } }];
      }
    }
    delete s.discriminator;
  }
  if (v3 && (s.nullable === true || s['x-nullable'] === true)) {
    if (s.type !== undefined) {
      s.type = Array.isArray(s.type) ? [...new Set([...s.type, 'null'])] : [s.type, 'null'];
      if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
    } else {
      const copy = { ...s };
      for (const k of Object.keys(s)) delete s[k];
      delete copy.nullable;
      delete copy['x-nullable'];
      s.anyOf = [{ type: 'null' }, copy];
    }
  }
}

function translateContent(content, ctx, seen) {
  if (!content || typeof content !== 'object') return;
  for (const mt of Object.values(content)) if (mt && mt.schema) translateSchema(mt.schema, ctx, seen);
}

function translateParameter(p, ctx, seen) {
  if (!p || typeof p !== 'object') return;
  if (p.schema) translateSchema(p.schema, ctx, seen);
  if (p.content) translateContent(p.content, ctx, seen);
}

function translateResponse(r, ctx, seen) {
  if (!r || typeof r !== 'object') return;
  if (r.schema) translateSchema(r.schema, ctx, seen); // 2.0
  translateContent(r.content, ctx, seen);
  for (const h of Object.values(r.headers ?? {})) translateParameter(h, ctx, seen);
}

function translateOperation(op, ctx, seen) {
  if (!op || typeof op !== 'object') return;
  for (const p of op.parameters ?? []) translateParameter(p, ctx, seen);
  if (op.requestBody) translateContent(op.requestBody.content, ctx, seen);
  for (const r of Object.values(op.responses ?? {})) translateResponse(r, ctx, seen);
  for (const cb of Object.values(op.callbacks ?? {})) for (const item of Object.values(cb ?? {})) translatePathItem(item, ctx, seen);
}

function translatePathItem(item, ctx, seen) {
  if (!item || typeof item !== 'object') return;
  for (const p of item.parameters ?? []) translateParameter(p, ctx, seen);
  for (const m of METHODS) translateOperation(item[m], ctx, seen);
}

/** Returns a translated deep copy of doc for one side ('request' or 'response'). */
export function translateDocument(doc, mode) {
  const copy = structuredClone(doc);
  const ctx = { doc: copy, orig: doc, mode, version: specVersion(doc) };
  const seen = new Set();
  // References between non-schema objects (a parameter or response `$ref`) become absolute too.
  const c = copy.components ?? {};
  for (const s of Object.values(c.schemas ?? {})) translateSchema(s, ctx, seen);
  for (const s of Object.values(copy.definitions ?? {})) translateSchema(s, ctx, seen);
  for (const p of Object.values(c.parameters ?? copy.parameters ?? {})) translateParameter(p, ctx, seen);
  for (const h of Object.values(c.headers ?? {})) translateParameter(h, ctx, seen);
  for (const rb of Object.values(c.requestBodies ?? {})) translateContent(rb?.content, ctx, seen);
  for (const r of Object.values(c.responses ?? copy.responses ?? {})) translateResponse(r, ctx, seen);
  for (const item of Object.values(c.pathItems ?? {})) translatePathItem(item, ctx, seen);
  for (const item of Object.values(copy.paths ?? {})) translatePathItem(item, ctx, seen);
  for (const item of Object.values(copy.webhooks ?? {})) translatePathItem(item, ctx, seen);
  return copy;
}

/** Formats OpenAPI names beyond JSON Schema's own: checked where they mean a range, else accepted. */
function addOpenAPIFormats(ajv) {
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  for (const f of ['float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^[A-Za-z0-9+/\r\n]*={0,2}$/);
  for (const f of ['binary', 'password']) ajv.addFormat(f, true);
}

/**
 * The validators of one document: request and answer schemas compiled on
 * demand (and kept), the document as the root of every `$ref`.
 */
export class DocValidator {
  /** @param {object} doc the parsed document, as shipped */
  constructor(doc) {
    this.version = specVersion(doc);
    this.sides = {};
    for (const mode of ['request', 'response']) {
      const tdoc = translateDocument(doc, mode);
      const opts = { strict: false, allErrors: true, validateSchema: false, logger: false, unicodeRegExp: false };
      const ajv = this.version === '3.1' ? new Ajv2020(opts) : new Ajv(opts);
      addOpenAPIFormats(ajv);
      const root = { ...tdoc, $id: DOC_ID };
      delete root.$schema;
      ajv.addSchema(root);
      this.sides[mode] = { doc: tdoc, ajv, cache: new Map() };
    }
  }

  /** The translated document of one side (its local refs are absolute). */
  doc(mode) {
    return this.sides[mode].doc;
  }

  /**
   * Compiles the schema found at a JSON pointer of the translated document
   * (e.g. `#/paths/~1pets/get/responses/200/content/application~1json/schema`).
   * Returns a function (value) => null | errors, or a string when Ajv cannot
   * compile the schema (the reason).
   */
  validator(mode, pointer) {
    const side = this.sides[mode];
    if (side.cache.has(pointer)) return side.cache.get(pointer);
    let fn;
    try {
      const validate = side.ajv.compile({ $ref: DOC_ID + pointer.split('/').map((t, i) => (i === 0 ? t : encodeURIComponent(t).replace(/%7E/g, '~'))).join('/') });
      fn = (value) => (validate(value) ? null : validate.errors.slice(0, 8).map((e) => ({
        instancePath: e.instancePath, schemaPath: e.schemaPath, message: e.message, params: e.params,
      })));
    } catch (err) {
      fn = `schema not compiled by Ajv: ${String(err.message).slice(0, 300)}`;
    }
    side.cache.set(pointer, fn);
    return fn;
  }
}
