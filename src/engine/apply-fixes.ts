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
  /** The edits made, in source order: what the fix check looks at again (see languages/python/fix-check.ts). */
  edits: Edit[];
}

/** Two edits conflict when they overlap, or insert at the same point (unless they insert the same text). */
function conflicts(a: Edit, b: Edit): boolean {
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && !same(a, b));
}

/** The same insert twice (two fixes that need one import line): made once, and no conflict. */
function same(a: Edit, b: Edit): boolean {
  return a.start === a.end && b.start === b.end && a.start === b.start && a.text === b.text;
}

/** The index of the first edit in `byStart` that starts at or after `offset`. */
function firstAtOrAfter(byStart: readonly Edit[], offset: number): number {
  let lo = 0;
  let hi = byStart.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byStart[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function conflictsWithAny(byStart: readonly Edit[], e: Edit): boolean {
  const i = firstAtOrAfter(byStart, e.start);
  // Before: only the edits at the nearest earlier start can reach past this one's start, since
  // those before them end where the next begins (one fix may insert and replace at one point).
  const before = i > 0 ? byStart[i - 1].start : -1;
  for (let j = i - 1; j >= 0 && byStart[j].start === before; j--) if (conflicts(byStart[j], e)) return true;
  for (let j = i; j < byStart.length && (byStart[j].start < e.end || byStart[j].start === e.start); j++) {
    if (conflicts(byStart[j], e)) return true;
  }
  return false;
}

/** An identical insert already chosen at `e.start` (edits from `i` on start there or later). */
function hasSame(byStart: readonly Edit[], i: number, e: Edit): boolean {
  for (let j = i; j < byStart.length && byStart[j].start === e.start; j++) if (same(byStart[j], e)) return true;
  return false;
}

export function wanted(fix: Fix | null, unsafe: boolean): fix is Fix {
  return !!fix && (fix.safety === 'safe' || unsafe);
}

/** One pass: take fixes in source order, skip any that conflicts with one already taken. */
export function applyFixesOnce<F extends Edits>(text: string, fixes: readonly F[]): Applied<F> {
  const chosen: Edit[] = [];
  // The chosen edits by start: they never overlap, so an edit can only conflict with the one
  // before where it starts and those that start before it ends. Checking all of them made a
  // file with thousands of fixes quadratic.
  const byStart: Edit[] = [];
  const taken: F[] = [];
  const sorted = fixes
    .map((f) => ({ f, at: Math.min(...f.edits.map((e) => e.start)) }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.f);
  for (const f of sorted) {
    if (f.edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start)) continue;
    if (f.edits.some((e) => conflictsWithAny(byStart, e))) continue;
    for (const e of f.edits) {
      const i = firstAtOrAfter(byStart, e.start);
      if (hasSame(byStart, i, e)) continue;
      chosen.push(e);
      byStart.splice(firstAtOrAfter(byStart, e.start + 1), 0, e);
    }
    taken.push(f);
  }
  // In source order (inserts at one point keep the order they were given in), joined once:
  // linear in the text, however many edits.
  const order = chosen
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const pieces: string[] = [];
  const edits: Edit[] = [];
  let at = 0;
  for (const { e } of order) {
    pieces.push(text.slice(at, e.start), e.text);
    edits.push(e);
    at = e.end;
  }
  pieces.push(text.slice(at));
  return { text: pieces.join(''), applied: taken.length, chosen: taken, edits };
}
