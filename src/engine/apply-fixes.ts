// Apply fixes: non-overlapping edits, in passes until nothing changes (Ruff's and ESLint's
// source-code-fixer approach). Pure: text in, text out.
import type { Edit, Fix } from '../model/fixes.js';

export interface Applied {
  text: string;
  /** Fixes applied in this pass. */
  applied: number;
  /** The fixes applied, in source order. */
  chosen: Fix[];
}

/** Two edits conflict when they overlap, or insert at the same point. */
function conflicts(a: Edit, b: Edit): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

export function wanted(fix: Fix | null, unsafe: boolean): fix is Fix {
  return !!fix && (fix.safety === 'safe' || unsafe);
}

/** One pass: take fixes in source order, skip any that conflicts with one already taken. */
export function applyFixesOnce(text: string, fixes: Fix[]): Applied {
  const chosen: Edit[] = [];
  const taken: Fix[] = [];
  const sorted = [...fixes].sort((a, b) => Math.min(...a.edits.map((e) => e.start)) - Math.min(...b.edits.map((e) => e.start)));
  for (const f of sorted) {
    if (f.edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start)) continue;
    if (f.edits.some((e) => chosen.some((c) => conflicts(c, e)))) continue;
    chosen.push(...f.edits);
    taken.push(f);
  }
  // From the end backwards; inserts at one point are applied last-first so they keep their order.
  const order = chosen.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.e.end - a.e.end || b.i - a.i);
  let out = text;
  for (const { e } of order) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied: taken.length, chosen: taken };
}
