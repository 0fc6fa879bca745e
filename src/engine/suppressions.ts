// `# noqa`, `# noqa: MLF101, unbatched-params` on the reported line, and
// `# mlflint: disable-file` anywhere in the file's comments.
import type { AnyRule } from './define-rule.js';
import { selectorMatches } from './registry.js';
import type { Comment } from '../model/types.js';

export interface Suppressions {
  disableFile: boolean;
  /** line → null (blanket `# noqa`) or the listed selectors. */
  lines: Map<number, string[] | null>;
}

const NOQA = /(?:#|\/\/)\s*noqa(?::\s*([A-Za-z0-9_\-]+(?:[\s,]+[A-Za-z0-9_\-]+)*))?/i;
const DISABLE_FILE = /(?:#|\/\/)\s*mlflint\s*:\s*disable-file\b/i;

export function parseSuppressions(comments: Comment[]): Suppressions {
  const lines = new Map<number, string[] | null>();
  let disableFile = false;
  for (const c of comments) {
    if (DISABLE_FILE.test(c.text)) disableFile = true;
    const m = NOQA.exec(c.text);
    if (!m) continue;
    const codes = m[1] ? m[1].split(/[\s,]+/).filter(Boolean) : null;
    lines.set(c.range.start.line, codes);
  }
  return { disableFile, lines };
}

export function isSuppressed(s: Suppressions, line: number, rule: AnyRule): boolean {
  if (s.disableFile) return true;
  if (!s.lines.has(line)) return false;
  const codes = s.lines.get(line);
  return codes === null || codes === undefined || codes.some((c) => selectorMatches(c, rule));
}
