// Apply fixes: non-overlapping edits, in passes until nothing changes (Ruff's and ESLint's
// source-code-fixer approach). Pure: text in, text out.
import type { Edit, Fix } from '../model/fixes.js';

/** What a pass needs of a fix: its edits. */
type Edits = { edits: readonly Edit[] };

export interface Applied<F extends Edits = Fix> {
  text: string;
  /** Fixes applied in this pass. */
  applied: number;
  /** The fixes applied, in source order. */
  chosen: F[];
}

/** Two edits conflict when they overlap, or insert at the same point (unless they insert the same text). */
function conflicts(a: Edit, b: Edit): boolean {
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && !same(a, b));
}

/** The same insert twice (two fixes that need one import line): made once, and no conflict. */
function same(a: Edit, b: Edit): boolean {
  return a.start === a.end && b.start === b.end && a.start === b.start && a.text === b.text;
}

export function wanted(fix: Fix | null, unsafe: boolean): fix is Fix {
  return !!fix && (fix.safety === 'safe' || unsafe);
}

/** One pass: take fixes in source order, skip any that conflicts with one already taken. */
export function applyFixesOnce<F extends Edits>(text: string, fixes: readonly F[]): Applied<F> {
  const chosen: Edit[] = [];
  const taken: F[] = [];
  const sorted = [...fixes].sort(
    (a, b) => Math.min(...a.edits.map((e) => e.start)) - Math.min(...b.edits.map((e) => e.start)),
  );
  for (const f of sorted) {
    if (f.edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start)) continue;
    if (f.edits.some((e) => chosen.some((c) => conflicts(c, e)))) continue;
    chosen.push(...f.edits.filter((e) => !chosen.some((c) => same(c, e))));
    taken.push(f);
  }
  // In source order (inserts at one point keep the order they were given in), joined once:
  // linear in the text, however many edits.
  const order = chosen
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const pieces: string[] = [];
  let at = 0;
  for (const { e } of order) {
    pieces.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  pieces.push(text.slice(at));
  return { text: pieces.join(''), applied: taken.length, chosen: taken };
}
