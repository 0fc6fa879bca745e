// Params are write-once: which keys a call writes (`log_param("lr", x)`, the literal keys of
// `log_params({"lr": x, ...})`, `log_batch(params=[Param("lr", x)])`), and where a key is written
// again in the same run with a value that may differ, which raises at run time.
import { lastName, namesIn, type Expr } from './expr.js';
import { inRunOpenedBy } from './loops.js';
import type { Call, Literal, Loop, SourceModel } from './types.js';

interface ParamValue {
  text: string;
  literal?: Literal;
  names: string[];
}

interface ParamWrite {
  key: string;
  value: ParamValue;
}

function valueOf(e: Expr): ParamValue {
  return { text: e.text, literal: e.kind === 'literal' ? e.literal : undefined, names: namesIn(e) };
}

const stringKey = (e: Expr | undefined): string | null =>
  e?.kind === 'literal' && e.literal.kind === 'string' ? e.literal.value : null;

/** The params a call writes under literal keys. */
function paramWrites(call: Call): ParamWrite[] {
  const api = call.mlflow?.api;
  const a = call.args;
  if (api === 'log_param') {
    const key = a.key?.literal?.kind === 'string' || a.key?.literal?.kind === 'number' ? a.key.literal.value : null;
    return key !== null && a.value ? [{ key, value: a.value }] : [];
  }
  if (api === 'log_params' && a.params) return dictWrites(a.params.expr);
  if (api === 'log_batch' && a.params?.expr.kind === 'list') {
    const out: ParamWrite[] = [];
    for (const item of a.params.expr.items) {
      // `Param("lr", x)`, or the TypeScript `{ key: 'lr', value: x }`.
      if (item.kind === 'call' && lastName(item.callee) === 'Param') {
        const key = stringKey(item.args[0] ?? item.keywords.key);
        const value = item.args[1] ?? item.keywords.value;
        if (key !== null && value) out.push({ key, value: valueOf(value) });
      } else if (item.kind === 'dict') {
        const key = stringKey(item.entries.find((e) => stringKey(e.key) === 'key')?.value);
        const value = item.entries.find((e) => stringKey(e.key) === 'value')?.value;
        if (key !== null && value) out.push({ key, value: valueOf(value) });
      }
    }
    return out;
  }
  return [];
}

function dictWrites(e: Expr): ParamWrite[] {
  if (e.kind === 'dict') {
    return e.entries.flatMap(({ key, value }) => {
      const k = stringKey(key);
      return k === null ? [] : [{ key: k, value: valueOf(value) }];
    });
  }
  // `dict(lr=0.1, wd=wd)`.
  if (e.kind === 'call' && e.callee.kind === 'name' && e.callee.name === 'dict' && !e.args.length) {
    return Object.entries(e.keywords).map(([key, value]) => ({ key, value: valueOf(value) }));
  }
  return [];
}

/** A batched payload whose keys are fixed in the code (`log_params({"lr": lr})`), not a chunk of a larger batch. */
export function hasLiteralKeys(call: Call): boolean {
  const payload = call.args.params ?? call.args.tags ?? call.args.metrics;
  if (!payload) return false;
  const e = payload.expr;
  if (e.kind === 'dict') return !e.spread && e.entries.length > 0 && e.entries.every((x) => stringKey(x.key) !== null);
  return paramWrites(call).length > 0;
}

function readsLoop(v: ParamValue | undefined, loop: Loop): boolean {
  return !!v && v.names.some((n) => loop.targets.includes(n) || loop.assignedNames.includes(n));
}

export interface Overwrite {
  call: Call;
  key: string;
  /** Set when the key is written again on every iteration of this loop with a value that changes. */
  loop: Loop | null;
  /** Set when an earlier call in the same run wrote the key with a value that may differ. */
  earlier: Call | null;
}

function sameRun(a: Call, b: Call): boolean {
  if (a.func !== b.func) return false;
  if (a.runScopes[a.runScopes.length - 1] !== b.runScopes[b.runScopes.length - 1]) return false;
  // A loop that only one of the two is in, and that opens a run per iteration, separates them.
  const only = [...a.loops.filter((l) => !b.loops.includes(l)), ...b.loops.filter((l) => !a.loops.includes(l))];
  if (only.some((l) => l.runStarts.length > 0)) return false;
  return (a.args.run_id?.text ?? '') === (b.args.run_id?.text ?? '') && a.receiverText === b.receiverText;
}

/**
 * Whenever the later call runs, the earlier one ran: every condition around the earlier call
 * also surrounds the later one. Branches, early returns and fallbacks (`if df is None:`) fail this.
 */
function bothRun(earlier: Call, later: Call): boolean {
  return earlier.conditions.every((c) => later.conditions.includes(c));
}

/** Params are compared as strings: `1` and `1.0` differ, `"1"` and `1` do not. */
function mayDiffer(model: SourceModel, a: ParamValue, b: ParamValue, from: number, to: number): boolean {
  if (a.literal && b.literal) return a.literal.value !== b.literal.value;
  if (a.text.replace(/\s+/g, '') !== b.text.replace(/\s+/g, '')) return true;
  // The same expression can still change in between: `lr = lr * 0.1`, `opt.lr *= 0.1`.
  const read = new Set([b.text.replace(/\s+/g, ''), ...b.names]);
  return model.assignments.some((w) => w.offset > from && w.offset < to && read.has(w.target));
}

const memo = new WeakMap<SourceModel, Overwrite[]>();

/** Every place where a param key is written again in its run with a value that may differ. */
export function paramOverwrites(model: SourceModel): Overwrite[] {
  const hit = memo.get(model);
  if (hit) return hit;
  const out: Overwrite[] = [];
  const seen = new Map<string, { call: Call; value: ParamValue }[]>();
  for (const call of model.calls) {
    for (const { key, value } of paramWrites(call)) {
      const loop = call.loops[call.loops.length - 1];
      const keyVaries = !!loop && call.mlflow?.api === 'log_param' && readsLoop(call.args.key, loop);
      if (loop && !inRunOpenedBy(loop, call) && readsLoop(value, loop) && !keyVaries) {
        out.push({ call, key, loop, earlier: null });
        continue;
      }
      const earlier = seen.get(key) ?? [];
      const clash = earlier.find(
        (e) =>
          e.call !== call &&
          sameRun(e.call, call) &&
          bothRun(e.call, call) &&
          mayDiffer(model, e.value, value, e.call.range.end.offset, call.range.start.offset),
      );
      if (clash) out.push({ call, key, loop: null, earlier: clash.call });
      earlier.push({ call, value });
      seen.set(key, earlier);
    }
  }
  memo.set(model, out);
  return out;
}
