import type { Loop } from '../model/types.js';

/** `child_run_id = run.info.run_id` in `for run in runs:`: the assigned names derive from the loop variables. */
export function markDerived(loops: Loop[], assigned: string[], reads: string[]): void {
  for (const loop of loops) {
    if (reads.some((n) => loop.targets.includes(n) || loop.derivedNames.includes(n))) loop.derivedNames.push(...assigned);
  }
}
