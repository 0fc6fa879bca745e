// The part of a Python text that can do anything: what is left once comments and strings that
// are a whole statement (docstrings, `"""notes"""`) are taken out. The pre-check looks for
// MLflow there, so that a module that names it only in a docstring (`log_with="mlflow"` in an
// example) is not parsed. Soundness rests on reading strings and comments as tree-sitter does
// where CPython does too: wherever the two could read a text otherwise (an unterminated string,
// a bracket left open, a nested f-string quoted like its outer one, a stray `\`, a backquote, a
// prefix only one of them takes, a lone `\r` among `\n`s), the scan gives up and the whole
// text counts.

const PLAIN_PREFIX = /^(?:[rRuUbB]|[bB][rR]|[rR][bB])$/;
/** f-strings, and Python 3.14's t-strings: `{` opens a replacement field in both. */
const FORMATTED_PREFIX = /^(?:[fFtT]|[fFtT][rR]|[rR][fFtT])$/;
/** What tree-sitter takes for a string's prefix: any run of these letters. */
const ANY_PREFIX = /^[rRbBuUfFtT]+$/;
/** tree-sitter reads a lone `\r` as a blank, CPython as a line break. */
const LONE_CR = /\r(?!\n)/;

const isQuote = (c: string): boolean => c === '"' || c === "'";

function isIdentPart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127 || (c >= 48 && c <= 57);
}

/** Where the scan cannot be sure how CPython reads the text. */
const UNSURE = -1;

/** What the main scan stops at: everything else is a name, a number, an operator or a blank. */
const NEXT = /[#'"\\\n\r()[\]{};:`]/g;

/**
 * The code of `text`: its segments outside comments and string statements, joined by line
 * breaks (a name is never split: a comment or a string ends a token). The text itself when
 * nothing is taken out or the scan cannot be sure.
 */
export function pythonCode(text: string): string {
  const cuts = nonCode(text);
  if (!cuts?.length) return text;
  const kept: string[] = [];
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    if (cuts[k] > from) kept.push(text.slice(from, cuts[k]));
    from = cuts[k + 1];
  }
  if (from < text.length) kept.push(text.slice(from));
  return kept.join('\n');
}

/**
 * Words after which a line cannot end a statement. tree-sitter, unlike CPython, then reads on
 * into the next line (`x = a and` + newline + `"s"` is one expression to it, an error to CPython),
 * so a string starting the next line is not taken for a statement there.
 */
const GOES_ON = new Set(
  'and or not in is if else elif while for lambda import from as assert del with await async global nonlocal class def except'.split(
    ' ',
  ),
);
/** Statements whose line ends with the colon of a block, after which a new statement starts. */
const COMPOUND = new Set('def class if elif else for while try except finally with async match case'.split(' '));

/** The comments and string statements of `text`, as [start, end) offsets in pairs; null when unsure. */
export function nonCode(text: string): number[] | null {
  // A file of lone `\r`s alone is read with `\n`s (see lintText): only a mix reads otherwise.
  if (LONE_CR.test(text) && text.includes('\n')) return null;
  const n = text.length;
  const cuts: number[] = [];
  let depth = 0;
  // At the start of a statement: of the text, after a line that ends one, or after `;`.
  let atStart = true;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // The colons outside brackets since the statement started (a block header has one, at its end).
  let colons = 0;
  // The last character of code so far (comments aside).
  let last = -1;
  let i = lineStart;
  const startStatement = (at: number): void => {
    atStart = true;
    lineStart = at;
    colons = 0;
  };
  while (i < n) {
    NEXT.lastIndex = i;
    const m = NEXT.exec(text);
    const j = m ? m.index : n;
    const c = m ? text[j] : '';
    // A string's prefix (`rb"..."`) is part of it, not code before it.
    let begins = j;
    if (c === '"' || c === "'") {
      while (begins > i && isIdentPart(text.charCodeAt(begins - 1))) begins--;
      const kind = prefixKind(text.slice(begins, j));
      if (kind === 'name') begins = j;
      else if (kind === 'unsure') return null;
    }
    const code = lastNonBlank(text, i, begins);
    if (code >= 0) {
      atStart = false;
      last = code;
    }
    if (!m) break;
    if (c === '#') {
      let end = j;
      while (end < n && text[end] !== '\n' && text[end] !== '\r') end++;
      cuts.push(j, end);
      i = end;
    } else if (c === '\n' || c === '\r') {
      if (depth === 0 && (atStart || endsStatement(text, lineStart, last, colons))) startStatement(j + 1);
      i = j + 1;
    } else if (c === '\\') {
      i = continuation(text, j);
      if (i === UNSURE) return null;
    } else if (c === '"' || c === "'") {
      const run = stringRun(text, begins);
      if (run === null) return null;
      if (atStart && depth === 0 && run.plain && isWholeStatement(text, run.end)) cuts.push(begins, run.end);
      atStart = false;
      last = run.end - 1;
      i = run.end;
    } else if (c === '`') {
      // Python 2's repr quotes: a string to tree-sitter, nothing to CPython 3.
      return null;
    } else {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ':') {
        if (depth === 0 && text[j + 1] !== '=') colons++;
      } else if (c !== ';' && --depth < 0) return null;
      last = j;
      atStart = false;
      if (c === ';' && depth === 0) startStatement(j + 1);
      i = j + 1;
    }
  }
  return depth === 0 ? cuts : null;
}

