// What the corpus run reads from an OpenAPI document: its operations, the
// collections among them (a path and its item path with one trailing
// parameter), the requests it sends (parameters, credentials, bodies) and
// the judgement of an answer against the document.

import { deref, ptrToken, resolvePointer } from './schema.mjs';
import { generate } from './generate.mjs';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** Follows a JSON pointer through doc, jumping through $ref objects; returns the final pointer. */
export function locate(doc, pointer) {
  let cur = doc;
  let at = '#';
  const tokens = pointer.replace(/^#/, '').split('/').slice(1);
  const follow = () => {
    let guard = 0;
    while (cur && typeof cur === 'object' && typeof cur.$ref === 'string' && cur.$ref.includes('#') && guard++ < 20) {
      at = cur.$ref.slice(cur.$ref.indexOf('#'));
      cur = resolvePointer(doc, at);
    }
  };
  for (const t of tokens) {
    follow();
    const key = t.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = cur[key];
    at += '/' + t;
  }
  follow();
  return cur === undefined ? undefined : at;
}

/** Every operation of the document, parameters merged (path item, then operation) and dereferenced. */
export function operations(doc) {
  const out = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(doc, rawItem) ?? {};
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      const params = new Map();
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(doc, raw);
        if (p && p.name) params.set(`${p.in}:${p.name}`, p);
      }
      out.push({
        method, path, op, id: op.operationId ?? `${method.toUpperCase()} ${path}`,
        pointer: `#/paths/${ptrToken(path)}/${method}`,
        params: [...params.values()],
      });
    }
  }
  return out;
}

/** The path parameter names of a templated path, in order. */
export function pathParams(path) {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/**
 * Collections: an item path `P/{param}` answering GET, whose parent `P`
 * lists (GET) or creates (POST). Each gives its list, create, get, update
 * (PUT, else PATCH) and delete operations.
 */
export function collections(ops) {
  const byKey = new Map(ops.map((o) => [`${o.method} ${o.path}`, o]));
  const out = [];
  for (const o of ops) {
    if (o.method !== 'get') continue;
    const m = /^(.*)\/\{([^}/]+)\}$/.exec(o.path);
    if (!m || m[1] === '') continue;
    const [, parent, param] = m;
    const list = byKey.get(`get ${parent}`);
    const create = byKey.get(`post ${parent}`);
    if (!list && !create) continue;
    out.push({
      name: o.path, parent, param, get: o, list, create,
      update: byKey.get(`put ${o.path}`) ?? byKey.get(`patch ${o.path}`),
      delete: byKey.get(`delete ${o.path}`),
    });
  }
  return out;
}

function exampleOf(doc, p) {
  if (p.example !== undefined) return p.example;
  if (p.examples && typeof p.examples === 'object') {
    for (const e of Object.values(p.examples)) {
      const ex = deref(doc, e);
      if (ex && ex.value !== undefined) return ex.value;
    }
  }
  const s = deref(doc, p.schema ?? (p.type ? p : undefined));
  if (s && s.example !== undefined) return s.example;
  return undefined;
}

/** A valid value for a parameter: its example, else one generated from its schema. */
export function paramValue(doc, p) {
  const s = p.schema ?? (p.type ? { ...p, in: undefined, name: undefined, required: undefined } : {});
  const ex = exampleOf(doc, p);
  if (ex !== undefined && ex !== null && typeof ex !== 'object') return ex;
  return generate(doc, s, { name: p.name });
}

/** A value for an id that no record has, inside the parameter's type and bounds. */
export function unknownId(doc, p) {
  const s = deref(doc, p.schema ?? p) ?? {};
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'integer' || t === 'number') return typeof s.maximum === 'number' ? s.maximum : 987654321;
  if (s.format === 'uuid') return '0ddba11a-0000-4000-8000-00000000dead';
  if (typeof s.pattern === 'string' || Array.isArray(s.enum)) return paramValue(doc, p);
  let v = 'standin-corpus-unknown-7f3a';
  if (typeof s.maxLength === 'number' && v.length > s.maxLength) v = v.slice(0, s.maxLength);
  return v;
}

