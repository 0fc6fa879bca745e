// What CPython's tokenizer rejects and tree-sitter-python recovers from without a word:
// indentation (IndentationError, TabError), `\` continuations, unterminated strings, brackets,
// and a block header with no block. One linear scan, no tokens kept.

export interface TokenProblem {
  message: string;
  /** UTF-16 offsets of the offending text. */
  start: number;
  end: number;
  /** Past CPython's nesting limits: the file must not reach tree-sitter at all. */
  fatal?: boolean;
  /** A notebook cell's own (see CELL_LEFT_OPEN): reported even when not the file's first. */
  cell?: boolean;
}

import { CELL_LEFT_OPEN } from './notebook-marks.js';

const MAX_INDENT = 100;
const MAX_LEVEL = 200;

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** Problems in source order; at most `limit` (the first is where CPython would stop). */
export function pythonTokenProblems(text: string, limit = 20): TokenProblem[] {
  const problems: TokenProblem[] = [];
  const report = (message: string, start: number, end = start + 1, cell?: boolean): void => {
    if (problems.length < limit)
      problems.push({ message, start, end: Math.min(Math.max(end, start), text.length), ...(cell && { cell }) });
  };
  const n = text.length;
  const cols = [0];
  const alts = [0];
  const brackets: { ch: string; at: number }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let atLineStart = true;
  // The last significant character of the logical line, and where its header colon was.
  let last = '';
  let expectBlock = -1;
  // What began on an earlier line and ended on this one: openers closed, strings ended.
  let carried: { at: number; message: string }[] = [];
  let lineBegins = i;

  const string = (start: number, quote: number): number => {
    const end = scanString(text, start, quote, report);
    const lastBreak = text.lastIndexOf('\n', end - 1);
    if (lastBreak >= start) {
      carried = [{ at: start, message: 'unterminated triple-quoted string literal' }];
      lineBegins = lastBreak + 1;
    }
    return end;
  };

  const newlineLength = (at: number): number =>
    text[at] === '\r' ? (text[at + 1] === '\n' ? 2 : 1) : text[at] === '\n' ? 1 : 0;

  while (i < n) {
    if (atLineStart) {
      atLineStart = false;
      let col = 0;
      let alt = 0;
      // CPython: a `\` in the indentation continues it on the next line, and the first one
      // found, when past column 0, sets the level.
      let contCol = 0;
      let contAlt = 0;
      let j = i;
      for (; j < n; j++) {
        const c = text[j];
        if (c === ' ') {
          col++;
          alt++;
        } else if (c === '\t') {
          col = (Math.floor(col / 8) + 1) * 8;
          alt++;
        } else if (c === '\f') {
          col = 0;
          alt = 0;
        } else if (c === '\\' && newlineLength(j + 1)) {
          contCol ||= col;
          contAlt ||= alt;
          j += newlineLength(j + 1);
        } else break;
      }
      if (contCol) {
        col = contCol;
        alt = contAlt;
      }
      // Blank and comment-only lines do not indent.
      if (j >= n || text[j] === '#' || newlineLength(j)) {
        i = j;
        continue;
      }
      const top = cols[cols.length - 1];
      const altTop = alts[alts.length - 1];
      if (col > top) {
        if (expectBlock < 0) report('unexpected indent', i, j);
        else if (alt <= altTop) report('inconsistent use of tabs and spaces in indentation', i, j);
        // CPython's limits; tree-sitter's scanner aborts the process a little beyond them.
        if (cols.length >= MAX_INDENT) {
          problems.length = 0;
          problems.push({ message: 'too many levels of indentation', start: i, end: j, fatal: true });
          return problems;
        }
        cols.push(col);
        alts.push(alt);
      } else {
        if (expectBlock >= 0) report('expected an indented block', j, j + 1);
        while (col < cols[cols.length - 1]) {
          cols.pop();
          alts.pop();
        }
        if (col !== cols[cols.length - 1]) {
          report('unindent does not match any outer indentation level', i, j);
          cols.push(col);
          alts.push(alt);
        } else if (alt !== alts[alts.length - 1]) report('inconsistent use of tabs and spaces in indentation', i, j);
      }
      expectBlock = -1;
      i = j;
      continue;
    }
    const c = text[i];
    const code = text.charCodeAt(i);
    const nl = newlineLength(i);
    if (nl) {
      carried = [];
      lineBegins = i + nl;
      if (!brackets.length && last) {
        if (last === ':') expectBlock = i;
        last = '';
        atLineStart = true;
      } else if (!brackets.length) atLineStart = true;
      i += nl;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') {
      if (carried.length && text.startsWith(CELL_LEFT_OPEN, i))
        for (const o of carried) report(o.message, o.at, o.at + 1, true);
      while (i < n && !newlineLength(i)) i++;
      continue;
    }
    if (c === '\\') {
      const after = newlineLength(i + 1);
      if (after) i += 1 + after;
      else if (i + 1 >= n) {
        report('unexpected EOF while parsing', i);
        i++;
      } else {
        report('unexpected character after line continuation character', i, i + 2);
        i += 2;
      }
      continue;
    }
    if (code === 0) {
      report('source code cannot contain null bytes', i);
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      i = string(i, i);
      last = 's';
      continue;
    }
    if (isIdentStart(code)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      if ((text[j] === '"' || text[j] === "'") && PREFIX.test(text.slice(i, j))) {
        i = string(i, j);
        last = 's';
        continue;
      }
      i = j;
      last = 'x';
      continue;
    }
    if (code >= 48 && code <= 57) {
      let j = i + 1;
      while (
        j < n &&
        (isIdentPart(text.charCodeAt(j)) ||
          text[j] === '.' ||
          ((text[j] === '+' || text[j] === '-') && /[eE]/.test(text[j - 1]) && !/^0[xX]/.test(text.slice(i, j))))
      )
        j++;
      const literal = text.slice(i, j);
      // `.02` is a float: its digits follow the point.
      if (text[i - 1] !== '.' && /^0+[1-9][0-9_]*$/.test(literal))
        report('leading zeros in decimal integer literals are not permitted', i, j);
      i = j;
      last = 'x';
      continue;
    }
    if (c in OPENERS) {
      if (brackets.length >= MAX_LEVEL) {
        problems.length = 0;
        problems.push({ message: 'too many nested parentheses', start: i, end: i + 1, fatal: true });
        return problems;
      }
      brackets.push({ ch: c, at: i });
      last = c;
      i++;
      continue;
    }
    if (c in CLOSERS) {
      const open = brackets[brackets.length - 1];
      if (!open) report(`unmatched '${c}'`, i);
      else if (open.ch !== CLOSERS[c])
        report(`closing parenthesis '${c}' does not match opening parenthesis '${open.ch}'`, i);
      if (open) brackets.pop();
      if (open && open.at < lineBegins) carried.push({ at: open.at, message: `'${open.ch}' was never closed` });
      last = c;
      i++;
      continue;
    }
    if (c === ':' && text[i + 1] === '=') {
      last = '=';
      i += 2;
      continue;
    }
    last = c;
    i++;
  }
  for (const open of brackets) report(`'${open.ch}' was never closed`, open.at);
  if (expectBlock >= 0 || last === ':') report('expected an indented block', Math.max(0, n - 1), n);
  return problems.sort((a, b) => a.start - b.start);
}

/** Past the string that starts at `start` (its quote at `quote`); reports an unterminated one. */
function scanString(
  text: string,
  start: number,
  quote: number,
  report: (m: string, s: number, e?: number) => void,
): number {
  const q = text[quote];
  const triple = text[quote + 1] === q && text[quote + 2] === q;
  const n = text.length;
  let i = quote + (triple ? 3 : 1);
  while (i < n) {
    const c = text[i];
    if (c === '\\') {
      i += text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (triple) {
      if (c === q && text[i + 1] === q && text[i + 2] === q) return i + 3;
    } else {
      if (c === q) return i + 1;
      if (c === '\n' || c === '\r') break;
    }
    i++;
  }
  report(
    triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal',
    start,
    triple ? start + 3 : Math.min(i, n),
  );
  return triple ? n : i;
}
