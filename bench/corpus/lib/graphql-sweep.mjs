// The GraphQL sweep of one SDL against one running endpoint, judged by
// graphql-js: every query root field and every mutation once, with its
// required arguments made from their types (ids taken from earlier answers
// where the names fit), `node(id:)` with an unknown id, and the records a
// create/update/delete mutation returns read back through `node(id:)`.
//
// Each query is validated against the schema before it is sent. Each
// answer is judged by executing the same query over the returned data with
// a field resolver that reads source[responseKey]: a null for a non-null
// field, a value outside an enum, a wrong scalar or an impossible
// `__typename` is an execution error, hence an invalid answer.

import {
  execute, getNamedType, getNullableType, isEnumType, isInputObjectType, isInterfaceType,
  isLeafType, isListType, isNonNullType, isScalarType, isUnionType, parse, validate,
} from 'graphql';

const LEAVES_PER_LEVEL = 30;
const OBJECTS_PER_LEVEL = 4;
const MEMBERS = 6;
// Aliases per query: servers bound them (the mock's documented limit is 100,
// GitHub's own API refuses deep and wide queries too); a query the server
// refuses for its size would judge the harness, not the server.
const MAX_ALIASES = 90;
const BODY_KEEP = 2000;

function requiredArgs(field) {
  return field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
}

function scalarValue(type, name) {
  const n = type.name;
  const lname = String(name ?? '').toLowerCase();
  if (n === 'Int') return lname.includes('first') || lname.includes('last') || lname.includes('limit') ? 2 : 1;
  if (n === 'Float') return 1.5;
  if (n === 'Boolean') return true;
  if (/date.?time|timestamp/i.test(n)) return '2024-05-06T07:08:09Z';
  if (/^date$/i.test(n)) return '2024-05-06';
  if (/ur[il]/i.test(n)) return 'https://example.com/corpus';
  if (/uuid/i.test(n)) return '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  if (/html|markdown/i.test(n)) return 'corpus';
  if (/gitobjectid|objectid/i.test(n)) return '0123456789abcdef0123456789abcdef01234567';
  if (/sshsignature|base64/i.test(n)) return 'Y29ycHVz';
  if (n === 'ID') return 'corpus-id';
  return `corpus-${lname || 'value'}`;
}

