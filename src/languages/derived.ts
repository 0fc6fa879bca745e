import type { Call, Loop } from '../model/types.js';

/** `child_run_id = run.info.run_id` in `for run in runs:`: the assigned names derive from the loop variables. */
export function markDerived(loops: Loop[], assigned: string[], reads: string[]): void {
  for (const loop of loops) {
    if (reads.some((n) => loop.targets.includes(n) || loop.derivedNames.includes(n))) loop.derivedNames.push(...assigned);
  }
}

/** A `break` or `return` after these calls in their block: they run at most once per run of the innermost loop. */
export function markLeaving(calls: Call[], from: number, loops: Loop[]): void {
  const loop = loops[loops.length - 1];
  if (!loop) return;
  for (let i = from; i < calls.length; i++) if (calls[i].loops.includes(loop)) calls[i].leavesLoop = true;
}
