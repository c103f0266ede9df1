// docs/corpus.md, written from the figures of one run (never by hand).

import { CAUSES } from './causes.mjs';

const fmt = {
  ms: (v) => (v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`),
  mb: (v) => (v === undefined ? '–' : `${Math.round(v)} MB`),
  pct: (a, b) => (b ? `${((100 * a) / b).toFixed(1)} %` : '–'),
};

function cell(text) {
  return String(text ?? '–').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** One line for the console. */
export function summary(s) {
  if (!s.started) return `refused (${fmt.ms(s.readyMs)}): ${s.message}`;
  if (s.harnessError) return `started in ${fmt.ms(s.readyMs)}, harness error: ${s.harnessError.split('\n')[0]}`;
  return `ready in ${fmt.ms(s.readyMs)}, ${fmt.mb(s.rss)}, ${s.valid}/${s.answers} valid (${fmt.pct(s.valid, s.answers)}), writes persisted ${s.persisted}/${s.writes}`;
}

/** The commonest reasons of invalid answers, grouped on their first words. */
function reasons(s, n = 5) {
  const counts = new Map();
  for (const a of s.invalidAnswers ?? []) {
    let key = String(a.reason ?? '').replace(/\(documented:.*\)/, '').replace(/\d{3}/g, 'NNN').slice(0, 90);
    if (a.errors?.[0]?.message) key += `: ${a.errors[0].message.replace(/"[^"]*"/g, '"…"').slice(0, 70)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** The invalid answers of a server that are its own (class other), undefined without answers. */
function ownInvalid(s) {
  if (!s?.answers) return undefined;
  return (s.invalidAnswers ?? []).filter((a) => (a.cause ?? 'other') === 'other').length;
}

function startedCell(s, r) {
  if (!s) return 'n/a';
  if (r?.expectRefusal) return s.started ? 'yes (graphql-js refuses it)' : 'no, as graphql-js';
  return s.started ? 'yes' : 'no';
}

function answersCell(s) {
  if (!s || !s.started) return '–';
  if (s.answers === undefined) return s.harnessError ? 'harness error' : s.note ?? '–';
  return `${s.valid} / ${s.invalid} (${fmt.pct(s.valid, s.answers)} valid)`;
}

function rows(r) {
  const sides = [r.standin, r.prism];
  const line = (label, f) => `| ${label} | ${sides.map((s) => cell(s === undefined ? 'n/a' : f(s))).join(' | ')} |`;
  return [
    '| | Standin | Prism |',
    '|---|---|---|',
    line('started as shipped', (s) => startedCell(s, s === r.standin ? r : undefined)),
    line('time to ready', (s) => (s.started ? fmt.ms(s.readyMs) : '–')),
    line('peak RSS', (s) => fmt.mb(s.rss)),
    line('operations (document / served)', (s) => `${r.operations ?? s.operations ?? '–'} / ${s.servedOperations ?? (s.started ? 'all' : '–')}`),
    line('answers (requests sent)', (s) => s.answers ?? '–'),
    line('answers valid / invalid', answersCell),
    line('answers without a schema to check', (s) => (s.answers ? s.unchecked : '–')),
    line('unknown id → 404 (or null)', (s) => (s.unknownIds ? `${s.unknown404} / ${s.unknownIds}` : '–')),
    line('bad body refused (4xx)', (s) => (s.badBodies ? `${s.badRefused} / ${s.badBodies}` : '–')),
    line('writes persisted', (s) => (s.answers !== undefined ? `${s.persisted} / ${s.writes}${s.writesUnverifiable ? ` (${s.writesUnverifiable} more not checkable)` : ''}` : '–')),
  ];
}

/** Invalid answers counted by cause (bench/corpus/lib/causes.mjs), every document together. */
function causesSection(results) {
  const count = (side) => {
    const c = new Map();
    for (const r of results) for (const a of r[side]?.invalidAnswers ?? []) c.set(a.cause ?? 'unclassified', (c.get(a.cause ?? 'unclassified') ?? 0) + 1);
    return c;
  };
  const s = count('standin');
  const p = count('prism');
  const withPrism = results.some((r) => r.prism);
  const out = ['## Why answers are invalid', '',
    'Each invalid answer is put in one class (`bench/corpus/lib/causes.mjs`), the same way for both servers. The first',
    'five are gaps of the documents: no truthful server answers them validly (a record that is not there has no',
    'documented status; a schema that admits no value admits no answer); the last is the server\'s own.', '',
    `| cause | Standin |${withPrism ? ' Prism |' : ''}`, `|---|---|${withPrism ? '---|' : ''}`];
  const labels = [...CAUSES, ['unclassified', 'not classified (a run before the classes existed)']];
  for (const [key, label] of labels) {
    if (!s.get(key) && !p.get(key) && key === 'unclassified') continue;
    out.push(`| ${cell(label)} | ${s.get(key) ?? 0} |${withPrism ? ` ${p.get(key) ?? 0} |` : ''}`);
  }
  let answers = 0; let valid = 0;
  for (const r of results) { answers += r.standin?.answers ?? 0; valid += r.standin?.valid ?? 0; }
  const own = s.get('other') ?? 0;
  const share = own > 0 && (100 * own) / answers < 0.05 ? 'under 0.1 %' : fmt.pct(own, answers);
  out.push('', `Standin: ${valid} of ${answers} answers valid (${fmt.pct(valid, answers)}); ${own} invalid answer${own === 1 ? ' is' : 's are'} its own (${share} of all), the other ${answers - valid - own} are the documents' gaps above.`, '');
  return out;
}

/** The whole report. */
export function markdown(results, stamp) {
  const out = [];
  out.push('# Corpus run: the mock on real public API documents', '');
  out.push('<!-- Generated by bench/corpus/run.mjs: do not edit; run it again. -->', '');
  out.push('Generated by the full corpus run (figures below are from that run, not typed in):', '');
  out.push('```sh', 'npm ci --prefix bench/corpus && npm ci --prefix bench/corpus/full', 'node bench/corpus/run.mjs            # every document, Standin and Prism: writes this file (15 to 25 min here)', 'node bench/corpus/run.mjs --quick    # CI (.ci/run stage "corpus"): a few documents, sampled, no Prism', '```', '');
  out.push(`Run of ${stamp.date}, commit ${stamp.commit ?? '?'}, Node ${stamp.node}, on a machine of 2 cores shared with other work (load average ${stamp.load?.[0]} at the start, ${stamp.load?.[1]} at the end: times to ready are upper bounds).${stamp.prism ? ` Prism ${stamp.prismVersion ?? ''} (\`@stoplight/prism-cli\`).` : ' Prism was not run.'}`, '');
  out.push('Every document is a file of a pinned npm package (`bench/corpus/package.json`, `bench/corpus/full/package.json`).',
    'Each server is started on the document as shipped (the mock with `--spec corpus=FILE`, Prism with `prism mock FILE`,',
    'its default static answers); time to ready is until `GET /__standin/ready` answers 200 (Prism: until it listens);',
    'peak RSS is the process\'s VmHWM. The sweep: per collection (a path and its item path with one trailing parameter)',
    'list, get, get with an unknown id, create (the document\'s example when it is valid, else a body generated from',
    'the request schema and checked with Ajv; its key properties given values of ours, so it names a new record), a bad',
    'body (one property of the wrong type), update (its key properties those of the record it updates), delete, and a',
    'read-back after each write (an item\'s path value is read from the property named like the parameter, else like',
    'its last word, `team_slug`: `slug`, a user\'s or an organization\'s `login`, else `id`); every other operation once with valid parameters and the credentials its `security`',
    'asks for. An answer is valid when its status is documented for the operation (or `default`, or a range), its',
    'media type is documented for that status, and its body is valid against that schema: Ajv (`ajv/dist/2020` for',
    '3.1) with the document as the root of every `$ref`, OpenAPI 3.0\'s `nullable`, `discriminator` and',
    '`readOnly`/`writeOnly` translated. A bad body answered 2xx is invalid. A create or update counts as persisted',
    'when the GET of the item answers the same id with a value of ours the write set (a string property set to',
    '`corpus-created-N` or `corpus-updated-N`; a write with no such property is "not checkable", since a static',
    'mock echoing the document\'s examples would pass), a delete when a GET found the record before it and 404 or',
    '410 after. GraphQL: every query validated by',
    'graphql-js, every answer judged by executing the same query over the returned data (a field resolver reading',
    '`source[responseKey]`), so a null for a non-null field, a wrong enum or scalar, an impossible `__typename` fail.',
    'An answer not received within 30 s counts as invalid ("no answer").',
    'Every invalid answer (operation, status, Ajv errors, body) is in `bench/corpus/results/corpus.json` (not in git);',
    '`node bench/corpus/run.mjs --only NAME` runs one document, `--report bench/corpus/results/corpus.json` writes this file again from a run.', '');

  out.push('## Summary', '');
  out.push('| document | Standin started | ready | peak RSS | valid | its own invalid | writes persisted | Prism started | ready | peak RSS | valid | its own invalid |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  let ta = 0; let tv = 0; let pa = 0; let pv = 0; let to = 0; let po = 0;
  for (const r of results) {
    const s = r.standin; const p = r.prism;
    ta += s.answers ?? 0; tv += s.valid ?? 0; pa += p?.answers ?? 0; pv += p?.valid ?? 0;
    to += ownInvalid(s) ?? 0; po += ownInvalid(p) ?? 0;
    out.push(`| [${r.name}](#${r.name.replace(/\./g, '')}) | ${startedCell(s, r)} | ${s.started ? fmt.ms(s.readyMs) : '–'} | ${fmt.mb(s.rss)} | ${s.answers ? fmt.pct(s.valid, s.answers) : '–'} | ${ownInvalid(s) ?? '–'} | ${s.answers !== undefined ? `${s.persisted} / ${s.writes}` : '–'} | ${startedCell(p)} | ${p?.started ? fmt.ms(p.readyMs) : '–'} | ${p ? fmt.mb(p.rss) : '–'} | ${p?.answers ? fmt.pct(p.valid, p.answers) : '–'} | ${ownInvalid(p) ?? '–'} |`);
  }
  const ns = results.filter((r) => r.standin.started).length;
  const np = results.filter((r) => r.prism?.started).length;
  const nprism = results.filter((r) => r.prism).length;
  out.push(`| **all** | ${ns} / ${results.length} | | | ${fmt.pct(tv, ta)} (${tv} / ${ta}) | ${to} | | ${nprism ? `${np} / ${nprism}` : 'n/a'} | | | ${pa ? `${fmt.pct(pv, pa)} (${pv} / ${pa})` : '–'} | ${pa ? po : '–'} |`, '');
  out.push('Target: every document starts as shipped (except GitHub\'s SDL as shipped, which graphql-js refuses too), and at least 99 % of the answers are valid.',
    '"Its own invalid" counts the invalid answers that are not a gap of the document (the last class below).', '');
  out.push(...causesSection(results));

  for (const r of results) {
    out.push(`## ${r.name}`, '');
    out.push(`${r.what}: \`${r.file}\` of \`${r.pkg}@${r.version}\`${r.variant === 'dedup' ? ` with the second definitions of ${r.removed.map((x) => `\`${x.field}\` (lines ${x.lines})`).join(' and ')} removed` : ''}.`, '');
    if (r.graphqlJs) out.push(`graphql-js: ${r.graphqlJs === 'builds' ? 'builds the schema.' : `refuses it: \`${r.graphqlJs}\``}`, '');
    out.push(...rows(r), '');
    for (const [label, s] of [['Standin', r.standin], ['Prism', r.prism]]) {
      if (!s) continue;
      if (!s.started) out.push(`${label} refused to start: \`${cell(s.message)}\``, '');
      if (s.base) out.push(`${label} base path: \`${s.base}\`.`, '');
      if (s.harnessError) out.push(`${label}: the sweep stopped on a harness error: \`${cell(s.harnessError.split('\n')[0])}\``, '');
      const top = reasons(s);
      if (top.length) {
        out.push(`${label}'s commonest invalid answers:`, '');
        for (const [k, n] of top) out.push(`- ${n} × ${cell(k)}`);
        out.push('');
      }
    }
  }
  return out.join('\n');
}
