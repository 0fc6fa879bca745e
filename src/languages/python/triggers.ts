// Where a file's text could hold something the lowering records inside an expression: a call by a
// name some rule reads, a lambda or comprehension (a function or loop of the model), a comment.
// Most calls in training code are torch, numpy or print; the walk skips a call or expression
// whose range holds none of these, instead of visiting its every node through the native binding.
import { APIS } from '../../model/catalogue.js';
import { callNameMatters } from '../../model/loops.js';
import { countBelow } from '../../model/position.js';

/** Python names, as the language has them; and the same for a text that is all ASCII, much faster to match. */
const NAME = String.raw`[\p{L}_][\p{L}\p{N}_]*`;
const ASCII_NAME = String.raw`[A-Za-z_]\w*`;
const CALLED = {
  unicode: new RegExp(String.raw`(${NAME})\s*\(`, 'gu'),
  ascii: new RegExp(String.raw`(${ASCII_NAME})\s*\(`, 'g'),
};
/** `def f`, `class C`: calls of the file's own functions and classes; `as x`: a name an import may bind to an API. */
const DEFINED = {
  unicode: new RegExp(String.raw`\b(?:def|class|as)\s+(${NAME})`, 'gu'),
  ascii: new RegExp(String.raw`\b(?:def|class|as)\s+(${ASCII_NAME})`, 'g'),
};
const NOT_ASCII = /[^\x00-\x7f]/;
const MARKS = /\blambda\b|\bfor\b|#/g;
const API_NAMES = new Set(APIS.map((r) => r.api));

const matters = new Map<string, boolean>();

function alwaysMatters(name: string): boolean {
  let m = matters.get(name);
  if (m === undefined) {
    m = API_NAMES.has(name) || name === 'start_run' || callNameMatters(name);
    if (matters.size < 100_000) matters.set(name, m);
  }
  return m;
}

export interface Triggers {
  /** Whether [start, end) holds a trigger. */
  within(start: number, end: number): boolean;
  /** Names called in the text that are no trigger: a binding may still make one an API alias. */
  readonly skippedNames: Set<string>;
}

export function pythonTriggers(text: string): Triggers {
  const which = NOT_ASCII.test(text) ? 'unicode' : 'ascii';
  const defined = DEFINED[which];
  const called = CALLED[which];
  const local = new Set<string>();
  defined.lastIndex = 0;
  for (let m = defined.exec(text); m; m = defined.exec(text)) local.add(m[1]);
  const at: number[] = [];
  const skippedNames = new Set<string>();
  called.lastIndex = 0;
  for (let m = called.exec(text); m; m = called.exec(text)) {
    const name = m[1];
    if (local.has(name) || alwaysMatters(name)) at.push(m.index);
    else skippedNames.add(name);
  }
  MARKS.lastIndex = 0;
  for (let m = MARKS.exec(text); m; m = MARKS.exec(text)) at.push(m.index);
  const offsets = Int32Array.from(at).sort();
  return {
    skippedNames,
    within(start, end) {
      const i = countBelow(offsets, start);
      return i < offsets.length && offsets[i] < end;
    },
  };
}

/** A walk that skips nothing, for files where a skipped name turned out to matter. */
export const EVERYTHING: Triggers = { skippedNames: new Set(), within: () => true };
