// Where singular calls could be one batched call: a back-to-back group, or a loop that logs each
// item of a dict. The rules say what that means for metrics, params and tags.
import type { CallGroup } from './groups.js';
import type { Impact } from './fixes.js';
import type { LoopOptions } from './loops.js';
import { apiName, batchedApi, isRestRequest } from './mlflow.js';
import { paramOverwrites } from './params.js';
import { dictLoopOf, oncePer, readsTarget, repetitionOf } from './queries.js';
import type { Call, Loop, SourceModel } from './types.js';

export type BatchSite = DictLoopSite | GroupSite;

interface DictLoopSite {
  kind: 'dict-loop';
  call: Call;
  loop: Loop;
  /** Each item has its own step or timestamp, which only `MlflowClient.log_batch` can carry. */
  stepPerItem: boolean;
  /** The keys are the dict's own (`.items()`/`.keys()`, maybe with a fixed prefix): no two collide. */
  uniqueKeys: boolean;
}

interface GroupSite {
  kind: 'group';
  call: Call;
  calls: Call[];
  /** Two calls write the same literal key. */
  repeatedKey: boolean;
  /** Every key is a string literal. */
  literalKeys: boolean;
  /** A call of the group writes a param again with another value (merging would hide the error). */
  overwrites: boolean;
}

/** The batch site a singular call heads: its dict loop, or the group it starts; null otherwise. */
export function batchSite(model: SourceModel, call: Call, group: CallGroup | null): BatchSite | null {
  const loop = dictLoopOf(call);
  if (loop) {
    const stepPerItem =
      call.mlflow?.kind === 'fluent' && (readsTarget(call.args.step, loop) || readsTarget(call.args.timestamp, loop));
    return { kind: 'dict-loop', call, loop, stepPerItem, uniqueKeys: dictLoopKeysUnique(call, loop) };
  }
  if (!group || group.calls[0] !== call) return null;
  const keys = group.calls.map((c) => (c.args.key?.literal?.kind === 'string' ? c.args.key.literal.value : undefined));
  return {
    kind: 'group',
    call,
    calls: group.calls,
    repeatedKey: keys.some((k, i) => k !== undefined && keys.indexOf(k) !== i),
    literalKeys: keys.every((k) => k !== undefined),
    overwrites: paramOverwrites(model).some((o) => group.calls.includes(o.call)),
  };
}

/** The batched call that replaces the site's calls, as the file spells it: `log_metrics`, `logBatch`, `runs/log-batch`. */
export function batchedName(call: Call, language: string): string {
  if (isRestRequest(call)) return 'runs/log-batch';
  const api = batchedApi(call);
  return api ? apiName(api, language) : '';
}

/** Can the batched call hold a key twice (a history of one metric)? Only `log_batch` can. */
export function takesRepeatedKeys(batched: string): boolean {
  return batched === 'log_batch' || batched === 'logBatch' || batched === 'runs/log-batch';
}

/** Requests the site makes, and after one batched call. */
export function batchImpact(site: BatchSite, opts: LoopOptions): Impact {
  if (site.kind === 'dict-loop') {
    return {
      unit: 'item',
      per: 'item of the dict',
      now: 1,
      after: { perUnit: 0, once: 1, text: oncePer(repetitionOf(site.call, opts, site.loop)) },
    };
  }
  const rep = repetitionOf(site.call, opts);
  return { ...rep, now: site.calls.length, after: { perUnit: 1, once: 0, text: oncePer(rep) } };
}

/** Keys of a dict loop are unique when they are the dict's own keys, or those keys with a fixed prefix/suffix. */
function dictLoopKeysUnique(call: Call, loop: Loop): boolean {
  const key = call.args.key?.expr;
  const k = loop.targets[0];
  const it = loop.iterable;
  if (
    !key ||
    it?.kind !== 'call' ||
    it.callee.kind !== 'attribute' ||
    !['items', 'keys'].includes(it.callee.attr) ||
    it.args.length
  )
    return false;
  if (key.kind === 'name') return key.name === k;
  // `f"val_{k}"`: one interpolation, the key itself, with fixed text around it.
  const only = key.kind === 'template' && key.interpolations.length === 1 ? key.interpolations[0] : null;
  return only?.kind === 'name' && only.name === k;
}