function serializeParam(name, value, style, explode) {
  if (Array.isArray(value)) return explode ? value.map((v) => [name, String(v)]) : [[name, value.join(',')]];
  if (value && typeof value === 'object') {
    if (style === 'deepObject') return Object.entries(value).map(([k, v]) => [`${name}[${k}]`, String(v)]);
    return explode ? Object.entries(value).map(([k, v]) => [k, String(v)]) : [[name, Object.entries(value).flat().join(',')]];
  }
  return [[name, String(value)]];
}

const TOKEN = 'standin-admin';

/** Credentials the operation's security asks for (the first alternative; none when an alternative is empty). */
export function credentials(doc, op) {
  const reqs = op.op.security ?? doc.security ?? [];
  const out = { headers: {}, query: [], cookies: [] };
  if (reqs.length === 0 || reqs.some((r) => Object.keys(r).length === 0)) return out;
  const schemes = doc.components?.securitySchemes ?? doc.securityDefinitions ?? {};
  for (const name of Object.keys(reqs[0])) {
    const sc = deref(doc, schemes[name]);
    if (!sc) continue;
    if (sc.type === 'apiKey') {
      if (sc.in === 'header') out.headers[sc.name] = TOKEN;
      else if (sc.in === 'query') out.query.push([sc.name, TOKEN]);
      else if (sc.in === 'cookie') out.cookies.push(`${sc.name}=${TOKEN}`);
    } else if (sc.type === 'http' && String(sc.scheme).toLowerCase() === 'basic' || sc.type === 'basic') {
      out.headers.Authorization = 'Basic ' + Buffer.from(`${TOKEN}:${TOKEN}`).toString('base64');
    } else {
      out.headers.Authorization = `Bearer ${TOKEN}`;
    }
  }
  return out;
}

const MEDIA_PREFERENCE = [
  (m) => m === 'application/json', (m) => /\+json$/.test(m) || /\/json/.test(m), (m) => m === '*/*' || m === 'application/*',
  (m) => m === 'application/x-www-form-urlencoded', (m) => m === 'multipart/form-data', (m) => m.startsWith('text/plain'),
  (m) => /xml/.test(m), () => true,
];

/** The request body the operation takes: {mediaType, schema pointer, examples, required} or undefined. */
export function bodySpec(doc, o) {
  if (o.op.requestBody) {
    const ptr = locate(doc, `${o.pointer}/requestBody`);
    const rb = ptr && resolvePointer(doc, ptr);
    if (!rb || !rb.content) return undefined;
    const types = Object.keys(rb.content);
    let mediaType;
    for (const pref of MEDIA_PREFERENCE) { mediaType = types.find((t) => pref(t.toLowerCase())); if (mediaType) break; }
    const mt = rb.content[mediaType] ?? {};
    const examples = [];
    if (mt.example !== undefined) examples.push(mt.example);
    for (const e of Object.values(mt.examples ?? {})) { const ex = deref(doc, e); if (ex && ex.value !== undefined) examples.push(ex.value); }
    const schemaPtr = mt.schema ? `${ptr}/content/${ptrToken(mediaType)}/schema` : undefined;
    return { mediaType, schema: mt.schema, schemaPtr, examples, required: rb.required === true };
  }
  const bodyParam = o.params.find((p) => p.in === 'body');
  if (bodyParam) {
    const idx = (o.op.parameters ?? []).findIndex((p) => deref(doc, p) === bodyParam);
    const consumes = o.op.consumes ?? doc.consumes ?? ['application/json'];
    const mediaType = consumes.find((c) => /json/.test(c)) ?? consumes[0];
    const schemaPtr = idx >= 0 ? `${locate(doc, `${o.pointer}/parameters/${idx}`)}/schema` : undefined;
    const examples = bodyParam['x-examples'] ? Object.values(bodyParam['x-examples']) : [];
    return { mediaType, schema: bodyParam.schema, schemaPtr, examples, required: bodyParam.required === true };
  }
  const form = o.params.filter((p) => p.in === 'formData');
  if (form.length) {
    const consumes = o.op.consumes ?? doc.consumes ?? [];
    const mediaType = form.some((p) => p.type === 'file') || consumes.includes('multipart/form-data') ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
    const schema = { type: 'object', properties: {}, required: form.filter((p) => p.required).map((p) => p.name) };
    for (const p of form) schema.properties[p.name] = p.type === 'file' ? { type: 'string', format: 'binary' } : { ...p, in: undefined, name: undefined, required: undefined };
    return { mediaType, schema, schemaPtr: undefined, examples: [], required: schema.required.length > 0 };
  }
  return undefined;
}

