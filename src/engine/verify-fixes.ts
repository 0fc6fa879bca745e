// Every fix is checked before anyone sees it: applied to the text, the result must have no more
// syntax problems than the file had (what CPython rejects, not only what tree-sitter notices).
// The CLI and the ESLint plugin both get their fixes from here, so neither can write a file
// that parses worse.
import type { Fix } from '../model/fixes.js';
import { applyFixesOnce } from './apply-fixes.js';
import type { Diagnostic } from './run.js';

/**
 * Drop the fixes that would make `text` parse worse than `baseline` problems; returns how many. Fixes that do not
 * conflict are checked together, with one parse; a batch that fails is checked fix by fix.
 */
export function verifyFixes(text: string, diagnostics: Diagnostic[], baseline: number, count: (text: string) => number): number {
  let withheld = 0;
  const drop = (d: Diagnostic): void => {
    withheld++;
    d.fix = null;
    if (d.impact) d.impact = { ...d.impact, afterFix: null };
  };
  let pending = diagnostics.filter((d) => d.fix);
  while (pending.length) {
    const { text: batch, chosen } = applyFixesOnce(text, pending.map((d) => d.fix as Fix));
    const taken = new Set(chosen);
    const round = pending.filter((d) => taken.has(d.fix as Fix));
    if (!round.length) {
      // Edits out of range: nothing can apply them.
      for (const d of pending) drop(d);
      return withheld;
    }
    if (count(batch) > baseline) {
      for (const d of round) if (count(applyFixesOnce(text, [d.fix as Fix]).text) > baseline) drop(d);
    }
    const done = new Set(round);
    pending = pending.filter((d) => !done.has(d));
  }
  return withheld;
}
