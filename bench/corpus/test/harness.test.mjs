// The corpus run's own judges, on small documents: an answer the document
// allows is valid, one it does not is invalid, for each translation the
// harness makes (nullable, discriminators, readOnly/writeOnly, statuses,
// media types), the generator's bodies pass the request schemas, and the
// GraphQL judge catches what graphql-js would.
//
//   node --test bench/corpus/test/

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, parse, validate } from 'graphql';
import { generate, spoil } from '../lib/generate.mjs';
import { judgeAnswer, operationFor } from '../lib/graphql-sweep.mjs';
import { idFrom, isRecord, keysHolding, readsNoBody } from '../lib/rest-sweep.mjs';
import { bodySpec, collections, judge, operations } from '../lib/openapi.mjs';
import { DocValidator } from '../lib/schema.mjs';
import { dedupSDL, graphqlJsVerdict } from '../lib/sdl.mjs';

const json = (value) => ({ status: 200, contentType: 'application/json', text: JSON.stringify(value) });

function doc30() {
  return {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {
      '/pets': {
        get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } } } } } },
        post: {
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
          responses: { 201: { description: 'made', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } }, default: { $ref: '#/components/responses/Error' } },
        },
      },
      '/pets/{petId}': {
        get: {
          parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer', maximum: 1000 } }],
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Animal' } } } }, 404: { $ref: '#/components/responses/Error' } },
        },
      },
    },
    components: {
      responses: { Error: { description: 'error', content: { 'application/json': { schema: { type: 'object', required: ['code'], properties: { code: { type: 'integer' } } } } } } },
      schemas: {
        Pet: {
          type: 'object', required: ['id', 'name', 'secret'],
          properties: {
            id: { type: 'integer', readOnly: true, minimum: 1 },
            name: { type: 'string', minLength: 2 },
            tag: { type: 'string', nullable: true },
            owner: { allOf: [{ $ref: '#/components/schemas/Owner' }], nullable: true },
            secret: { type: 'string', writeOnly: true },
            born: { type: 'string', format: 'date-time' },
            size: { type: 'integer', minimum: 0, exclusiveMinimum: true },
          },
        },
        Owner: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } },
        Animal: {
          oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
          discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } },
        },
        Cat: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, lives: { type: 'integer' } } },
        Dog: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, bark: { type: 'string' } } },
      },
    },
  };
}

function opOf(doc, method, path) {
  return operations(doc).find((o) => o.method === method && o.path === path);
}

test('3.0 translations: nullable, readOnly/writeOnly, exclusive bounds, formats', () => {
  const doc = doc30();
  const v = new DocValidator(doc);
  const list = opOf(doc, 'get', '/pets');
  assert.equal(judge(doc, v, list, json([{ id: 1, name: 'Rex', tag: null, owner: null }])).valid, true, 'nullable and a writeOnly property left out of an answer');
  const bad = judge(doc, v, list, json([{ id: 1, name: 'Rex', owner: { email: 'not an email' } }]));
  assert.equal(bad.valid, false);
  assert.match(JSON.stringify(bad.errors), /format/);
  assert.equal(judge(doc, v, list, json([{ name: 'Rex' }])).valid, false, 'id is required in answers');
  assert.equal(judge(doc, v, list, json([{ id: 1, name: 'Rex', size: 0 }])).valid, false, 'exclusiveMinimum: true excludes the minimum');
  assert.equal(judge(doc, v, list, json([{ id: 1, name: 'Rex', born: 'yesterday' }])).valid, false, 'date-time');
  const create = opOf(doc, 'post', '/pets');
  const check = v.validator('request', bodySpec(doc, create).schemaPtr);
  assert.equal(check({ name: 'Rex', secret: 's' }), null, 'readOnly id is not required in a request');
  assert.notEqual(check({ name: 'Rex' }), null, 'writeOnly secret is required in a request');
});

test('statuses and media types: documented, default and $ref responses', () => {
  const doc = doc30();
  const v = new DocValidator(doc);
  const list = opOf(doc, 'get', '/pets');
  const r = judge(doc, v, list, { status: 404, contentType: 'application/json', text: '{}' });
  assert.equal(r.valid, false);
  assert.match(r.reason, /status 404 not documented/);
  const create = opOf(doc, 'post', '/pets');
  assert.equal(judge(doc, v, create, { status: 422, contentType: 'application/json', text: '{"code":422}' }).valid, true, 'default covers 422');
  assert.equal(judge(doc, v, create, { status: 422, contentType: 'application/json', text: '{"message":"x"}' }).valid, false, 'in the default response\'s schema');
  assert.match(judge(doc, v, list, { status: 200, contentType: 'text/html', text: '<p>' }).reason, /media type text\/html not documented/);
  assert.match(judge(doc, v, list, { status: 200, contentType: 'application/json', text: '' }).reason, /empty body/);
});

