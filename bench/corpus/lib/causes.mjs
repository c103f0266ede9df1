// Why an answer is invalid, in the few classes the corpus report counts:
// most invalid answers on real documents are gaps of the document (a 404
// for a record that is not there where the operation lists no 404, a
// schema no value satisfies), which no truthful server can answer validly;
// the rest are the server's. The class is decided from the answer, the
// operation and the judge's verdict only, the same way for every server.

import { admitsNoValue } from './satisfiable.mjs';
import { resolvePointer } from './schema.mjs';

/** The classes, in the order the report lists them, with their wording. */
export const CAUSES = [
  ['absent', 'a 404 or 410 for a record no answer showed (an unknown id, a deleted record, a value the sweep made up), where the operation documents neither'],
  ['refused', 'a bad body refused with a 4xx, where the operation documents no 400, 422 or 4XX'],
  ['conflict', 'a 409 for a create whose key exists, where the operation documents no 409'],
  ['no-success', 'a write performed, answered with a 2xx, where the operation documents no 2xx'],
  ['no-value', 'a body against a schema that admits no value (or only `{}`, its `additionalProperties: false` forbidding what its `allOf` parts declare)'],
  ['other', 'anything else: the server\'s'],
];

const documentsSuccess = (responses) => Object.keys(responses ?? {}).some((k) => /^2(\d\d|XX)$/i.test(k) || k === 'default');
const documentsRefusal = (responses) => Object.keys(responses ?? {}).some((k) => k === '400' || k === '422' || /^4XX$/i.test(k) || k === 'default');
const ABSENT_KINDS = new Set(['unknown id', 'read back (delete)']);

/**
 * The class of one invalid answer.
 * @param {object} doc the document as shipped
 * @param {{method: string, op: object}} o the operation
 * @param {{kind: string, status: number|null, reason?: string, schema?: string, madeUp?: boolean}} a the
 *   invalid answer; madeUp: a path value of the request was not taken from an answer
 */
export function causeOf(doc, o, a) {
  const undocumented = /^status \d+ not documented/.test(a.reason ?? '');
  if (undocumented && (a.status === 404 || a.status === 410) && (ABSENT_KINDS.has(a.kind) || a.madeUp)) return 'absent';
  if (undocumented && a.status === 409) return 'conflict';
  if (undocumented && a.kind === 'bad body' && a.status >= 400 && a.status < 500 && !documentsRefusal(o.op.responses)) return 'refused';
  if (undocumented && a.status >= 200 && a.status < 300 && o.method !== 'get' && !documentsSuccess(o.op.responses)) return 'no-success';
  if (a.schema && a.reason === 'body not valid against the schema' && admitsNoValue(doc, resolvePointer(doc, a.schema), { side: 'response', empty: true })) return 'no-value';
  return 'other';
}
