// The REST sweep of one document against one running server: every
// collection listed, read, read with an unknown id, created, sent a bad
// body, updated, deleted, and read back after each write; every other
// operation once with valid parameters. Each answer is judged against the
// document (openapi.mjs judge) and kept in the tally.

import { causeOf } from './causes.mjs';
import { deref } from './schema.mjs';
import { generate, spoil } from './generate.mjs';
import { bodySpec, buildRequest, collections, judge, operations, paramValue, pathParams, unknownId } from './openapi.mjs';

const TIMEOUT_MS = 30_000;
const BODY_KEEP = 2000;

/** Sends one request to base + req.url; returns {status, contentType, text, headers} or {error}. */
export async function send(base, req) {
  const t0 = performance.now();
  try {
    const res = await fetch(base + req.url, {
      method: req.method, headers: { Accept: 'application/json, */*;q=0.5', ...req.headers }, body: req.body,
      redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', location: res.headers.get('location'), text, ms: performance.now() - t0 };
  } catch (err) {
    return { error: String(err.cause?.message ?? err.message), ms: performance.now() - t0 };
  }
}

/** The record of an answer: the body, or its `data`/`item`/`result` object when the body wraps it. */
function unwrap(obj) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return obj;
  for (const k of ['data', 'item', 'result']) {
    if (obj.id === undefined && obj[k] && typeof obj[k] === 'object' && !Array.isArray(obj[k])) return obj[k];
  }
  return obj;
}

/**
 * The last word of a parameter's name (`team_slug` → `slug`, `environmentName`
 * → `name`): the property a client reads the parameter's value from when no
 * property has the parameter's own name.
 */
export function lastWord(param) {
  const words = param.split(/[_-]|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  return words.length > 1 ? words[words.length - 1].toLowerCase() : undefined;
}

/** Properties that name a user or an organization in paths (`{username}`, `{org}`: GitHub's `login`). */
const SYNONYMS = { username: ['login'], user: ['login'], org: ['login'], owner: ['login'] };

export function idFrom(value, param) {
  const obj = unwrap(value);
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const names = [param, lastWord(param), ...(SYNONYMS[lastWord(param) ?? param] ?? []), 'id', param.replace(/(_id|Id|ID|_uuid|Uuid)$/, ''), 'uuid', 'key', 'name', 'slug'].filter(Boolean);
  for (const n of names) {
    const v = obj[n];
    if (typeof v === 'string' || typeof v === 'number') return v;
  }
  return undefined;
}

/**
 * Whether a record read back is the one with id `want`: its id property
 * (idFrom) says so, or, when it has none of those names, one of its own
 * scalars holds the id (a create that named its record only in the
 * Location header: Directus' collections are keyed by `collection`).
 */
export function isRecord(value, param, want) {
  const id = idFrom(value, param);
  if (id !== undefined) return sameId(id, want);
  const obj = unwrap(value);
  return want !== undefined && !!obj && typeof obj === 'object' && !Array.isArray(obj) &&
    Object.values(obj).some((v) => (typeof v === 'string' || typeof v === 'number') && String(v) === String(want));
}

/** The top-level properties of a record that hold `id` (its key, whatever its name). */
export function keysHolding(record, id) {
  const obj = unwrap(record);
  if (id === undefined || !obj || typeof obj !== 'object' || Array.isArray(obj)) return [];
  return Object.entries(obj).filter(([, v]) => (typeof v === 'string' || typeof v === 'number') && String(v) === String(id)).map(([k]) => k);
}

/** The first record of a list answer: in the array, or in the one array of an envelope, one object field down at most (`{result: {licensees: [...]}}`). */
export function firstRecord(value, depth = 0) {
  if (Array.isArray(value)) return value.find((x) => x && typeof x === 'object' && !Array.isArray(x));
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) return firstRecord(v);
    if (depth === 0 && !Object.values(value).some(Array.isArray)) {
      for (const v of Object.values(value)) {
        if (v && typeof v === 'object' && !Array.isArray(v)) { const r = firstRecord(v, 1); if (r) return r; }
      }
    }
  }
  return undefined;
}