test('discriminator: the mapped schema decides, an unmapped value fails', () => {
  const doc = doc30();
  const v = new DocValidator(doc);
  const get = opOf(doc, 'get', '/pets/{petId}');
  // Both alternatives accept {kind}: plain oneOf would refuse it; the discriminator picks Cat.
  assert.equal(judge(doc, v, get, json({ kind: 'cat', lives: 9 })).valid, true);
  assert.equal(judge(doc, v, get, json({ kind: 'cat', lives: 'nine' })).valid, false);
  assert.equal(judge(doc, v, get, json({ kind: 'cow' })).valid, false);
});

test('embedded discriminator (on the base of an allOf) is applied to a oneOf of its children', () => {
  const doc = {
    openapi: '3.0.0', info: { title: 't', version: '1' },
    paths: { '/p': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }] } } } } } } } },
    components: {
      schemas: {
        Pet: { type: 'object', required: ['pet_type'], properties: { pet_type: { type: 'string' } }, discriminator: { propertyName: 'pet_type' } },
        Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { hunts: { type: 'boolean' } } }] },
        Dog: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { bark: { type: 'boolean' } } }] },
      },
    },
  };
  const v = new DocValidator(doc);
  const o = opOf(doc, 'get', '/p');
  assert.equal(judge(doc, v, o, json({ pet_type: 'Cat', hunts: true })).valid, true);
  assert.equal(judge(doc, v, o, json({ pet_type: 'Cat', hunts: 'yes' })).valid, false);
  assert.equal(judge(doc, v, o, json({ pet_type: 'Horse' })).valid, false);
  const made = generate(doc, doc.paths['/p'].get.responses[200].content['application/json'].schema, { optional: true });
  assert.equal(made.pet_type, 'Cat', 'the generator names the alternative it made');
});

test('3.1: type arrays and null, Ajv 2020', () => {
  const doc = {
    openapi: '3.1.0', info: { title: 't', version: '1' },
    paths: { '/x': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['a'], properties: { a: { type: ['string', 'null'] }, b: { type: 'null' }, c: { prefixItems: [{ type: 'integer' }] } } } } } } } } } },
  };
  const v = new DocValidator(doc);
  const o = opOf(doc, 'get', '/x');
  assert.equal(judge(doc, v, o, json({ a: null, b: null, c: [1] })).valid, true);
  assert.equal(judge(doc, v, o, json({ a: 1 })).valid, false);
  assert.equal(judge(doc, v, o, json({ a: 'x', c: ['one'] })).valid, false, 'prefixItems (2020-12)');
});

