// The pass every adapter runs once its walk is done: facts that need the whole file (which calls
// a loop makes directly, which conditions gate an optimiser step) are derived here, once for
// every language.
import { testKey } from './conditions.js';
import { stepsTraining } from './loops.js';
import type { Call, Condition, Func, SourceModel } from './types.js';

export function finishModel(model: SourceModel): SourceModel {
  for (const call of model.calls) call.loops[call.loops.length - 1]?.calls.push(call);
  unmarkAccumulationBoundaries(model.calls);
  return model;
}

/**
 * `optimizer_step = (i + 1) % accum == 0` and `if optimizer_step: optimizer.step()`: a test that
 * gates the optimiser step is true on every optimiser step, so logging under the same test is
 * per step, not under an interval guard.
 */
function unmarkAccumulationBoundaries(calls: Call[]): void {
  const gating = new Map<Func | null, Set<string>>();
  for (const c of calls) {
    if (!stepsTraining(c)) continue;
    for (const k of c.conditions) {
      const key = k.interval ? testKey(k) : null;
      if (!key) continue;
      let keys = gating.get(c.func);
      if (!keys) gating.set(c.func, (keys = new Set()));
      keys.add(key);
    }
  }
  if (!gating.size) return;
  const seen = new Set<Condition>();
  for (const c of calls) {
    const keys = gating.get(c.func);
    if (!keys) continue;
    for (const k of c.conditions) {
      if (seen.has(k)) continue;
      seen.add(k);
      const key = testKey(k);
      if (k.interval && key && keys.has(key)) k.interval = false;
    }
  }
}
