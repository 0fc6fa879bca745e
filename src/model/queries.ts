// Predicates over the model that several rules share.
import { selectsOneIteration } from './conditions.js';
import { classifyLoop, guardedWithin, inRunOpenedBy, stepContext, type LoopOptions } from './loops.js';
import type { ImpactUnit } from './fixes.js';
import { dotted, namesIn, type Expr } from './expr.js';
import { hasLiteralKeys } from './params.js';
import { passesThrough } from './sources.js';
import type { Arg, Call, Loop, Range, SourceModel } from './types.js';

export function innermostLoop(call: Call): Loop | null {
  return call.loops[call.loops.length - 1] ?? null;
}

/**
 * Certainly the same on every iteration: a literal, or names (no calls, attributes or subscripts,
 * which may read state the loop changes) that the loop never assigns.
 */
export function invariant(arg: Arg, loop: Loop): boolean {
  return arg.literal !== undefined || (plainValue(arg.expr, 0) && !varies(arg, loop));
}

/** Built from names and literals only: no call, attribute or subscript that could read changing state. */
function plainValue(e: Expr, depth: number): boolean {
  if (depth > 8) return false;
  switch (e.kind) {
    case 'name':
    case 'literal':
      return true;
    case 'binary':
      return plainValue(e.left, depth + 1) && plainValue(e.right, depth + 1);
    case 'not':
      return plainValue(e.operand, depth + 1);
    case 'list':
      return e.items.every((i) => plainValue(i, depth + 1));
    case 'template':
      return e.interpolations.every((i) => plainValue(i, depth + 1));
    case 'dict':
      return !e.spread && e.entries.every((x) => plainValue(x.key, depth + 1) && plainValue(x.value, depth + 1));
    case 'call':
      // A value spelled as a string (params are strings): `str(lr)`, `String(lr)`.
      return (
        CONVERSIONS.has(e.callee.text) &&
        e.args.length === 1 &&
        !Object.keys(e.keywords).length &&
        plainValue(e.args[0], depth + 1)
      );
    default:
      return false;
  }
}

const CONVERSIONS = new Set(['str', 'int', 'float', 'bool', 'String', 'Number', 'Boolean']);

/** Does the argument read a loop variable or a name the loop body assigns? */
export function varies(arg: Arg | undefined, loop: Loop): boolean {
  if (!arg) return false;
  return arg.names.some((n) => loop.targets.includes(n) || loop.assignedNames.includes(n));
}

export function readsTarget(arg: Arg | undefined, loop: Loop): boolean {
  return !!arg && arg.names.some((n) => loop.targets.includes(n));
}

/**
 * The loop whose only job is to log each item of a dict with this singular call:
 * `for k, v in d.items(): log_param(k, v)`, `for k in d: log_metric(k, d[k])`, `zip(names, values)`.
 */
export function dictLoopOf(call: Call): Loop | null {
  const loop = innermostLoop(call);
  if (!loop || loop.kind === 'while' || loop.soleCall !== call) return null;
  if (call.conditions.some((c) => c.range.start.offset >= loop.range.start.offset)) return null;
  const { key, value } = call.args;
  if (!key || !value || call.hasSpread) return null;
  if (!readsTarget(key, loop)) return null;
  if (readsTarget(call.args.run_id, loop)) return null;
  if (loop.dictIteration && loop.targets.length >= 2 && readsTarget(value, loop)) return loop;
  if (value.index !== undefined && loop.targets.includes(value.index.trim())) return loop;
  return null;
}

/** A batched call inside a loop that splits its payload into chunks (`for chunk in chunks: log_params(chunk)`). */
export function isChunkedBatch(call: Call, loop: Loop, opts: LoopOptions = {}): boolean {
  // `log_params({"lr": lr, "epoch": epoch})` writes the same keys on every iteration: not a chunk.
  if (hasLiteralKeys(call)) return false;
  const payload = call.args.params ?? call.args.tags ?? call.args.metrics;
  if (readsTarget(payload, loop)) return true;
  // `batch = dict(items[i:i + 100])` then `log_params(batch)`: the chunk is built in the body.
  return varies(payload, loop) && !classifyLoop(loop, opts).perEpoch;
}