test('Swagger 2.0: schema and produces of the response', () => {
  const doc = {
    swagger: '2.0', info: { title: 't', version: '1' }, produces: ['application/json'],
    paths: { '/x': { get: { responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/X' } } } } } },
    definitions: { X: { type: 'object', required: ['n'], properties: { n: { type: 'integer' }, s: { type: 'string', 'x-nullable': true } } } },
  };
  const v = new DocValidator(doc);
  const o = opOf(doc, 'get', '/x');
  assert.equal(judge(doc, v, o, json({ n: 1, s: null })).valid, true);
  assert.equal(judge(doc, v, o, json({ n: 'one' })).valid, false);
});

test('generated bodies pass the request schema; the spoiled ones do not', () => {
  const doc = doc30();
  const v = new DocValidator(doc);
  const spec = bodySpec(doc, opOf(doc, 'post', '/pets'));
  const check = v.validator('request', spec.schemaPtr);
  for (const optional of [false, true]) {
    const body = generate(doc, spec.schema, { optional });
    assert.equal(check(body), null, JSON.stringify(body));
    assert.equal(body.id, undefined, 'readOnly id is not sent');
    assert.notEqual(check(spoil(doc, spec.schema, body)), null);
  }
});

test('collections: a path and its item path with one trailing parameter', () => {
  const cols = collections(operations(doc30()));
  assert.equal(cols.length, 1);
  assert.equal(cols[0].param, 'petId');
  assert.equal(cols[0].create.method, 'post');
});

const SDL = `
type Query { book(id: ID!): Book  books(first: Int): [Book!]! }
enum Genre { FICTION POETRY }
interface Node { id: ID! }
type Book implements Node { id: ID! title: String! genre: Genre pages: Int author: Author! }
type Author implements Node { id: ID! name: String! }
`;

test("an update keeps the record's own key, whatever its name: the properties that hold the id", () => {
  // Directus' field created as corpus-created-9 under /fields/{collection}/{id}: its key is `field`
  assert.deepEqual(keysHolding({ data: { collection: 'about_us', field: 'corpus-created-9', type: 'integer' } }, 'corpus-created-9'), ['field']);
  assert.deepEqual(keysHolding({ id: 7, number: 7, title: 't' }, 7), ['id', 'number']);
  assert.deepEqual(keysHolding(undefined, 'x'), []);
  assert.deepEqual(keysHolding({ a: 1 }, undefined), []);
});

test('a read back that answers 204 is a check, which shows no values (not a write lost)', () => {
  assert.ok(readsNoBody({ status: 204 }));
  assert.ok(!readsNoBody({ status: 200 }));
  assert.ok(!readsNoBody({ status: 404 }));
});

test('a record read back is the one asked for: by its id, else by one of its scalars when it has no id (Directus collections)', () => {
  // Directus answers a collection as {data: {collection: "corpus-created-5", ...}}, named in the Location header only
  const collection = { data: { collection: 'corpus-created-5', note: 'n', hidden: false } };
  assert.ok(isRecord(collection, 'id', 'corpus-created-5'));
  assert.ok(!isRecord(collection, 'id', 'corpus-created-6'));
  assert.ok(!isRecord({ id: 7, note: 'corpus-created-5' }, 'id', 'corpus-created-5'), 'an id that differs is another record');
  assert.ok(isRecord({ id: 7 }, 'id', 7));
  assert.ok(!isRecord({ data: [] }, 'id', 'x'));
});

test("a record's id for a path parameter: its own name, then its last word (or login for a user), then id", () => {
  const team = { id: 7, slug: 'core', name: 'Core' };
  assert.equal(idFrom(team, 'team_slug'), 'core');
  assert.equal(idFrom({ id: 3, name: 'production' }, 'environment_name'), 'production');
  assert.equal(idFrom({ id: 747, number: 12 }, 'milestoneNumber'), 12);
  assert.equal(idFrom({ id: 5, pet_id: 9 }, 'pet_id'), 9);
  assert.equal(idFrom({ id: 5 }, 'petId'), 5);
  assert.equal(idFrom({ id: 5, slug: 'x' }, 'owner'), 5);
  assert.equal(idFrom({ id: 1, login: 'octocat' }, 'username'), 'octocat', 'a user is named by its login');
  assert.equal(idFrom({ id: 1, login: 'github' }, 'org'), 'github');
});

test('GraphQL judge: the query over the answer, as graphql-js executes it', async () => {
  const schema = buildSchema(SDL);
  const field = schema.getQueryType().getFields().books;
  const op = operationFor('query', field, new Map());
  const document = parse(op.text);
  const good = { books: [{ __typename: 'Book', id: '1', title: 'T', genre: 'FICTION', pages: 3, author: { __typename: 'Author', id: '2', name: 'A' } }] };
  const answer = (data) => ({ status: 200, text: JSON.stringify({ data }) });
  assert.equal((await judgeAnswer(schema, document, op.variables, answer(good))).valid, true);
  const nullTitle = structuredClone(good); nullTitle.books[0].title = null;
  assert.equal((await judgeAnswer(schema, document, op.variables, answer(nullTitle))).valid, false, 'null for String!');
  const badEnum = structuredClone(good); badEnum.books[0].genre = 'COOKING';
  assert.equal((await judgeAnswer(schema, document, op.variables, answer(badEnum))).valid, false, 'enum value');
  const badInt = structuredClone(good); badInt.books[0].pages = 'three';
  assert.equal((await judgeAnswer(schema, document, op.variables, answer(badInt))).valid, false, 'Int');
  const badType = structuredClone(good); badType.books[0].author.__typename = 'Book';
  assert.equal((await judgeAnswer(schema, document, op.variables, answer(badType))).valid, false, '__typename');
  assert.equal((await judgeAnswer(schema, document, op.variables, answer(null))).valid, false, 'no data');
});

test('SDL: a duplicate field is placed like graphql-js would, and removed whole', () => {
  const text = 'type Query {\n  a: Int\n  """doc"""\n  b(x: Int): Int\n  """again"""\n  b(\n    x: Int\n  ): Int\n}\n';
  const verdict = graphqlJsVerdict('s.graphql', text);
  assert.match(verdict.message, /^s\.graphql:6:3: Field "Query\.b" can only be defined once/);
  const d = dedupSDL(text);
  assert.deepEqual(d.removed, [{ field: 'Query.b', lines: '5–8' }]);
  assert.equal(graphqlJsVerdict('s.graphql', d.text), undefined);
});

test('writes persisted: a stateful server passes, a server echoing examples does not', async () => {
  const { createServer } = await import('node:http');
  const { sweepRest } = await import('../lib/rest-sweep.mjs');
  const serve = (handler) => new Promise((resolve) => {
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; }).on('end', () => {
        const [status, value] = handler(req.method, req.url, body);
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(value === undefined ? '' : JSON.stringify(value));
      });
    }).listen(0, '127.0.0.1', () => resolve(srv));
  });
  const records = new Map();
  const stateful = await serve((method, url, body) => {
    if (method === 'POST' && url === '/pets') { const id = records.size + 1; const rec = { ...JSON.parse(body), id }; records.set(String(id), rec); return [201, rec]; }
    if (method === 'GET' && url === '/pets') return [200, [...records.values()]];
    const m = /^\/pets\/(\w+)$/.exec(url);
    if (method === 'GET' && m) return records.has(m[1]) ? [200, records.get(m[1])] : [404, { code: 404 }];
    return [404, { code: 404 }];
  });
  const echo = await serve((method, url) => (method === 'GET' && url === '/pets' ? [200, [{ id: 1, name: 'Rex' }]] : [method === 'POST' ? 201 : 200, { id: 1, name: 'Rex', kind: 'cat' }]));
  try {
    const doc = doc30();
    const a = await sweepRest({ doc, validator: new DocValidator(doc), base: `http://127.0.0.1:${stateful.address().port}` });
    assert.equal(a.writes, 1);
    assert.equal(a.persisted, 1, JSON.stringify(a.notPersisted));
    assert.equal(a.unknown404, 1);
    const b = await sweepRest({ doc, validator: new DocValidator(doc), base: `http://127.0.0.1:${echo.address().port}` });
    assert.equal(b.writes, 1);
    assert.equal(b.persisted, 0, 'an echoed example is not the record written');
    assert.equal(b.unknown404, 0);
    assert.ok(b.invalidAnswers.some((x) => x.kind === 'bad body'), 'a bad body answered 201 is invalid');
  } finally {
    stateful.close();
    echo.close();
  }
});

