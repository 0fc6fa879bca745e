// Text facts that every fix renderer needs: the file's line ending and indent unit, the
// indentation at an offset, and a name not yet used in the file.
import type { Edit } from '../model/fixes.js';
import { lineEnd, lineStart, nextLineStart } from './lines.js';

export class SourceText {
  readonly eol: string;
  readonly unit: string;

  /** `comment` starts a line comment in the language (`#`, `//`). */
  constructor(
    readonly text: string,
    defaultUnit: string,
    private readonly comment: string,
  ) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.unit = indentUnit(text) ?? defaultUnit;
  }

  /** The whitespace that starts the line of `offset`, up to `offset`. */
  indentAt(offset: number): string {
    return /^[ \t]*/.exec(this.text.slice(lineStart(this.text, offset), offset))?.[0] ?? '';
  }

  /** Indent every line after the first by one unit; blank lines stay blank. */
  indentFollowing(body: string): string {
    return body
      .split('\n')
      .map((l, i) => (i === 0 || !l.trim() ? l : this.unit + l))
      .join('\n');
  }

  /** Nothing but indentation before `start` on its line, nothing but a comment after `end` on its. */
  ownLines(start: number, end: number): boolean {
    if (this.text.slice(lineStart(this.text, start), start).trim()) return false;
    const rest = this.text.slice(end, lineEnd(this.text, end)).trim();
    return !rest || rest.startsWith(this.comment);
  }

  /** Delete the whole lines of [start, end) (a trailing comment with them) when nothing else is on them. */
  deleteLines(start: number, end: number): Edit | null {
    return this.ownLines(start, end)
      ? { start: lineStart(this.text, start), end: nextLineStart(this.text, end), text: '' }
      : null;
  }

  /** A statement's text to be written `by` columns further left: its later lines lose that much indentation. */
  dedented(body: string, by: number): string {
    return body
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.slice(Math.min(by, l.length - l.trimStart().length))))
      .join('\n');
  }

  /** `base`, or `base<sep>2`, `base<sep>3`, ... when the file (or the part of it given) already uses it. */
  freshName(base: string, sep: string, within = this.text): string {
    let name = base;
    for (let i = 2; new RegExp(`\\b${name}\\b`).test(within); i++) name = `${base}${sep}${i}`;
    return name;
  }
}

/**
 * What a block indents by: the step from a line that opens a block (ends in `:` or `{`) to the
 * next line. An indented line that opens no block may be a bracket's continuation, aligned anywhere.
 */
function indentUnit(text: string): string | undefined {
  const opener = /^([ \t]*)\S.*[:{][ \t]*(?:#.*)?\r?\n(?:[ \t]*\r?\n)*([ \t]*)\S/gm;
  for (let m = opener.exec(text), k = 0; m && k < 50; m = opener.exec(text), k++) {
    const [outer, inner] = [m[1], m[2]];
    if (inner.length > outer.length && inner.startsWith(outer) && /^( +|\t+)$/.test(inner.slice(outer.length)))
      return inner.slice(outer.length);
    opener.lastIndex = m.index + m[0].length - m[2].length - 1;
  }
  // With no block in the file, an indented line is a continuation: it says nothing of the unit.
  return undefined;
}

/** The edit for an `edit-comment` intent: every language writes comments the same way here. */
export function commentEdit(
  text: string,
  comment: { range: { start: { offset: number }; end: { offset: number } } },
  replacement: string | null,
): Edit[] {
  const start = comment.range.start.offset;
  const end = comment.range.end.offset;
  if (replacement !== null) return [{ start, end, text: replacement }];
  const from = lineStart(text, start);
  if (!text.slice(from, start).trim()) return [{ start: from, end: nextLineStart(text, end), text: '' }];
  let before = start;
  while (before > from && (text[before - 1] === ' ' || text[before - 1] === '\t')) before--;
  return [{ start: before, end, text: '' }];
}