/**
 * Strictly a chunk: the payload is the loop variable itself, built from it (`dict(chunk)`,
 * `[Metric(k, v, 0, 0) for k, v in chunk.items()]`, `chunk.map(...)`), or a slice of a list at it
 * (`items[i : i + 1000]`).
 */
export function isChunkOfLoop(call: Call, loop: Loop): boolean {
  const payload = call.args.metrics ?? call.args.params ?? call.args.tags;
  return !!payload && chunkOf(payload.expr, loop.targets, 0);
}

const CONTAINER_VIEWS = new Set(['items', 'values', 'keys', 'map', 'entries', 'copy', 'to_dict', 'tolist']);
const CONTAINERS = new Set(['dict', 'list', 'tuple', 'OrderedDict', 'sorted', 'Object.fromEntries']);

function chunkOf(e: Expr, targets: string[], depth: number): boolean {
  if (depth > 4) return false;
  switch (e.kind) {
    case 'name':
      return targets.includes(e.name);
    case 'call':
      // Only container views and copies: `compute(batch)` builds something new from a batch.
      if (passesThrough(e.callee)) return !!e.args[0] && chunkOf(e.args[0], targets, depth + 1);
      if (e.callee.kind === 'attribute')
        return CONTAINER_VIEWS.has(e.callee.attr) && chunkOf(e.callee.object, targets, depth + 1);
      return CONTAINERS.has(dotted(e.callee)) && e.args.length === 1 && chunkOf(e.args[0], targets, depth + 1);
    case 'subscript':
      return chunkOf(e.object, targets, depth + 1) || namesIn(e.index).some((n) => targets.includes(n));
    case 'comprehension':
      return chunkOf(e.iterable, targets, depth + 1);
    default:
      return false;
  }
}

/** "the loop on line 12": the frame shows the loop itself as a second location. */
export function loopAt(loop: Loop): string {
  return `the loop on line ${loop.range.start.line}`;
}

/** The first line of a loop's header, for a finding's second location. */
export function loopHeader(loop: Loop): Range {
  const first = loop.headerText.split(/\r?\n/)[0].replace(/\s+$/, '');
  const { start } = loop.range;
  return {
    start,
    end: { line: start.line, column: start.column + [...first].length, offset: start.offset + first.length },
  };
}

export interface Repetition {
  unit: ImpactUnit;
  /** The words after "per" ("step", "call of `evaluate`"); null for code that runs once. */
  per: string | null;
}

/**
 * What makes a call run again: a training step, an iteration of a loop, a call of its function,
 * or nothing. With `within`, what repeats that loop of the call instead (where a fix that
 * replaces the loop runs).
 */
export function repetitionOf(call: Call, opts: LoopOptions, within?: Loop): Repetition {
  const loops = within ? call.loops.slice(0, Math.max(0, call.loops.indexOf(within))) : call.loops;
  const sc = stepContext(call, opts);
  if (sc && (!sc.loop || loops.includes(sc.loop))) return { unit: 'step', per: 'step' };
  if (loops.length) return { unit: 'iteration', per: 'iteration' };
  if (call.func)
    return { unit: 'call', per: call.func.name ? `call of \`${call.func.name}\`` : 'call of the function' };
  return { unit: 'run', per: null };
}

/** "1 per call of `evaluate`", "1 per step", "1 in all". */
export function oncePer(r: Repetition): string {
  return r.per ? `1 per ${r.per}` : '1 in all';
}

/** The call sits under a test that picks one iteration of the loop (`if name == "time":`). */
export function runsOnceIn(call: Call, loop: Loop): boolean {
  if (call.leavesLoop && innermostLoop(call) === loop) return true;
  return call.conditions.some((c) => c.range.start.offset >= loop.range.start.offset && selectsOneIteration(c, loop));
}

export function perItemLoop(call: Call, opts: LoopOptions): Loop | null {
  // A call that leaves its innermost loop (a retry loop that breaks on success) runs once per
  // iteration of the loop around that one.
  const loop = call.loops[call.loops.length - (call.leavesLoop ? 2 : 1)];
  if (!loop || inRunOpenedBy(loop, call) || runsOnceIn(call, loop) || guardedWithin(call, loop)) return null;
  const v = classifyLoop(loop, opts);
  if (v.perEpoch || v.perTrial) return null;
  return loop;
}

