// The documents of the corpus run: which file of which npm package (pinned
// in package.json / full/package.json, installed with `npm ci`), what it
// is, and whether the quick run takes it.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

/** The corpus harness's folder (bench/corpus): its node_modules hold the documents. */
const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const EX = '@readme/oas-examples';

/**
 * @typedef {object} Entry
 * @property {string} name     short name, used in the report
 * @property {string} pkg      npm package
 * @property {string} file     path inside the package
 * @property {'openapi'|'graphql'} kind
 * @property {'base'|'full'} dir which package.json pins it (full: full/)
 * @property {string} what     what the document is or exercises
 * @property {boolean} [quick] part of the quick run
 * @property {'dedup'} [variant] dedup: the SDL with its duplicate field definitions removed
 * @property {boolean} [expectRefusal] a document graphql-js refuses too: the mock must refuse it
 */

/** @type {Entry[]} */
export const CORPUS = [
  { name: 'github-rest', pkg: '@octokit/openapi', file: 'generated/api.github.com.json', kind: 'openapi', dir: 'full', what: "GitHub's REST API description (OpenAPI 3.0, 13 MB)" },
  { name: 'github-graphql', pkg: '@octokit/graphql-schema', file: 'schema.graphql', kind: 'graphql', dir: 'base', what: "GitHub's GraphQL schema as shipped (defines two fields of one type twice: graphql-js refuses it)", quick: true, expectRefusal: true },
  { name: 'github-graphql-dedup', pkg: '@octokit/graphql-schema', file: 'schema.graphql', kind: 'graphql', dir: 'base', variant: 'dedup', what: "GitHub's GraphQL schema, the duplicate field definitions removed", quick: true },
  { name: 'figma', pkg: '@figma/rest-api-spec', file: 'openapi/openapi.yaml', kind: 'openapi', dir: 'base', what: "Figma's REST API (OpenAPI 3.1)", quick: true },
  { name: 'directus', pkg: '@directus/specs', file: 'dist/openapi.json', kind: 'openapi', dir: 'base', what: "Directus's REST API (OpenAPI 3.0.1)" },
  { name: 'blockfrost', pkg: '@blockfrost/openapi', file: 'openapi.yaml', kind: 'openapi', dir: 'base', what: 'Blockfrost.io Cardano API (OpenAPI 3.0.3)' },
  { name: 'ideal-postcodes', pkg: '@ideal-postcodes/openapi', file: 'dist/openapi.json', kind: 'openapi', dir: 'base', what: 'Ideal Postcodes API (OpenAPI 3.0.3)' },
  { name: 'shipengine', pkg: 'shipengine-openapi', file: 'openapi.json', kind: 'openapi', dir: 'base', what: 'ShipEngine API (OpenAPI 3.0.0, every reference expanded: 8.6 MB)' },
  { name: 'dialogporten', pkg: '@digdir/dialogporten-schema', file: 'swagger.verified.json', kind: 'openapi', dir: 'base', what: "Digdir's Dialogporten API (OpenAPI 3.0.0, the `openapi` key after 4 KB, a BOM)" },
  { name: 'dialogporten-graphql', pkg: '@digdir/dialogporten-schema', file: 'schema.verified.graphql', kind: 'graphql', dir: 'base', what: "Digdir's Dialogporten GraphQL schema" },
  { name: 'petstore-3.0', pkg: EX, file: '3.0/yaml/petstore.yaml', kind: 'openapi', dir: 'base', what: 'the classic petstore, OpenAPI 3.0', quick: true },
  { name: 'petstore-3.1', pkg: EX, file: '3.1/yaml/petstore.yaml', kind: 'openapi', dir: 'base', what: 'the classic petstore, OpenAPI 3.1', quick: true },
  { name: 'petstore-2.0', pkg: EX, file: '2.0/yaml/petstore.yaml', kind: 'openapi', dir: 'base', what: 'the classic petstore, Swagger 2.0', quick: true },
  { name: 'callbacks', pkg: EX, file: '3.0/yaml/callbacks.yaml', kind: 'openapi', dir: 'base', what: 'callbacks (3.0)' },
  { name: 'links', pkg: EX, file: '3.0/yaml/link-example.yaml', kind: 'openapi', dir: 'base', what: 'links (3.0)' },
  { name: 'cookies', pkg: EX, file: '3.0/yaml/parameters-cookies.yaml', kind: 'openapi', dir: 'base', what: 'cookie parameters (3.0)' },
  { name: 'form-data', pkg: EX, file: '3.0/yaml/form-data.yaml', kind: 'openapi', dir: 'base', what: 'form-urlencoded bodies (3.0)' },
  { name: 'file-uploads', pkg: EX, file: '3.0/yaml/file-uploads.yaml', kind: 'openapi', dir: 'base', what: 'multipart file uploads (3.0)', quick: true },
  { name: 'discriminators', pkg: EX, file: '3.0/yaml/discriminators.yaml', kind: 'openapi', dir: 'base', what: 'oneOf/anyOf with discriminators (3.0)', quick: true },
  { name: 'polymorphism', pkg: EX, file: '3.0/yaml/polymorphism.yaml', kind: 'openapi', dir: 'base', what: 'allOf/oneOf polymorphism (3.0)' },
  { name: 'security', pkg: EX, file: '3.0/yaml/security.yaml', kind: 'openapi', dir: 'base', what: 'security schemes: apiKey, basic, bearer, oauth2 (3.0)', quick: true },
  { name: 'security-3.1', pkg: EX, file: '3.1/yaml/security.yaml', kind: 'openapi', dir: 'base', what: 'security schemes (3.1)' },
  { name: 'circular', pkg: EX, file: '3.0/yaml/circular.yaml', kind: 'openapi', dir: 'base', what: 'circular schemas (3.0)' },
  { name: 'schema-types', pkg: EX, file: '3.0/yaml/schema-types.yaml', kind: 'openapi', dir: 'base', what: 'every schema type and format (3.0)' },
  { name: 'schema-types-3.1', pkg: EX, file: '3.1/yaml/schema-types.yaml', kind: 'openapi', dir: 'base', what: 'every schema type, type arrays and null (3.1)' },
  { name: 'webhooks', pkg: EX, file: '3.1/yaml/webhooks.yaml', kind: 'openapi', dir: 'base', what: 'webhooks only (3.1)' },
  { name: 'train-travel', pkg: EX, file: '3.1/yaml/train-travel.yaml', kind: 'openapi', dir: 'base', what: 'the Train Travel API (3.1, webhooks, problem+json errors)' },
];

/** The file of an entry, in the node_modules of the package.json that pins it. */
export function packageFile(entry) {
  const base = entry.dir === 'full' ? path.join(CORPUS_DIR, 'full') : CORPUS_DIR;
  return path.join(base, 'node_modules', entry.pkg, entry.file);
}

/** The version of an entry's package, as installed. */
export function packageVersion(entry) {
  const base = entry.dir === 'full' ? path.join(CORPUS_DIR, 'full') : CORPUS_DIR;
  return JSON.parse(fs.readFileSync(path.join(base, 'node_modules', entry.pkg, 'package.json'), 'utf8')).version;
}

/** A document's text parsed: JSON by its name, else YAML (aliases and duplicate keys allowed, as the documents have them). */
export function parseDocument(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (/\.json$/i.test(file)) return JSON.parse(text);
  return YAML.parse(text, { maxAliasCount: -1, uniqueKeys: false });
}
