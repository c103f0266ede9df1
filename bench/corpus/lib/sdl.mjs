// GraphQL SDL as graphql-js sees it: its verdict on a file as shipped, and
// the same text with each second definition of a field removed (GitHub's
// schema defines two fields of EnterpriseOwnerInfo twice).

import path from 'node:path';
import { Source, buildSchema, getLocation, parse } from 'graphql';

/**
 * graphql-js's word on an SDL: undefined when buildSchema accepts it, else
 * its first message with file:line:col (buildSchema joins its SDL errors
 * without places: a duplicate field is placed at its second definition),
 * and how many errors it gave.
 */
export function graphqlJsVerdict(file, text) {
  try {
    buildSchema(text);
    return undefined;
  } catch (err) {
    const messages = String(err.message).split('\n\n');
    let loc = err.locations?.[0];
    const dup = /^Field "([^".]+)\.([^"]+)" can only be defined once\./.exec(messages[0]);
    if (!loc && dup) {
      const second = duplicates(parse(text)).find((d) => d.type === dup[1] && d.field === dup[2]);
      if (second) loc = getLocation(new Source(text), second.node.name.loc.start);
    }
    const where = `${path.basename(file)}${loc ? `:${loc.line}:${loc.column}` : ''}`;
    return { message: `${where}: ${messages[0]}${messages.length > 1 ? ` (and ${messages.length - 1} more)` : ''}`, count: messages.length };
  }
}

/** The second (and later) definitions of a field in one type definition. */
function duplicates(doc) {
  const out = [];
  for (const def of doc.definitions) {
    if (!def.fields || !def.name) continue;
    const seen = new Set();
    for (const f of def.fields) {
      if (seen.has(f.name.value)) out.push({ type: def.name.value, field: f.name.value, node: f });
      seen.add(f.name.value);
    }
  }
  return out;
}

/**
 * The SDL with each second definition of a field removed (its description,
 * arguments and all): the duplicates graphql-js refuses. Returns the text
 * and what was removed (type.field, lines).
 */
export function dedupSDL(text) {
  const cuts = [];
  for (const { type, field, node } of duplicates(parse(text))) {
    let start = node.loc.start;
    while (start > 0 && text[start - 1] !== '\n') start--;
    let end = node.loc.end;
    while (end < text.length && text[end] !== '\n') end++;
    const line = (i) => text.slice(0, i).split('\n').length;
    cuts.push({ start, end: end + 1, field: `${type}.${field}`, lines: `${line(start)}–${line(end)}` });
  }
  let out = text;
  for (const c of [...cuts].sort((a, b) => b.start - a.start)) out = out.slice(0, c.start) + out.slice(c.end);
  return { text: out, removed: cuts.map(({ field, lines }) => ({ field, lines })) };
}