/** The run of back-to-back statements around the call's statement whose calls satisfy `keep`. */
/** Where each call-statement sits: its block and index, found once per model. */
const statementIndex = new WeakMap<SourceModel, Map<Call, { block: SourceModel['blocks'][number]; index: number }>>();

function statementOf(model: SourceModel, call: Call) {
  let index = statementIndex.get(model);
  if (!index) {
    index = new Map();
    for (const block of model.blocks) {
      block.statements.forEach((s, i) => {
        if (s.call && !index!.has(s.call)) index!.set(s.call, { block, index: i });
      });
    }
    statementIndex.set(model, index);
  }
  return index.get(call);
}

export function statementRun(model: SourceModel, call: Call, keep: (c: Call) => boolean): Call[] {
  const at = statementOf(model, call);
  if (at) {
    const b = at.block;
    const i = at.index;
    const ok = (j: number): boolean => b.statements[j]?.kind === 'call' && keep(b.statements[j].call as Call);
    let lo = i;
    let hi = i;
    while (lo > 0 && ok(lo - 1)) lo--;
    while (hi < b.statements.length - 1 && ok(hi + 1)) hi++;
    return b.statements.slice(lo, hi + 1).map((s) => s.call as Call);
  }
  return [call];
}

/**
 * The directory whose files a loop uploads one by one, when that is all it does: its body is the
 * one `log_artifact` call, of each entry of `os.listdir(d)` (`os.path.join(d, name)`), of
 * `glob(d + "/*")` / `glob(os.path.join(d, "*"))` / `glob(f"{d}/*")`, or of `Path(d).iterdir()`.
 * A pattern that picks some of the files (`*.png`) is not a directory.
 */
export function walkedDirectory(call: Call, loop: Loop): string | null {
  if (loop.kind !== 'for' || loop.soleCall !== call || loop.hasElse || loop.targets.length !== 1 || call.hasSpread)
    return null;
  if (call.conditions.some((c) => c.range.start.offset >= loop.range.start.offset)) return null;
  const it = loop.iterable;
  const local = call.args.local_path?.expr;
  if (!it || it.kind !== 'call' || !local) return null;
  const target = loop.targets[0];
  const isTarget = (e: Expr): boolean =>
    e.kind === 'name'
      ? e.name === target
      : e.kind === 'call' && e.callee.text === 'str' && e.args.length === 1 && isTarget(e.args[0]);
  const callee = it.callee.text;
  if (/^(os\.)?listdir$/.test(callee) && it.args.length === 1) {
    const dir = it.args[0].text;
    const joined =
      local.kind === 'call' &&
      /^(os\.)?path\.join$|^join$/.test(local.callee.text) &&
      local.args.length === 2 &&
      local.args[0].text === dir &&
      isTarget(local.args[1]);
    return joined ? dir : null;
  }
  if (/^(glob\.)?i?glob$/.test(callee) && it.args.length === 1 && !Object.keys(it.keywords).length && isTarget(local))
    return globbedDirectory(it.args[0]);
  if (it.callee.kind === 'attribute' && it.callee.attr === 'iterdir' && !it.args.length && isTarget(local)) {
    const path = it.callee.object;
    return path.kind === 'call' && /^(pathlib\.)?Path$/.test(path.callee.text) && path.args.length === 1
      ? path.args[0].text
      : path.text;
  }
  return null;
}

/** `d + "/*"`, `os.path.join(d, "*")`, `f"{d}/*"`: `d`. */
function globbedDirectory(e: Expr): string | null {
  if (e.kind === 'binary' && e.op === '+' && e.right.kind === 'literal' && e.right.literal.value === '/*')
    return e.left.text;
  if (
    e.kind === 'call' &&
    /^(os\.)?path\.join$/.test(e.callee.text) &&
    e.args.length === 2 &&
    e.args[1].kind === 'literal' &&
    e.args[1].literal.value === '*'
  )
    return e.args[0].text;
  const f = /^f(["'])\{([A-Za-z_][\w.]*)\}\/\*\1$/.exec(e.text);
  return f ? f[2] : null;
}