/** The last offset in [from, to) that is no space, tab or form feed; -1 when none. */
function lastNonBlank(text: string, from: number, to: number): number {
  for (let k = to - 1; k >= from; k--) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 12) return k;
  }
  return -1;
}

/**
 * Whether the code from `start` to `last` (its last character) can end a statement at a line
 * break: it ends with a bracket, a string, a name that is no operator word, a number, `...`,
 * or the colon of a block header. Anything else, tree-sitter may read on into the next line, as
 * it does with a block header that has not reached its colon.
 */
function endsStatement(text: string, start: number, last: number, colons: number): boolean {
  if (last < start) return true;
  const header = headerWord(text, start, last);
  const c = text[last];
  if (c === ':') return colons === 1 && header !== null && isBlockHeader(text.slice(header.end, last), header.word);
  if (header && colons === 0) return false;
  if (c === ')' || c === ']' || c === '}' || c === '"' || c === "'" || c === ';') return true;
  if (c === '.') return text[last - 1] === '.' && text[last - 2] === '.';
  if (!isIdentPart(text.charCodeAt(last))) return false;
  let k = last;
  while (k > start && isIdentPart(text.charCodeAt(k - 1))) k--;
  const word = text.slice(k, last + 1);
  // `1or`: a number, then a word, to tree-sitter. Digits alone end a statement.
  if (/^[0-9]/.test(word)) return /^[0-9_]+$/.test(word);
  return !GOES_ON.has(word);
}

const FIRST_WORD = /[ \t\f]*([A-Za-z_][A-Za-z0-9_]*)/y;

/** The compound statement's word that opens the statement at `start` (a whole name, not `match.x`), and where it ends. */
function headerWord(text: string, start: number, last: number): { word: string; end: number } | null {
  FIRST_WORD.lastIndex = start;
  const m = FIRST_WORD.exec(text);
  if (!m || !COMPOUND.has(m[1])) return null;
  const end = start + m[0].length;
  if (end <= last && (isIdentPart(text.charCodeAt(end)) || text[end] === '.')) return null;
  return { word: m[1], end };
}

/**
 * What lies between a block header's word and its colon (the line's only one outside brackets):
 * something, but for `else`, `try` and `finally`; and no `lambda`, whose colon that could be.
 */
function isBlockHeader(rest: string, word: string): boolean {
  if (/\blambda\b/.test(rest)) return false;
  const tokens = rest.replace(/\\\r?\n|\\\r/g, '');
  return BARE.has(word) ? /^[ \t\f]*$/.test(tokens) : /\S/.test(tokens);
}

/** Block headers with nothing between their word and their colon. */
const BARE = new Set(['else', 'try', 'finally']);

/**
 * The letters just before a quote: a name (`print"x"`: a name, then a string), a string's prefix
 * (none, `rb`, `f`), or one that tree-sitter takes and CPython does not (`uf`, `bu`).
 */
function prefixKind(word: string): 'name' | 'prefix' | 'unsure' {
  if (!word || PLAIN_PREFIX.test(word) || FORMATTED_PREFIX.test(word)) return 'prefix';
  return ANY_PREFIX.test(word) ? 'unsure' : 'name';
}

/** After a `\` outside a string: past the line break it continues, or UNSURE when none follows. */
function continuation(text: string, at: number): number {
  if (text[at + 1] === '\n') return at + 2;
  if (text[at + 1] === '\r') return text[at + 2] === '\n' ? at + 3 : at + 2;
  return UNSURE;
}

/**
 * The strings from `start` on that one expression joins (`"a" "b"`, across `\` continuations),
 * where they end, and whether none is an f-string; null when one is unterminated or unsure.
 */