/** Encodes a body value for a media type: {body, contentType} for fetch. */
export function encodeBody(mediaType, value) {
  const mt = (mediaType ?? 'application/json').toLowerCase();
  if (mt === 'multipart/form-data') {
    const fd = new FormData();
    for (const [k, v] of Object.entries(value && typeof value === 'object' ? value : { value })) {
      if (v === undefined) continue;
      if (typeof v === 'string' && (k.toLowerCase().includes('file') || k.toLowerCase().includes('image'))) fd.append(k, new Blob([v], { type: 'application/octet-stream' }), `${k}.bin`);
      else fd.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    return { body: fd, contentType: undefined };
  }
  if (mt === 'application/x-www-form-urlencoded') {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(value && typeof value === 'object' ? value : { value })) {
      if (v !== undefined) sp.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    return { body: sp.toString(), contentType: mt };
  }
  if (/json/.test(mt) || mt === '*/*' || mt === 'application/*') return { body: JSON.stringify(value), contentType: mt.includes('*') ? 'application/json' : mediaType };
  if (/xml/.test(mt)) {
    const toXml = (name, v) => (v && typeof v === 'object'
      ? `<${name}>${Array.isArray(v) ? v.map((x) => toXml('item', x)).join('') : Object.entries(v).map(([k, x]) => toXml(k, x)).join('')}</${name}>`
      : `<${name}>${String(v ?? '')}</${name}>`);
    return { body: `<?xml version="1.0"?>${toXml('body', value)}`, contentType: mediaType };
  }
  return { body: typeof value === 'string' ? value : JSON.stringify(value), contentType: mediaType };
}

/**
 * The request of an operation: path values (given ones first, else
 * examples or generated), required query, header and cookie parameters,
 * credentials, and a body when given.
 */
export function buildRequest(doc, o, { pathValues = {}, body, mediaType } = {}) {
  let url = o.path;
  for (const name of pathParams(o.path)) {
    const p = o.params.find((x) => x.in === 'path' && x.name === name) ?? { name, schema: { type: 'string' } };
    const v = pathValues[name] !== undefined ? pathValues[name] : paramValue(doc, p);
    url = url.replace(`{${name}}`, encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v)));
  }
  const creds = credentials(doc, o);
  const query = [...creds.query];
  const headers = { ...creds.headers };
  const cookies = [...creds.cookies];
  for (const p of o.params) {
    if (!p.required || p.in === 'path' || p.in === 'body' || p.in === 'formData') continue;
    const v = paramValue(doc, p);
    if (v === undefined) continue;
    if (p.in === 'query') query.push(...serializeParam(p.name, v, p.style ?? 'form', p.explode ?? (p.style ?? 'form') === 'form'));
    else if (p.in === 'header') { if (!/^(content-type|accept|authorization)$/i.test(p.name)) headers[p.name] = Array.isArray(v) ? v.join(',') : String(v); }
    else if (p.in === 'cookie') cookies.push(`${p.name}=${encodeURIComponent(String(v))}`);
  }
  if (cookies.length) headers.Cookie = cookies.join('; ');
  if (query.length) url += '?' + new URLSearchParams(query).toString();
  const req = { method: o.method.toUpperCase(), url, headers, bodyValue: body };
  if (body !== undefined) {
    const enc = encodeBody(mediaType, body);
    req.body = enc.body;
    if (enc.contentType) req.headers['Content-Type'] = enc.contentType;
    req.mediaType = mediaType;
  }
  return req;
}