function parse(text) {
  try { return JSON.parse(text); } catch { return undefined; }
}

/** The changes of a write the read-back must show: top-level scalars sent. */
function sentScalars(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null && typeof v !== 'object'));
}

function shows(value, sent) {
  const readBack = unwrap(value);
  if (!readBack || typeof readBack !== 'object') return false;
  // A scalar sent that the record holds as an object (an issue's `milestone: 1`
  // read back as the milestone, a pull's `head` as the branch) is a reference
  // expanded, and one it holds as another type (Directus' folder `parent`, an
  // integer in the request and a string in the answer) one the document's two
  // schemas disagree on: neither can be compared.
  return Object.entries(sent).every(([k, v]) => !(k in readBack) || readBack[k] === v || (readBack[k] !== null && typeof readBack[k] !== typeof v));
}

const ok = (answer) => answer.status >= 200 && answer.status < 300;
/** A read that answered success with no content (204): a check, which shows no values. */
export const readsNoBody = (answer) => answer.status === 204;
const sameId = (a, b) => a !== undefined && b !== undefined && String(a) === String(b);

/**
 * Sweeps one document.
 * @param {object} p
 * @param {object} p.doc the parsed document
 * @param {import('./schema.mjs').DocValidator} p.validator
 * @param {string} p.base the server's URL plus the API's base path
 * @param {{collections?: number, others?: number}} [p.sample] at most this many (quick mode)
 * @returns {Promise<object>} the tally: answers, valid, invalid, unchecked, writes, persisted, unknown ids, invalid list
 */
