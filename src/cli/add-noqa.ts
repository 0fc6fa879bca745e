// `--add-noqa`: a `# noqa: <codes>` on every line with a finding, so an old codebase adopts
// mlflint in one commit and new code is held to it. The directive goes at the end of the
// finding's last line (any line of a multi-line call counts), merges into a `noqa` already
// there, keeps the line ending, and is checked like a fix: a file that would parse worse is
// left as it was.
import { adapterFor, lineEnd, lineStart, lintText, parseNoqa, type LintOptions } from '../index.js';

export interface AddedNoqa {
  text: string;
  added: number;
  /** Why nothing was written, when the directives would have broken the file. */
  refused?: string;
}

export function addNoqa(path: string, text: string, options: LintOptions): AddedNoqa {
  const result = lintText(path, text, options);
  const byLine = new Map<number, { end: number; codes: Set<string> }>();
  for (const d of result.diagnostics) {
    // A syntax error cannot be silenced, and an unused noqa is mended, not silenced.
    if (d.code === 'MLF000' || d.code === 'MLF001') continue;
    const at = d.range.end.offset;
    const end = lineEnd(text, at);
    const entry = byLine.get(end) ?? { end, codes: new Set<string>() };
    entry.codes.add(d.code);
    byLine.set(end, entry);
  }
  if (!byLine.size) return { text, added: 0 };
  const marker = adapterFor(path)?.id === 'python' ? '#' : '//';
  const pieces: string[] = [];
  let from = 0;
  let added = 0;
  for (const { end, codes } of [...byLine.values()].sort((a, b) => a.end - b.end)) {
    const start = lineStart(text, end);
    const next = withNoqa(text.slice(start, end), [...codes], marker);
    if (next === null) continue;
    pieces.push(text.slice(from, start), next);
    from = end;
    added++;
  }
  pieces.push(text.slice(from));
  const out = pieces.join('');
  const count = adapterFor(path)?.countSyntaxProblems(path, out) ?? 0;
  if (count > result.syntaxErrors)
    return { text, added: 0, refused: 'the noqa comments would make the file parse worse; nothing was changed' };
  return { text: out, added };
}

/**
 * The line with a `noqa` for the codes: merged into the one it has, or added at its end. Null
 * when the line ends in a `\`, after which nothing may follow.
 */
export function withNoqa(line: string, codes: string[], marker: '#' | '//'): string | null {
  if (/\\\s*$/.test(line)) return null;
  const existing = parseNoqa(line);
  if (existing?.codes) {
    const have = existing.codes;
    const all = [...have, ...codes.filter((c) => !have.includes(c))];
    return `${line.slice(0, existing.start)}${existing.marker} noqa: ${all.join(', ')}${line.slice(existing.end)}`;
  }
  return `${line.replace(/\s+$/, '')}  ${marker} noqa: ${codes.join(', ')}`;
}