function mediaMatch(types, ct) {
  const t = ct.toLowerCase();
  return types.find((k) => k.toLowerCase().split(';')[0].trim() === t)
    ?? types.find((k) => { const [a, b] = k.toLowerCase().split(';')[0].trim().split('/'); return b === '*' && t.startsWith(a + '/'); })
    ?? types.find((k) => k.trim() === '*/*');
}

/**
 * Judges one answer against the document: the status must be documented
 * (or `default`, or a range), the media type one of that response's, and a
 * JSON body valid against its schema (Ajv, over the translated document).
 * Returns {valid, checked, reason?, errors?}.
 */
export function judge(doc, validator, o, answer) {
  const responses = o.op.responses ?? {};
  if (Object.keys(responses).length === 0) return { valid: true, checked: false, reason: 'the operation documents no responses' };
  const st = String(answer.status);
  const key = responses[st] ? st : responses[`${st[0]}XX`] ? `${st[0]}XX` : responses[`${st[0]}xx`] ? `${st[0]}xx` : responses.default ? 'default' : undefined;
  if (!key) return { valid: false, checked: true, reason: `status ${st} not documented (documented: ${Object.keys(responses).join(', ')})` };
  const rptr = locate(doc, `${o.pointer}/responses/${ptrToken(key)}`);
  const r = rptr && resolvePointer(doc, rptr);
  if (!r) return { valid: false, checked: false, reason: `response ${key} cannot be resolved in the document` };
  const ct = (answer.contentType ?? '').split(';')[0].trim();
  const empty = answer.text === '' || answer.text === undefined;
  let schemaPtr;
  if (validator.version === '2.0') {
    if (!r.schema) return { valid: true, checked: false, reason: 'no schema documented' };
    const produces = o.op.produces ?? doc.produces ?? ['application/json'];
    if (!empty && ct && !mediaMatch(produces, ct)) return { valid: false, checked: true, reason: `media type ${ct} not produced (documented: ${produces.join(', ')})` };
    schemaPtr = `${rptr}/schema`;
  } else {
    const types = Object.keys(r.content ?? {});
    if (types.length === 0) return { valid: true, checked: false, reason: 'no content documented' };
    if (empty) {
      if (answer.status === 204 || answer.status === 304 || o.method === 'head') return { valid: true, checked: false, reason: 'no body' };
      return { valid: false, checked: true, reason: `empty body where the document gives ${types.join(', ')}` };
    }
    const mt = mediaMatch(types, ct);
    if (!mt) return { valid: false, checked: true, reason: `media type ${ct || '(none)'} not documented for ${key} (documented: ${types.join(', ')})` };
    if (!r.content[mt].schema) return { valid: true, checked: false, reason: 'no schema documented' };
    schemaPtr = `${rptr}/content/${ptrToken(mt)}/schema`;
  }
  if (empty) return { valid: answer.status === 204 || answer.status === 304, checked: true, reason: 'empty body' };
  if (!/json/.test(ct) && !/json/.test(schemaPtr.split('/content/')[1] ?? 'json')) return { valid: true, checked: false, reason: `${ct} body not checked` };
  let value;
  try { value = JSON.parse(answer.text); } catch (err) {
    if (!/json/.test(ct)) return { valid: true, checked: false, reason: `${ct} body not checked` };
    return { valid: false, checked: true, reason: `body is not JSON: ${String(err.message).slice(0, 120)}` };
  }
  const v = validator.validator('response', schemaPtr);
  if (typeof v === 'string') return { valid: true, checked: false, reason: v };
  let errors;
  try { errors = v(value); } catch (err) { return { valid: true, checked: false, reason: `Ajv could not validate: ${String(err.message).slice(0, 200)}` }; }
  return errors ? { valid: false, checked: true, reason: 'body not valid against the schema', errors, schema: schemaPtr } : { valid: true, checked: true };
}