export async function sweepRest({ doc, validator, base, sample }) {
  const ops = operations(doc);
  const tally = {
    operations: ops.length, answers: 0, valid: 0, invalid: 0, unchecked: 0, transportErrors: 0,
    writes: 0, persisted: 0, writesUnverifiable: 0, unknownIds: 0, unknown404: 0, badBodies: 0, badRefused: 0,
    bodiesInvalid: 0, invalidAnswers: [], notPersisted: [], persistedWrites: [], harness: [],
  };
  const knownIds = new Map(); // path parameter name → an id seen in an answer
  const seen = new Set(); // `param=value` for every path value an answer showed

  const bodyFor = (o, opts = {}) => {
    const spec = bodySpec(doc, o);
    if (!spec) return undefined;
    const check = spec.schemaPtr ? validator.validator('request', spec.schemaPtr) : undefined;
    const ok = (v) => (typeof check === 'function' ? check(v) === null : true);
    const candidates = [...spec.examples];
    if (spec.schema) {
      for (let variant = 0; variant < 4; variant++) {
        candidates.push(generate(doc, spec.schema, { side: 'request', optional: true, variant }));
        candidates.push(generate(doc, spec.schema, { side: 'request', optional: false, variant }));
      }
    }
    let value = candidates.find((c) => c !== undefined && ok(c));
    if (value === undefined) {
      value = candidates.find((c) => c !== undefined) ?? {};
      tally.bodiesInvalid++;
      tally.harness.push({ op: `${o.method.toUpperCase()} ${o.path}`, note: 'no request body valid against the request schema could be made', errors: typeof check === 'function' ? check(value) : check });
    }
    if (opts.spoil) {
      const bad = spoil(doc, spec.schema ?? {}, value);
      if (bad === undefined || (typeof check === 'function' && check(bad) === null)) return { spec, skip: true };
      return { spec, value: bad };
    }
    return { spec, value };
  };

  // A body whose value is an object, and a setter that gives its property k
  // the value v when the request schema still accepts the body (true if set).
  const editable = (body) => {
    if (!body || !body.value || typeof body.value !== 'object' || Array.isArray(body.value)) return undefined;
    const check = body.spec.schemaPtr ? validator.validator('request', body.spec.schemaPtr) : undefined;
    return (k, v) => {
      const tryValue = { ...body.value, [k]: v };
      if (typeof check === 'function' && check(tryValue) !== null) return false;
      body.value = tryValue;
      return true;
    };
  };

  // Sets a string property of a body (not the key) to a value of ours when
  // the request schema still accepts it; returns {property: value}.
  let marks = 0;
  // Properties the collection's records hold as strings come first (`like`:
  // a record read before); one the record holds as another type (a
  // codespace's `machine`, an object) is never marked: it cannot show the
  // value sent.
  const mark = (body, prefix, keys, like) => {
    const set = editable(body);
    if (!set) return undefined;
    const value = `${prefix}-${++marks}`;
    const rec = unwrap(like);
    const held = (k) => (rec && typeof rec === 'object' && typeof rec[k] === 'string' ? 0 : rec && typeof rec === 'object' && k in rec ? 2 : 1);
    for (const k of Object.keys(body.value).sort((a, b) => held(a) - held(b))) {
      if (typeof body.value[k] !== 'string' || keys.includes(k) || held(k) === 2) continue;
      if (set(k, value)) return { [k]: value };
    }
    return undefined;
  };

  // Gives the key properties of a create's body (the document's example
  // names a record the server may hold already) a value of ours the request
  // schema accepts, so the create makes a new record; returns the keys changed.
  let keysMade = 0;
  // A number stays inside the item path parameter's bounds (`param`: its
  // schema), so the record made can be read back (petstore's orderId: 1 to 10).
  const freshKey = (body, keys, param) => {
    const set = editable(body);
    if (!set) return [];
    const changed = [];
    const lo = typeof param?.minimum === 'number' ? param.minimum : -Infinity;
    const hi = typeof param?.maximum === 'number' ? param.maximum : Infinity;
    for (const k of new Set(keys.filter(Boolean))) {
      const old = body.value[k];
      const n = ++keysMade;
      const numbers = [910000 + n, 9000 + n, 100 + n, ...(Number.isFinite(hi) ? [hi, hi - 1, hi - 2] : [])].filter((v) => v >= lo && v <= hi && v !== old);
      const candidates = typeof old === 'string' ? [`corpus-key-${n}`, `CORPUS_KEY_${n}`, `corpuskey${n}`]
        : typeof old === 'number' ? numbers : [];
      if (candidates.some((v) => set(k, v))) changed.push(k);
    }
    return changed;
  };

  // An update's body names the record it updates: key properties the body
  // carries (the document's example names another record) take the target's
  // value when the request schema accepts it, so the update is not a rename.
  const keepKey = (body, keys, target) => {
    const set = editable(body);
    if (target === undefined || !set) return;
    for (const k of new Set(keys.filter(Boolean))) {
      const old = body.value[k];
      if (old === undefined || old === null || typeof old === 'object' || String(old) === String(target)) continue;
      set(k, typeof old === 'number' && Number.isFinite(Number(target)) ? Number(target) : String(target));
    }
  };

  const call = async (o, kind, opts = {}) => {
    const body = opts.body;
    const pathValues = { ...Object.fromEntries(knownIds), ...(opts.pathValues ?? {}) };
    const req = buildRequest(doc, o, { pathValues, body: body?.value, mediaType: body?.spec.mediaType });
    const answer = await send(base, req);
    tally.answers++;
    // The item's own path value (the last) when no answer showed it: the sweep made it up, and a 404 for it is the truth.
    const own = pathParams(o.path).at(-1);
    const madeUp = own !== undefined && (pathValues[own] === undefined || !seen.has(`${own}=${pathValues[own]}`));
    const record = { op: `${o.method.toUpperCase()} ${o.path}`, operationId: o.op.operationId, kind, request: `${req.method} ${req.url}` };
    if (answer.error) {
      tally.invalid++;
      tally.transportErrors++;
      tally.invalidAnswers.push({ ...record, status: null, reason: `no answer: ${answer.error}`, cause: 'other' });
      return { answer, req };
    }
    const j = judge(doc, validator, o, answer);
    let { valid } = j;
    let reason = j.reason;
    if (kind === 'bad body' && answer.status < 300) { valid = false; reason = `bad body accepted (${answer.status})`; }
    if (valid) {
      tally.valid++;
      if (!j.checked) tally.unchecked++;
      if (/^(schema not compiled|Ajv could not)/.test(j.reason ?? '')) tally.harness.push({ op: record.op, note: j.reason });
    } else {
      tally.invalid++;
      tally.invalidAnswers.push({
        ...record, status: answer.status, contentType: answer.contentType, reason, errors: j.errors, schema: j.schema,
        cause: causeOf(doc, o, { kind, status: answer.status, reason, schema: j.schema, madeUp }),
        requestBody: req.bodyValue === undefined ? undefined : JSON.stringify(req.bodyValue).slice(0, BODY_KEEP),
        body: answer.text.slice(0, BODY_KEEP),
      });
    }
    return { answer, req, value: parse(answer.text) };
  };

  let cols = collections(ops);
  const inCollection = new Set();
  for (const c of cols) for (const k of ['list', 'create', 'get', 'update', 'delete']) if (c[k]) inCollection.add(c[k]);
  let others = ops.filter((o) => !inCollection.has(o));
  if (sample) {
    const pick = (list, n) => (list.length <= n ? list : list.filter((_, i) => i % Math.ceil(list.length / n) === 0).slice(0, n));
    cols = pick(cols, sample.collections);
    others = pick(others, sample.others);
  }

  for (const c of cols) {
    const getParam = c.get.params.find((p) => p.in === 'path' && p.name === c.param) ?? { name: c.param, schema: { type: 'string' } };
    let existing;
    let listed;
    if (c.list) {
      const r = await call(c.list, 'list');
      listed = firstRecord(r.value);
      existing = idFrom(listed, c.param);
    }
    if (existing !== undefined) seen.add(`${c.param}=${existing}`);
    if (existing !== undefined) knownIds.set(c.param, existing);
    // Ids a GET answered 2xx for: a delete counts as persisted only for a record that was there.
    const found = new Set();
    const first = await call(c.get, 'get', { pathValues: { [c.param]: existing ?? paramValue(doc, getParam) } });
    const like = ok(first.answer) ? first.value : listed;
    if (existing !== undefined && ok(first.answer)) found.add(String(existing));
    tally.unknownIds++;
    const unk = await call(c.get, 'unknown id', { pathValues: { [c.param]: unknownId(doc, getParam) } });
    if (unk.answer.status === 404) tally.unknown404++;

    let created;
    let createdRecord;
    if (c.create) {
      const body = bodyFor(c.create);
      freshKey(body, [c.param, lastWord(c.param), 'id'], deref(doc, getParam.schema ?? getParam));
      // A value of our own in the body, so an example echoed back (a static
      // mock answers the document's examples) is not taken for the record.
      const marked = mark(body, 'corpus-created', [c.param, 'id'], like);
      const r = await call(c.create, 'create', { body });
      if (r.answer.status >= 200 && r.answer.status < 300) {
        created = idFrom(r.value, c.param) ?? (r.answer.location ? decodeURIComponent(r.answer.location.split('/').pop()) : undefined);
        createdRecord = unwrap(r.value);
        if (created !== undefined) seen.add(`${c.param}=${created}`);
        if (!marked) {
          // Nothing of ours in the body: an echoed example could not be told from the record.
          tally.writesUnverifiable++;
          // Still read it, so that a delete of it can be judged.
          if (created !== undefined) {
            const back = await call(c.get, 'read back (create)', { pathValues: { [c.param]: created } });
            if (ok(back.answer) && isRecord(back.value, c.param, created)) found.add(String(created));
          }
        } else if (created === undefined) {
          tally.writes++;
          tally.notPersisted.push({ op: `POST ${c.parent}`, reason: 'no id in the answer to read it back by' });
        } else {
          tally.writes++;
          const back = await call(c.get, 'read back (create)', { pathValues: { [c.param]: created } });
          // The record read back must be the one made: its id, and the scalars sent where it has them.
          const showsMark = Object.entries(marked).every(([k, v]) => unwrap(back.value)?.[k] === v);
          if (ok(back.answer) && isRecord(back.value, c.param, created) && showsMark && shows(back.value, sentScalars(body?.value))) {
            tally.persisted++;
            tally.persistedWrites.push({ op: `POST ${c.parent}`, id: created, shown: marked });
            found.add(String(created));
          } else tally.notPersisted.push({ op: `POST ${c.parent}`, id: created, reason: `read back: ${back.answer.status ?? back.answer.error}${ok(back.answer) ? ', another record or other values' : ''}` });
        }
      }
      const bad = bodyFor(c.create, { spoil: true });
      if (bad && !bad.skip) {
        tally.badBodies++;
        const r2 = await call(c.create, 'bad body', { body: bad });
        if (r2.answer.status >= 400 && r2.answer.status < 500) tally.badRefused++;
      }
    }
    const target = created ?? existing;
    if (c.update) {
      const body = bodyFor(c.update);
      // the record's own key property too (Directus' fields: `field` under
      // /fields/{collection}/{id}), which neither keeps nor marks
      const keys = [c.param, lastWord(c.param), 'id', ...keysHolding(createdRecord ?? listed, target)];
      keepKey(body, keys, target);
      const changed = mark(body, 'corpus-updated', keys, like);
      const r = await call(c.update, 'update', { body, pathValues: target !== undefined ? { [c.param]: target } : {} });
      if (target !== undefined && ok(r.answer) && !changed) tally.writesUnverifiable++;
      if (target !== undefined && ok(r.answer) && changed) {
        const back = await call(c.get, 'read back (update)', { pathValues: { [c.param]: target } });
        // The changed value must be there (present and equal), on the same record.
        const showsChange = Object.entries(changed).every(([k, v]) => unwrap(back.value)?.[k] === v);
        if (readsNoBody(back.answer)) {
          // A check (GitHub's GET .../collaborators/{username}: 204 when
          // the user is one) has no body to show the change in.
          tally.writesUnverifiable++;
        } else {
          tally.writes++;
          if (ok(back.answer) && isRecord(back.value, c.param, target) && showsChange) {
            tally.persisted++;
            tally.persistedWrites.push({ op: `${c.update.method.toUpperCase()} ${c.name}`, id: target, shown: changed });
          } else tally.notPersisted.push({ op: `${c.update.method.toUpperCase()} ${c.name}`, id: target, reason: `read back: ${back.answer.status ?? back.answer.error}` });
        }
      }
    }
    if (c.delete) {
      const victim = created ?? existing;
      const r = await call(c.delete, 'delete', { pathValues: victim !== undefined ? { [c.param]: victim } : {} });
      if (victim !== undefined && ok(r.answer)) {
        tally.writes++;
        const back = await call(c.get, 'read back (delete)', { pathValues: { [c.param]: victim } });
        if ((back.answer.status === 404 || back.answer.status === 410) && found.has(String(victim))) {
          tally.persisted++;
          tally.persistedWrites.push({ op: `DELETE ${c.name}`, id: victim, shown: `GET ${back.answer.status} after the delete` });
        }
        else tally.notPersisted.push({ op: `DELETE ${c.name}`, id: victim, reason: found.has(String(victim)) ? `read back after delete: ${back.answer.status ?? back.answer.error}` : 'no GET found the record before the delete' });
      }
      if (victim === existing) knownIds.delete(c.param);
    }
  }

  for (const o of others) {
    const needsBody = ['post', 'put', 'patch'].includes(o.method) || bodySpec(doc, o)?.required;
    const body = needsBody ? bodyFor(o) : undefined;
    const pv = {};
    for (const name of pathParams(o.path)) if (knownIds.has(name)) pv[name] = knownIds.get(name);
    await call(o, 'other', { body, pathValues: pv });
  }
  return tally;
}