test('discriminator mapping a non-object alternative: an array matches it, not the objects', () => {
  const doc = {
    openapi: '3.0.3', info: { title: 't', version: '1' },
    paths: { '/c': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: {
      oneOf: [{ $ref: '#/components/schemas/Dir' }, { $ref: '#/components/schemas/File' }],
      discriminator: { propertyName: 'type', mapping: { array: '#/components/schemas/Dir', file: '#/components/schemas/File' } },
    } } } } } } } },
    components: { schemas: {
      Dir: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
      File: { type: 'object', required: ['type', 'size'], properties: { type: { type: 'string' }, size: { type: 'integer' } } },
    } },
  };
  const v = new DocValidator(doc);
  const o = opOf(doc, 'get', '/c');
  assert.equal(judge(doc, v, o, json([{ name: 'a' }])).valid, true, 'a directory listing');
  assert.equal(judge(doc, v, o, json([{ name: 5 }])).valid, false, 'the array alternative still checks its items');
  assert.equal(judge(doc, v, o, json({ type: 'file', size: 3 })).valid, true);
  assert.equal(judge(doc, v, o, json({ type: 'file', size: 'big' })).valid, false);
});

test('schemas that admit no value, and those that do', async () => {
  const { admitsNoValue } = await import('../lib/satisfiable.mjs');
  const doc = { components: { schemas: {
    optionalLink: { type: 'object', additionalProperties: false, properties: { href: { type: 'string' } } },
    link: { type: 'object', additionalProperties: false, required: ['href'], allOf: [{ $ref: '#/components/schemas/optionalLink' }] },
    page: { type: 'object', required: ['first'], properties: { first: { $ref: '#/components/schemas/link' } } },
    self: { type: 'object', required: ['next'], properties: { next: { $ref: '#/components/schemas/self' } } },
  } } };
  const no = [
    { allOf: [{ type: 'string' }, { type: 'integer' }] },
    { $ref: '#/components/schemas/link' },
    { $ref: '#/components/schemas/page' },
    { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/link' } },
    { oneOf: [{ $ref: '#/components/schemas/link' }, { allOf: [{ type: 'boolean' }, { type: 'null' }] }] },
  ];
  const yes = [
    { $ref: '#/components/schemas/optionalLink' },
    { type: 'array', items: { $ref: '#/components/schemas/link' } },
    { allOf: [{ type: 'number' }, { type: 'integer' }] },
    { $ref: '#/components/schemas/link', nullable: true },
    { allOf: [{ $ref: '#/components/schemas/link' }], nullable: true },
    { $ref: '#/components/schemas/self' },
    { type: 'object', additionalProperties: false, required: ['a'], properties: { a: { type: 'string' } } },
  ];
  for (const s of no) assert.equal(admitsNoValue(doc, s), true, JSON.stringify(s));
  for (const s of yes) assert.equal(admitsNoValue(doc, s), false, JSON.stringify(s));
  // readOnly properties are required of answers, not of requests
  const ro = { type: 'object', required: ['first'], properties: { first: { readOnly: true, allOf: [{ $ref: '#/components/schemas/link' }] } } };
  assert.equal(admitsNoValue(doc, ro, { side: 'response' }), true);
  assert.equal(admitsNoValue(doc, ro, { side: 'request' }), false);
  // only {} passes: counted with opts.empty alone
  const closed = { type: 'object', additionalProperties: false, allOf: [{ type: 'object', properties: { a: { type: 'string' } } }] };
  assert.equal(admitsNoValue(doc, closed), false);
  assert.equal(admitsNoValue(doc, closed, { empty: true }), true);
});

test('causes: the documents\' gaps apart from the server\'s own', async () => {
  const { causeOf } = await import('../lib/causes.mjs');
  const doc = { paths: {}, components: { schemas: { bad: { allOf: [{ type: 'string' }, { type: 'integer' }] } } } };
  const op = (responses, method = 'get') => ({ method, op: { responses } });
  const undoc = (st) => `status ${st} not documented (documented: 200)`;
  assert.equal(causeOf(doc, op({ 200: {} }), { kind: 'unknown id', status: 404, reason: undoc(404) }), 'absent');
  assert.equal(causeOf(doc, op({ 200: {} }), { kind: 'get', status: 404, reason: undoc(404), madeUp: false }), 'other', 'a 404 for a record an answer showed');
  assert.equal(causeOf(doc, op({ 200: {} }), { kind: 'get', status: 404, reason: undoc(404), madeUp: true }), 'absent');
  assert.equal(causeOf(doc, op({ 201: {} }, 'post'), { kind: 'bad body', status: 400, reason: undoc(400) }), 'refused');
  assert.equal(causeOf(doc, op({ 201: {}, 422: {} }, 'post'), { kind: 'bad body', status: 400, reason: undoc(400) }), 'other', '400 where the document says 422');
  assert.equal(causeOf(doc, op({ 405: {} }, 'post'), { kind: 'create', status: 201, reason: undoc(201) }), 'no-success');
  assert.equal(causeOf(doc, op({ 200: {} }, 'post'), { kind: 'create', status: 201, reason: undoc(201) }), 'other', '201 where the document says 200');
  assert.equal(causeOf(doc, op({ 201: {} }, 'post'), { kind: 'create', status: 409, reason: undoc(409) }), 'conflict');
  assert.equal(causeOf(doc, op({ 200: {} }), { kind: 'get', status: 200, reason: 'body not valid against the schema', schema: '#/components/schemas/bad' }), 'no-value');
  assert.equal(causeOf(doc, op({ 200: {} }), { kind: 'get', status: 200, reason: 'body not valid against the schema', schema: '#/paths' }), 'other');
});

test('GraphQL: a union of wide members stays within the alias budget', () => {
  const fields = Array.from({ length: 40 }, (_, i) => `f${i}: String`).join(' ');
  const members = Array.from({ length: 6 }, (_, i) => `type M${i} { ${fields} }`).join('\n');
  const schema = buildSchema(`${members}\nunion U = ${Array.from({ length: 6 }, (_, i) => `M${i}`).join(' | ')}\ntype Query { u: [U] }`);
  const op = operationFor('query', schema.getQueryType().getFields().u, new Map());
  const aliases = (op.text.match(/\w+: \w+/g) ?? []).length;
  assert.ok(aliases > 0 && aliases <= 100, `${aliases} aliases`);
  assert.deepEqual(validate(schema, parse(op.text)), []);
});

test('writes name their own records: a create gets a new key, an update keeps the target\'s', async () => {
  const { createServer } = await import('node:http');
  const { sweepRest } = await import('../lib/rest-sweep.mjs');
  const Var = { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } };
  const doc = {
    openapi: '3.0.3', info: { title: 't', version: '1' },
    paths: {
      '/vars': {
        get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: Var } } } } } },
        post: { requestBody: { required: true, content: { 'application/json': { schema: Var, example: { name: 'USERNAME', value: 'octocat' } } } }, responses: { 201: { description: 'made', content: { 'application/json': { schema: Var } } }, default: { description: 'error' } } },
      },
      '/vars/{name}': {
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: Var } } }, default: { description: 'error' } } },
        patch: { requestBody: { required: true, content: { 'application/json': { schema: Var, example: { name: 'USERNAME', value: 'octocat' } } } }, responses: { 204: { description: 'done' }, default: { description: 'error' } } },
      },
    },
  };
  // A server that holds USERNAME, refuses a second one (409) and a rename (400).
  const records = new Map([['USERNAME', { name: 'USERNAME', value: 'octocat' }]]);
  const srv = await new Promise((resolve) => {
    const s = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; }).on('end', () => {
        const send = (st, v) => res.writeHead(st, { 'Content-Type': 'application/json' }).end(v === undefined ? '' : JSON.stringify(v));
        const m = /^\/vars\/([^/]+)$/.exec(req.url);
        const name = m && decodeURIComponent(m[1]);
        if (req.method === 'GET' && req.url === '/vars') return send(200, [...records.values()]);
        if (req.method === 'POST' && req.url === '/vars') {
          const v = JSON.parse(body);
          if (records.has(v.name)) return send(409, { message: 'exists' });
          records.set(v.name, v);
          return send(201, v);
        }
        if (req.method === 'GET' && m) return records.has(name) ? send(200, records.get(name)) : send(404, { message: 'not found' });
        if (req.method === 'PATCH' && m) {
          const v = JSON.parse(body);
          if (v.name !== name) return send(400, { message: 'a rename' });
          records.set(name, v);
          return send(204);
        }
        return send(405, {});
      });
    }).listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const t = await sweepRest({ doc, validator: new DocValidator(doc), base: `http://127.0.0.1:${srv.address().port}` });
    const writes = t.invalidAnswers.filter((a) => a.kind === 'create' || a.kind === 'update');
    assert.deepEqual(writes, [], JSON.stringify(writes));
    assert.equal(t.persisted, 2, JSON.stringify(t.notPersisted));
  } finally {
    srv.close();
  }
});