/** A value of an input type: required input fields only, ids from what the answers showed. */
export function inputValue(type, name, ids, depth = 0) {
  const t = getNullableType(type);
  if (isListType(t)) { const v = inputValue(t.ofType, name, ids, depth + 1); return v === undefined ? [] : [v]; }
  if (isEnumType(t)) return t.getValues()[0]?.name;
  if (isScalarType(t)) {
    if ((t.name === 'ID' || /Id$|ID$/.test(name ?? '')) && ids) {
      const hint = String(name ?? '').replace(/Ids?$|IDs?$/, '').toLowerCase();
      for (const [typename, id] of ids) if (hint && typename.toLowerCase() === hint) return id;
      if (t.name === 'ID' && ids.size) return [...ids.values()][0];
    }
    return scalarValue(t, name);
  }
  if (isInputObjectType(t)) {
    if (depth > 5) return undefined;
    const out = {};
    for (const f of Object.values(t.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = inputValue(f.type, f.name, ids, depth + 1);
    }
    // A @oneOf input (exactly one field) with no required field: the first field.
    if (Object.keys(out).length === 0 && t.isOneOf) {
      const f = Object.values(t.getFields())[0];
      out[f.name] = inputValue(f.type, f.name, ids, depth + 1);
    }
    return out;
  }
  return undefined;
}

function connectionArgs(field) {
  const first = field.args.find((a) => a.name === 'first');
  return first && isScalarType(getNamedType(first.type)) ? '(first: 2)' : '';
}

/**
 * A selection set for a type, down to maxDepth, leaves first. Fields of a
 * union member's fragment are aliased with the member's name, so two members
 * with a field of the same name and another type do not conflict; at most
 * budget.aliases of them in the whole selection (fields past it left out).
 */
export function selection(type, depth, maxDepth, alias = '', budget = { aliases: MAX_ALIASES }) {
  const t = getNamedType(type);
  if (isLeafType(t)) return '';
  const parts = ['__typename'];
  if (isUnionType(t)) {
    for (const m of t.getTypes().slice(0, MEMBERS)) {
      const inner = depth < maxDepth ? selection(m, depth + 1, maxDepth, `${m.name}_`, budget) : '{ __typename }';
      parts.push(`... on ${m.name} ${inner}`);
    }
    return `{ ${parts.join(' ')} }`;
  }
  const fields = Object.values(t.getFields()).filter((f) => requiredArgs(f).length === 0 && !f.deprecationReason);
  let leaves = 0;
  let objects = 0;
  for (const f of fields) {
    const nt = getNamedType(f.type);
    const key = alias ? `${alias}${f.name}: ${f.name}` : f.name;
    if (alias && budget.aliases <= 0) continue;
    if (isLeafType(nt)) {
      if (alias && leaves < LEAVES_PER_LEVEL) budget.aliases--;
      if (leaves++ < LEAVES_PER_LEVEL) parts.push(key);
    } else if (depth < maxDepth && objects < OBJECTS_PER_LEVEL) {
      objects++;
      if (alias) budget.aliases--;
      parts.push(`${key}${connectionArgs(f)} ${selection(nt, depth + 1, maxDepth, '', budget)}`);
    }
  }
  if (isInterfaceType(t) && t.getFields().id && !(alias && budget.aliases <= 0)) {
    if (alias) budget.aliases--;
    parts.push(alias ? `${alias}id: id` : 'id');
  }
  return `{ ${[...new Set(parts)].join(' ')} }`;
}

/** One operation on a root field: the document text and its variables. */
export function operationFor(kind, field, ids, { maxDepth = 2, args = {} } = {}) {
  const defs = [];
  const uses = [];
  const variables = {};
  for (const a of field.args) {
    let v = args[a.name];
    if (v === undefined && isNonNullType(a.type) && a.defaultValue === undefined) v = inputValue(a.type, a.name, ids);
    if (v === undefined && a.name === 'first' && isScalarType(getNamedType(a.type))) v = 2;
    if (v === undefined) continue;
    defs.push(`$${a.name}: ${String(a.type)}`);
    uses.push(`${a.name}: $${a.name}`);
    variables[a.name] = v;
  }
  const sel = selection(field.type, 0, maxDepth);
  const text = `${kind}${defs.length ? `(${defs.join(', ')})` : ''} { ${field.name}${uses.length ? `(${uses.join(', ')})` : ''} ${sel} }`;
  return { text, variables };
}

/** Every id (with its __typename) found in a value. */
function collectIds(value, ids) {
  if (Array.isArray(value)) { for (const v of value) collectIds(v, ids); return; }
  if (!value || typeof value !== 'object') return;
  if (typeof value.id === 'string' && typeof value.__typename === 'string' && !ids.has(value.__typename)) ids.set(value.__typename, value.id);
  for (const v of Object.values(value)) collectIds(v, ids);
}

function firstRecord(value) {
  if (Array.isArray(value)) { for (const v of value) { const r = firstRecord(v); if (r) return r; } return undefined; }
  if (!value || typeof value !== 'object') return undefined;
  if (typeof value.id === 'string') return value;
  for (const v of Object.values(value)) { const r = firstRecord(v); if (r) return r; }
  return undefined;
}

function firstDifference(want, got, at) {
  if (want === got) return undefined;
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${at}: ${JSON.stringify(got)?.slice(0, 80)} where the query gives ${want.length} items`;
    for (let i = 0; i < want.length; i++) { const d = firstDifference(want[i], got[i], `${at}.${i}`); if (d) return d; }
    return undefined;
  }
  if (want && typeof want === 'object') {
    if (!got || typeof got !== 'object' || Array.isArray(got)) return `${at}: ${JSON.stringify(got)?.slice(0, 80)} where the query gives an object`;
    for (const k of Object.keys(got)) if (!(k in want)) return `${at}.${k}: not selected by the query`;
    for (const k of Object.keys(want)) { const d = firstDifference(want[k], got[k], `${at}.${k}`); if (d) return d; }
    return undefined;
  }
  return `${at}: ${JSON.stringify(got)?.slice(0, 80)} where the query gives ${JSON.stringify(want)?.slice(0, 80)}`;
}

/** Judges one answer by executing the query over its data. Returns {valid, reason?, errors?}. */
export async function judgeAnswer(schema, document, variables, answer, { expectData = true } = {}) {
  if (answer.error) return { valid: false, reason: `no answer: ${answer.error}` };
  let body;
  try { body = JSON.parse(answer.text); } catch { return { valid: false, reason: `body is not JSON (status ${answer.status})` }; }
  if (!body || typeof body !== 'object' || (!('data' in body) && !('errors' in body))) return { valid: false, reason: 'neither data nor errors' };
  if (body.data === null || body.data === undefined) {
    if (!expectData) return { valid: true };
    return { valid: false, reason: `no data: ${JSON.stringify(body.errors ?? []).slice(0, 400)}` };
  }
  const result = await execute({
    schema, document, rootValue: body.data, variableValues: variables,
    fieldResolver: (source, _args, _ctx, info) => (source == null ? source : source[info.path.key]),
  });
  if (result.errors?.length) {
    return { valid: false, reason: 'data not valid for the query', errors: result.errors.slice(0, 8).map((e) => ({ message: e.message, path: e.path?.join('.') })) };
  }
  // What graphql-js made of the data must be the data: a __typename of another
  // type, a field not selected, an ID sent as a number differ here.
  const diff = firstDifference(result.data, body.data, 'data');
  if (diff) return { valid: false, reason: 'data differs from the query\'s result over it', errors: [{ message: diff }] };
  return { valid: true, body };
}

/**
 * Sweeps one schema at url.
 * @returns {Promise<object>} the same tally shape as the REST sweep
 */
export async function sweepGraphQL({ schema, url, sample, send }) {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const qfields = Object.values(query?.getFields() ?? {});
  const mfields = Object.values(mutation?.getFields() ?? {});
  const tally = {
    operations: qfields.length + mfields.length, answers: 0, valid: 0, invalid: 0, unchecked: 0, transportErrors: 0,
    writes: 0, persisted: 0, unknownIds: 0, unknown404: 0, badBodies: 0, badRefused: 0, bodiesInvalid: 0,
    invalidAnswers: [], notPersisted: [], persistedWrites: [], harness: [],
  };
  const ids = new Map();

  const run = async (kind, field, opName, op, opts = {}) => {
    const document = parse(op.text);
    const errs = validate(schema, document);
    if (errs.length) {
      tally.harness.push({ op: `${opName} ${field.name}`, note: 'query made by the harness is not valid for the schema', errors: errs.slice(0, 4).map((e) => e.message) });
      return undefined;
    }
    const answer = await send(url, { method: 'POST', url: '', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: op.text, variables: op.variables }) });
    tally.answers++;
    if (answer.error) tally.transportErrors++;
    const j = await judgeAnswer(schema, document, op.variables, answer, opts);
    if (j.valid) {
      tally.valid++;
      if (j.body) collectIds(j.body.data, ids);
    } else {
      tally.invalid++;
      tally.invalidAnswers.push({
        op: `${opName} ${field.name}`, kind, status: answer.status ?? null, reason: j.reason, errors: j.errors, cause: 'other',
        request: op.text.slice(0, BODY_KEEP), variables: JSON.stringify(op.variables).slice(0, BODY_KEEP), body: (answer.text ?? '').slice(0, BODY_KEEP),
      });
    }
    return j.body;
  };

  let qs = qfields;
  let ms = mfields;
  if (sample) {
    const pick = (list, n) => (list.length <= n ? list : list.filter((_, i) => i % Math.ceil(list.length / n) === 0).slice(0, n));
    qs = pick(qs, sample.others);
    ms = pick(ms, sample.others);
  }
  // Lists and lookups without required arguments first: they show ids the others can use.
  qs = [...qs].sort((a, b) => requiredArgs(a).length - requiredArgs(b).length);
  for (const f of qs) await run('query', f, 'query', operationFor('query', f, ids));

  // Lookups by id: `node(id:)`, and every root field taking one required ID `id` and answering an object with an id.
  const node = query?.getFields().node;
  const lookups = new Map();
  for (const f of qfields) {
    const req = requiredArgs(f);
    const t = getNamedType(f.type);
    if (f === node || req.length !== 1 || req[0].name !== 'id' || getNamedType(req[0].type).name !== 'ID') continue;
    if (t.getFields?.().id && !lookups.has(t.name)) lookups.set(t.name, f);
  }
  const lookupFor = (typename) => lookups.get(typename) ?? node;
  const readBack = async (typename, id) => {
    const f = lookupFor(typename);
    if (!f) return undefined;
    const body = await run('read back', f, 'query', operationFor('query', f, ids, { args: { id }, maxDepth: 1 }), { expectData: false });
    return { found: body?.data?.[f.name] ?? null };
  };
  for (const f of [...new Set([...lookups.values(), ...(node ? [node] : [])])]) {
    tally.unknownIds++;
    const body = await run('unknown id', f, 'query', operationFor('query', f, ids, { args: { id: 'corpus-unknown-id' }, maxDepth: 1 }), { expectData: false });
    if (body && body.data && body.data[f.name] === null) tally.unknown404++;
  }

  for (const f of ms) {
    const m = /^(create|add|update|delete|remove)(.*)$/.exec(f.name);
    // The record a deleteX/updateX acts on: a known id of type X when there is one.
    const subject = m?.[2];
    const args = {};
    const idArg = f.args.find((a) => a.name === 'id' && isNonNullType(a.type));
    if (idArg && subject && ids.has(subject)) args.id = ids.get(subject);
    const op = operationFor('mutation', f, ids, { args });
    const body = await run('mutation', f, 'mutation', op, { expectData: false });
    const verb = m?.[1];
    if (!verb || !body?.data) continue;
    if (verb === 'delete' || verb === 'remove') {
      const input = Object.values(op.variables).find((v) => v && typeof v === 'object');
      const id = typeof op.variables.id === 'string' ? op.variables.id : input ? Object.entries(input).find(([k]) => /Id$/.test(k))?.[1] : undefined;
      const typename = [...ids.entries()].find(([, v]) => v === id)?.[0] ?? subject;
      if (typeof id !== 'string' || !lookupFor(typename) || body.errors) continue;
      tally.writes++;
      const back = await readBack(typename, id);
      if (back && back.found === null) { tally.persisted++; tally.persistedWrites.push({ op: `mutation ${f.name}`, id, shown: 'not found by id after the delete' }); }
      else tally.notPersisted.push({ op: `mutation ${f.name}`, id, reason: 'still found by id after the delete' });
      if (ids.get(typename) === id) ids.delete(typename);
      continue;
    }
    const rec = firstRecord(body.data[f.name]);
    if (!rec || !lookupFor(rec.__typename)) continue;
    tally.writes++;
    const back = await readBack(rec.__typename, rec.id);
    if (back?.found && back.found.id === rec.id) { tally.persisted++; tally.persistedWrites.push({ op: `mutation ${f.name}`, id: rec.id, shown: 'found by id' }); }
    else tally.notPersisted.push({ op: `mutation ${f.name}`, id: rec.id, reason: 'the record the mutation returned is not found by id' });
  }
  return tally;
}