function stringRun(text: string, start: number): { end: number; plain: boolean } | null {
  let i = start;
  let plain = true;
  for (;;) {
    let q = i;
    while (!isQuote(text[q])) q++;
    const isF = /[fFtT]/.test(text.slice(i, q));
    if (isF) plain = false;
    const end = stringEnd(text, q, isF);
    if (end === UNSURE) return null;
    i = end;
    // Another string after blanks or continuations joins this one.
    let j = i;
    for (;;) {
      while (text[j] === ' ' || text[j] === '\t' || text[j] === '\f') j++;
      if (text[j] !== '\\') break;
      const next = continuation(text, j);
      if (next === UNSURE) return null;
      j = next;
    }
    let k = j;
    while (k < text.length && isIdentPart(text.charCodeAt(k))) k++;
    const kind = isQuote(text[k] ?? '') ? prefixKind(text.slice(j, k)) : 'name';
    if (kind === 'unsure') return null;
    if (kind === 'name') return { end: i, plain };
    i = j;
  }
}

/** Whether the statement ends after a string that ends at `at`: a line break, a comment, `;`, or the end. */
function isWholeStatement(text: string, at: number): boolean {
  let i = at;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\f') i++;
  const c = text[i];
  return c === undefined || c === '\n' || c === '\r' || c === '#' || c === ';';
}

const IN_STRING = /[\\'"\n\r]/g;
const IN_F_STRING = /[\\'"\n\r{]/g;

/** Past the string whose opening quote is at `quote`, or UNSURE. */
function stringEnd(text: string, quote: number, isF: boolean): number {
  const q = text[quote];
  const triple = text[quote + 1] === q && text[quote + 2] === q;
  const stops = isF ? IN_F_STRING : IN_STRING;
  let i = quote + (triple ? 3 : 1);
  for (;;) {
    stops.lastIndex = i;
    const m = stops.exec(text);
    if (!m) return UNSURE;
    i = m.index;
    const c = text[i];
    if (c === '\\') {
      // In an f-string `\{` still opens a field to Python 3.12 and tree-sitter, and `\N{...}` is no field.
      if (isF && (text[i + 1] === '{' || text[i + 1] === '}' || text[i + 1] === 'N')) return UNSURE;
      i += text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (c === q) {
      if (!triple) return i + 1;
      if (text[i + 1] === q && text[i + 2] === q) return i + 3;
    } else if (c === '\n' || c === '\r') {
      if (!triple) return UNSURE;
    } else if (c === '{') {
      if (text[i + 1] === '{') {
        i += 2;
        continue;
      }
      i = interpolationEnd(text, i + 1, q, triple);
      if (i === UNSURE) return UNSURE;
      continue;
    }
    i++;
  }
}

/**
 * Past the `}` that closes an f-string's replacement field opened before `start`, or UNSURE.
 * Strings inside it are read when quoted unlike the outer string, as Python before 3.12 requires
 * (in a triple-quoted one, unlike its three quotes). Anything another version could read
 * otherwise makes the scan unsure: the outer quote, a comment, a `\`, a line break in a
 * one-line string.
 */
function interpolationEnd(text: string, start: number, outer: string, triple: boolean): number {
  const n = text.length;
  let depth = 0;
  let i = start;
  while (i < n) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    } else if (c === ':' && depth === 0) return formatSpecEnd(text, i + 1, outer, triple);
    else if (c === '#' || c === '\\') return UNSURE;
    else if (c === outer && (!triple || (text[i + 1] === outer && text[i + 2] === outer))) return UNSURE;
    else if (!triple && (c === '\n' || c === '\r')) return UNSURE;
    else if (isQuote(c)) {
      const prefix = prefixBefore(text, i, start);
      if (prefixKind(prefix) === 'unsure') return UNSURE;
      const end = stringEnd(text, i, /[fFtT]/.test(prefix));
      if (end === UNSURE) return UNSURE;
      i = end;
      continue;
    }
    i++;
  }
  return UNSURE;
}

/** The letters just before a quote inside a replacement field (its string's prefix). */
function prefixBefore(text: string, quote: number, limit: number): string {
  let k = quote;
  while (k > limit && isIdentPart(text.charCodeAt(k - 1))) k--;
  return text.slice(k, quote);
}

/** A replacement field's format spec (`:>{width}`), which may hold fields of its own; past its `}`. */
function formatSpecEnd(text: string, start: number, outer: string, triple: boolean): number {
  const n = text.length;
  let i = start;
  while (i < n) {
    const c = text[i];
    if (c === '}') return i + 1;
    if (c === '{') {
      i = interpolationEnd(text, i + 1, outer, triple);
      if (i === UNSURE) return UNSURE;
      continue;
    }
    if (c === outer || c === '\\' || (!triple && (c === '\n' || c === '\r'))) return UNSURE;
    i++;
  }
  return UNSURE;
}
