// Every fix is checked before it is applied: the fixed text must have no more syntax problems
// than the file had (what CPython rejects, not only what tree-sitter notices). The CLI and the
// ESLint plugin both take their fixes from here, so neither can write a file that parses worse.
import type { Edit, Fix } from '../model/fixes.js';
import { applyFixesOnce } from './apply-fixes.js';
import type { Diagnostic } from './run.js';

/** Full parses of the fixed text one file's check may cost, by default. */
const MAX_PARSES = 12;

const proven = new WeakSet<Fix>();

/** The fix was applied to the text and parsed no worse: it may be applied. */
export function isVerified(fix: Fix | null): fix is Fix {
  return !!fix && proven.has(fix);
}

/**
 * Withhold (set to null) the fixes that would make `text` parse worse than `baseline` problems,
 * and mark the ones proven sound; returns how many were withheld. Fixes that do not conflict
 * are checked together with one parse, and a failing batch is bisected. Fixes that conflict with
 * a proven one stay unproven when the budget runs out: they are applied in a later pass, after
 * they are rendered and checked again on the text that pass left.
 */
export function verifyFixes(
  text: string,
  diagnostics: Diagnostic[],
  baseline: number,
  /** Syntax problems of the text with `edits` (in source order) made: the fixed text. */
  count: (text: string, edits: readonly Edit[]) => number,
  maxParses = MAX_PARSES,
): number {
  // No parse to spend: nothing is withheld, and nothing is proven.
  if (maxParses <= 0) return 0;
  let withheld = 0;
  let budget = maxParses;
  const drop = (d: Diagnostic): void => {
    withheld++;
    d.fix = null;
    if (d.impact) d.impact = { ...d.impact, after: null };
  };
  const sound = (batch: Diagnostic[]): boolean => {
    budget--;
    const fixed = applyFixesOnce(
      text,
      batch.map((d) => d.fix as Fix),
    );
    return count(fixed.text, fixed.edits) <= baseline;
  };
  const bisect = (batch: Diagnostic[]): void => {
    if (batch.length === 1 || budget <= 0) {
      for (const d of batch) drop(d);
      return;
    }
    const half = batch.length >> 1;
    for (const part of [batch.slice(0, half), batch.slice(half)]) {
      if (budget > 0 && sound(part)) for (const d of part) proven.add(d.fix as Fix);
      else bisect(part);
    }
  };
  let pending = diagnostics.filter((d) => d.fix);
  let first = true;
  while (pending.length && (first || budget > 0)) {
    const { chosen } = applyFixesOnce(
      text,
      pending.map((d) => d.fix as Fix),
    );
    const taken = new Set(chosen);
    const round = pending.filter((d) => taken.has(d.fix as Fix));
    if (!round.length) {
      // Edits out of range: nothing can apply them.
      for (const d of pending) drop(d);
      break;
    }
    if (sound(round)) for (const d of round) proven.add(d.fix as Fix);
    else bisect(round);
    const done = new Set(round);
    pending = pending.filter((d) => !done.has(d));
    first = false;
  }
  return withheld;
}
