// `# noqa`, `# noqa: MLF101, unbatched-params` on any line of what is reported, and
// `# mlflint: disable-file` or `# mlflint: disable-file=MLF101` anywhere in the file's comments.
// ESLint's directives for mlflint's rules (`// eslint-disable-next-line mlflint/unbatched-tags`,
// `-line`, `eslint-disable` ... `eslint-enable` blocks, in Python with `#`) hold for the CLI too,
// as ESLint applies them: to the line a finding starts on, or from the comment on.
// A malformed or unknown directive is a warning, never silently a blanket suppression of more
// (or less) than was written.
import type { AnyRule } from './define-rule.js';
import { isOwnCode, parseNoqa } from './noqa.js';
import { selectorMatches, type Registry } from './registry.js';
import type { Comment, Position, Range } from '../model/types.js';

export interface Suppressions {
  /** `true` for the whole file, or the selectors it lists. */
  disableFile: boolean | string[];
  /** line → null (blanket `# noqa`) or the listed selectors. */
  lines: Map<number, string[] | null>;
  /** The comment of each line's directive. */
  comments: Map<number, Comment>;
  /** Directives that are not what they look like: said on stderr. */
  warnings: { message: string; at: Position }[];
  /** ESLint's directives: line → null (every rule) or the rule names; and disabled stretches. */
  eslint: {
    lines: Map<number, string[] | null>;
    blocks: { from: Position; to: Position | null; rules: string[] | null }[];
  };
}

const ESLINT =
  /^(?:#|\/\/|\/\*)\s*(eslint-disable-next-line|eslint-disable-line|eslint-disable|eslint-enable)(?=\s|\*\/|$)([\s\S]*?)(?:\*\/)?\s*$/;

/** An ESLint directive's rules that are mlflint's (`mlflint/<name>`): null for every rule, [] for none of them. */
function eslintRules(list: string): string[] | null {
  const names = list
    .split(/\s--\s|\s--$/)[0]
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (!names.length) return null;
  return names.filter((n) => n.startsWith('mlflint/')).map((n) => n.slice('mlflint/'.length));
}

function eslintDirectives(comments: Comment[]): Suppressions['eslint'] {
  const lines = new Map<number, string[] | null>();
  const blocks: Suppressions['eslint']['blocks'] = [];
  const open: Suppressions['eslint']['blocks'] = [];
  for (const c of comments) {
    const m = ESLINT.exec(c.text);
    if (!m) continue;
    const rules = eslintRules(m[2]);
    if (rules && !rules.length) continue;
    const line =
      m[1] === 'eslint-disable-line'
        ? c.range.start.line
        : m[1] === 'eslint-disable-next-line'
          ? c.range.end.line + 1
          : 0;
    if (line) {
      const had = lines.get(line);
      lines.set(line, had === null || rules === null ? null : [...(had ?? []), ...rules]);
    } else if (m[1] === 'eslint-disable') {
      const block = { from: c.range.end, to: null, rules };
      open.push(block);
      blocks.push(block);
    } else {
      // `eslint-enable` ends every stretch it names (or all of them).
      for (const b of open.splice(0)) {
        if (rules === null || b.rules === null) {
          b.to = c.range.start;
          continue;
        }
        const ended = b.rules.filter((r) => rules.includes(r));
        const kept = b.rules.filter((r) => !rules.includes(r));
        if (ended.length) blocks.push({ from: b.from, to: c.range.start, rules: ended });
        b.rules = kept;
        if (kept.length) open.push(b);
        else b.to = b.from;
      }
    }
  }
  return { lines, blocks };
}

const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.column < b.column);

/** Does one of ESLint's directives silence a finding of `rule` that starts at `start`? */
function eslintSilences(e: Suppressions['eslint'], start: Position, rule: AnyRule): boolean {
  const names = e.lines.get(start.line);
  if (names === null || names?.some((n) => selectorMatches(n, rule))) return true;
  return e.blocks.some(
    (b) =>
      !before(start, b.from) &&
      (b.to === null || before(start, b.to)) &&
      (b.rules === null || b.rules.some((n) => selectorMatches(n, rule))),
  );
}

const DISABLE_FILE = /(?:#|\/\/)\s*mlflint\s*:\s*disable-file\b(?:\s*=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*))?/i;

const split = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);

export function parseSuppressions(comments: Comment[], registry: Registry): Suppressions {
  const lines = new Map<number, string[] | null>();
  const byLine = new Map<number, Comment>();
  const warnings: Suppressions['warnings'] = [];
  let disableFile: Suppressions['disableFile'] = false;
  const unknown = (codes: string[], at: Position): void => {
    for (const c of codes)
      if (!registry.isKnown(c))
        warnings.push({ message: `unknown rule \`${c}\` in a suppression comment${registry.hint(c)}`, at });
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
      warnings.push({
        message: `\`# noqa ${d.withoutColon.join(' ')}\` has no colon, so it silences every rule on this line; write \`# noqa: ${d.withoutColon.join(', ')}\``,
        at: c.range.start,
      });
    }
    // Other tools' codes (`F401`) neither silence nor are judged here.
    const codes = d.codes ? d.codes.filter(isOwnCode) : null;
    if (codes) unknown(codes, c.range.start);
    lines.set(c.range.start.line, codes);
  }
  return { disableFile, lines, comments: byLine, warnings, eslint: eslintDirectives(comments) };
}

/** Which directives silenced something: line → the selectors used (`*` for a blanket noqa). */
export type Usage = Map<number, Set<string>>;

/**
 * Is a finding of `rule` at `range` (a multi-line call: a `noqa` on any of its lines) suppressed?
 * What `noqa` silenced it is recorded in `used`. ESLint's directives count unless `eslint` is
 * false (inside ESLint, which applies them itself and reports the unused ones).
 */
export function isSuppressed(s: Suppressions, range: Range, rule: AnyRule, used?: Usage, eslint = true): boolean {
  if (s.disableFile === true || (s.disableFile && s.disableFile.some((c) => selectorMatches(c, rule)))) return true;
  if (eslint && !rule.last && eslintSilences(s.eslint, range.start, rule)) return true;
  for (let line = range.start.line; line <= range.end.line; line++) {
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
export function unusedSuppressions(
  s: Suppressions,
  used: Usage,
  ran: readonly AnyRule[],
  registry: Registry,
): UnusedSuppression[] {
  const out: UnusedSuppression[] = [];
  for (const [line, codes] of s.lines) {
    const comment = s.comments.get(line);
    if (!comment) continue;
    const got = used.get(line);
    // A blanket `# noqa` may be there for another linter: it is never judged.
    if (codes === null || codes.length === 0) continue;
    const judged = codes.filter((c) => !registry.isKnown(c) || ran.some((r) => selectorMatches(c, r)));
    const unused = judged.filter((c) => !got?.has(c));
    // Another tool's codes in the same directive keep it.
    const listed = parseNoqa(comment.text)?.codes?.length ?? codes.length;
    if (unused.length) out.push({ comment, unused, all: unused.length === listed });
  }
  return out;
}