test('a list\'s first record: in the array, an envelope\'s array, or one object field down', async () => {
  const { firstRecord } = await import('../lib/rest-sweep.mjs');
  assert.deepEqual(firstRecord([{ id: 1 }]), { id: 1 });
  assert.deepEqual(firstRecord({ data: [{ id: 2 }], meta: { total: 1 } }), { id: 2 });
  assert.deepEqual(firstRecord({ result: { licensees: [{ id: 'sl_1' }], hasMore: false }, code: 2000 }), { id: 'sl_1' });
  assert.equal(firstRecord({ data: [], meta: { links: [{ href: 'x' }] } }), undefined, 'an empty list is no record, whatever its envelope holds');
});

test('conform.mjs: each security scheme gets a credential, basic as user:password; a failure class has no values', async () => {
  const { credentials, failureClass } = await import('../conform.mjs');
  const creds = credentials({ components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' }, basic: { type: 'http', scheme: 'Basic' }, oauth: { type: 'oauth2' } } } });
  assert.deepEqual(Object.keys(creds).sort(), ['basic', 'key', 'oauth']);
  assert.match(creds.basic, /^[^:]+:[^:]+$/);
  assert.doesNotMatch(creds.key, /:/);
  assert.deepEqual(credentials({ securityDefinitions: { b: { type: 'basic' } } }).b.includes(':'), true);
  assert.equal(failureClass('rest-success', 'want HTTP 200, got 400 for "x" (id 12)\nmore'), 'rest-success: want HTTP N, got N for "…" (id N)');
});
