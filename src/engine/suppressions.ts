// `# noqa`, `# noqa: MLF101, unbatched-params` on any line of what is reported, and
// `# mlflint: disable-file` or `# mlflint: disable-file=MLF101` anywhere in the file's comments.
// A malformed or unknown directive is a warning, never silently a blanket suppression of more
// (or less) than was written.
import type { AnyRule } from './define-rule.js';
import { isOwnCode, parseNoqa } from './noqa.js';
import { isKnownSelector, ruleHint, selectorMatches } from './registry.js';
import type { Comment, Position } from '../model/types.js';

export interface Suppressions {
  /** `true` for the whole file, or the selectors it lists. */
  disableFile: boolean | string[];
  /** line → null (blanket `# noqa`) or the listed selectors. */
  lines: Map<number, string[] | null>;
  /** The comment of each line's directive. */
  comments: Map<number, Comment>;
  /** Directives that are not what they look like: said on stderr. */
  warnings: { message: string; at: Position }[];
}

const DISABLE_FILE = /(?:#|\/\/)\s*mlflint\s*:\s*disable-file\b(?:\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*))?/i;

const split = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);

export function parseSuppressions(comments: Comment[]): Suppressions {
  const lines = new Map<number, string[] | null>();
  const byLine = new Map<number, Comment>();
  const warnings: Suppressions['warnings'] = [];
  let disableFile: Suppressions['disableFile'] = false;
  const unknown = (codes: string[], at: Position): void => {
    for (const c of codes) if (!isKnownSelector(c)) warnings.push({ message: `unknown rule \`${c}\` in a suppression comment${ruleHint(c)}`, at });
  };
  for (const c of comments) {
    const file = DISABLE_FILE.exec(c.text);
    if (file) {
      if (!file[1]) disableFile = true;
      else if (disableFile !== true) {
        unknown(split(file[1]), c.range.start);
        disableFile = [...(disableFile || []), ...split(file[1])];
      }
    }
    const d = parseNoqa(c.text);
    if (!d) continue;
    byLine.set(c.range.start.line, c);
    if (d.withoutColon?.some(isOwnCode)) {
      // Ruff's reading of `# noqa MLF101`: a blanket noqa, with a warning that it is one.
      warnings.push({ message: `\`# noqa ${d.withoutColon.join(' ')}\` has no colon, so it silences every rule on this line; write \`# noqa: ${d.withoutColon.join(', ')}\``, at: c.range.start });
    }
    // Other tools' codes (`F401`) neither silence nor are judged here.
    const codes = d.codes ? d.codes.filter(isOwnCode) : null;
    if (codes) unknown(codes, c.range.start);
    lines.set(c.range.start.line, codes);
  }
  return { disableFile, lines, comments: byLine, warnings };
}

/** Which directives silenced something: line → the selectors used (`*` for a blanket noqa). */
export type Usage = Map<number, Set<string>>;

/**
 * Is a finding of `rule` on lines `first`..`last` (a multi-line call: any of its lines)
 * suppressed? What silenced it is recorded in `used`.
 */
export function isSuppressed(s: Suppressions, first: number, last: number, rule: AnyRule, used?: Usage): boolean {
  if (s.disableFile === true || (s.disableFile && s.disableFile.some((c) => selectorMatches(c, rule)))) return true;
  for (let line = first; line <= last; line++) {
    if (!s.lines.has(line)) continue;
    const codes = s.lines.get(line);
    // A blanket noqa cannot silence the finding that says it is unused (`last` rules judge directives).
    const hit = codes ? codes.find((c) => selectorMatches(c, rule)) : rule.last ? undefined : '*';
    if (hit === undefined) continue;
    if (used) {
      const set = used.get(line) ?? new Set<string>();
      set.add(hit);
      used.set(line, set);
    }
    return true;
  }
  return false;
}

export interface UnusedSuppression {
  comment: Comment;
  /** The listed selectors that silenced nothing. */
  unused: string[];
  /** Nothing in the directive was used: the whole `noqa` goes. */
  all: boolean;
}

/**
 * Directives that silenced nothing in a run of `ran` (the rules that ran). A selector of a rule
 * that did not run is not judged, nor a blanket noqa, nor another tool's codes.
 */
export function unusedSuppressions(s: Suppressions, used: Usage, ran: readonly AnyRule[]): UnusedSuppression[] {
  const out: UnusedSuppression[] = [];
  for (const [line, codes] of s.lines) {
    const comment = s.comments.get(line);
    if (!comment) continue;
    const got = used.get(line);
    // A blanket `# noqa` may be there for another linter: it is never judged.
    if (codes === null || codes.length === 0) continue;
    const judged = codes.filter((c) => !isKnownSelector(c) || ran.some((r) => selectorMatches(c, r)));
    const unused = judged.filter((c) => !got?.has(c));
    // Another tool's codes in the same directive keep it.
    const listed = parseNoqa(comment.text)?.codes?.length ?? codes.length;
    if (unused.length) out.push({ comment, unused, all: unused.length === listed });
  }
  return out;
}
