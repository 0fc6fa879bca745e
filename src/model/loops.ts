// Language-neutral judgement of loops: does a loop run per training step, per epoch, per run?
// Adapters supply the facts (iterable text, loop variables, counters, calls in the body); the
// verdicts are made here so that every language and rule shares them.
import type { Call, Condition, Func, Loop } from './types.js';

export interface LoopOptions {
  /** Extra identifier patterns (regular expressions) that mark a per-step iterable. */
  tightLoopNames?: string[];
}

/** Iterables that yield data: a loop over them runs per batch or per item. */
const DATA_ITERABLE = [
  /loader$/, /^dl$/, /_dl$/, /^dataloader/, /batches$/, /^minibatch/, /_iter(ator)?$/, /^batch_iter/,
  /(^|_)dataset$/, /(^|_)ds$/, /^(train|training|val|valid|validation|test|eval)_(data|set|samples|examples)$/,
];
/** Step counts (`range(max_steps)`): per-step unless the loop nests a per-step loop of its own. */
const COUNT_ITERABLE = [
  /^(num_|n_|max_|total_|train_|training_|num_train_|num_training_)?steps$/, /^max_iters?$/, /^(num|total)_iters?$/,
  /^(num|n)_batches$/, /^batch_size$/, /^iterations$/, /^(num|max|total)_iterations$/,
];
/** Loop variables that are a batch whatever the iterable is called. */
const BATCH_TARGET = [/^(mini)?batch(_?(idx|id|index|num|no|i|data))?$/, /^(i|idx|n)_?batch$/, /^batch_?(x|inputs?)$/];
/** `for inputs, labels in ...`: an input and a label variable together are a data batch. */
const INPUT_TARGET = /^(x|inputs?|images?|imgs?|data|features|input_ids|src|samples?|x_batch|xb)$/;
const LABEL_TARGET = /^(y|labels?|targets?|tgt|y_batch|yb|masks?)$/;
const STEP_TARGET = [/^batch(_?(idx|id|index|num|no|i))?$/, /^(i|idx|n)_?batch$/, /^(global_)?step$/, /^(train_|global_)?step(_?(idx|i))?$/, /^minibatch/, /^it$/, /^iteration$/];
const EPOCH_NAME = /epoch|^ep$|^e$/;
const TRIAL_NAME = /trial|fold|^run$|^run_?(idx|id|i|num)$|seed|^config|^cfg$|^params?$|param_?grid|hyperparam|^model(_name)?$|^models$|experiment/;
const STEP_COUNTER = /step|iter|batch/;
const RANGE_LIKE = /^(range|trange|enumerate|tqdm|count)$/;
const OPTIMISER_CALL = [/\.apply_gradients$/, /(^|\.)apply_updates$/, /\.partial_fit$/, /\.backward$/, /(optim\w*|opt|scaler|optimizer\w*)\.step$/i, /\.zero_grad$/, /(^|\.)train_(on_)?batch$/, /(^|\.)(train|training)_step$/, /(^|\.)fit_batch$/];

/** Hooks that a framework calls on every batch. */
const PER_STEP_HOOKS = new Set([
  'on_train_batch_end', 'on_train_batch_begin', 'on_batch_end', 'on_batch_begin', 'on_step_end', 'on_step_begin',
  'on_train_step_end', 'on_iteration_end', 'after_train_iter', 'after_train_step', 'training_step',
  'on_after_backward', 'on_before_optimizer_step', 'on_validation_batch_end', 'on_test_batch_end',
  'on_predict_batch_end', 'after_batch', 'after_step', 'before_step', 'before_batch', 'after_backward', 'after_loss',
  'batch_end', 'batch_start', 'after_train_batch', 'on_batch', 'on_step',
  // TensorFlow.js and other JavaScript callbacks.
  'onBatchEnd', 'onBatchBegin', 'onTrainBatchEnd', 'onStepEnd', 'onIterationEnd', 'onYield',
]);

const cache = new WeakMap<Loop, LoopVerdict>();

export interface LoopVerdict {
  /** Why the loop runs per step, or null when it does not look per-step. */
  perStep: string | null;
  perEpoch: boolean;
  /** Per trial / fold / config / model: a loop over experiments rather than data. */
  perTrial: boolean;
  /** The step/counter variable a fix could test. */
  counter: string | null;
}

function words(names: string[]): string[] {
  return names.map((n) => n.toLowerCase());
}

function anyMatch(ws: string[], pats: RegExp[]): string | null {
  for (const w of ws) for (const p of pats) if (p.test(w)) return w;
  return null;
}

function isLiteralList(text: string): boolean {
  return /^[[(]\s*(['"]|\d)/.test(text.trim());
}

export function classifyLoop(loop: Loop, opts: LoopOptions = {}): LoopVerdict {
  const hit = cache.get(loop);
  if (hit) return hit;
  const targets = words(loop.targets);
  const iterable = words(loop.iterableNames);
  const perEpoch = targets.some((t) => EPOCH_NAME.test(t)) || iterable.some((t) => /epoch/.test(t));
  const perTrial = [...targets, ...iterable].some((t) => TRIAL_NAME.test(t));
  const extra = (opts.tightLoopNames ?? []).map((p) => new RegExp(p, 'i'));
  let perStep: string | null = null;
  if (!perEpoch && !perTrial && !(loop.kind !== 'while' && isLiteralList(loop.iterableText))) {
    // A loop around a per-step loop is an outer cycle (epoch, rollout): only a data iterable makes it per-step.
    const nests = loop.children.some((c) => classifyLoop(c, opts).perStep);
    const data = anyMatch(iterable, [...DATA_ITERABLE, ...extra]);
    const it = data ?? (nests ? null : anyMatch(iterable, COUNT_ITERABLE));
    const tg = anyMatch(targets, STEP_TARGET);
    const batchTarget = loop.dictIteration ? null : anyMatch(targets, BATCH_TARGET)
      ?? (targets.some((t) => INPUT_TARGET.test(t)) && targets.some((t) => LABEL_TARGET.test(t)) ? targets.join(', ') : null);
    const counter = loop.advancedCounters.find((c) => STEP_COUNTER.test(c.toLowerCase()));
    const optim = loop.bodyCallNames.find((n) => OPTIMISER_CALL.some((p) => p.test(n)));
    if (it) perStep = `iterates over \`${it}\``;
    else if (nests) perStep = null;
    else if (counter) perStep = `advances \`${counter}\``;
    else if (optim) perStep = `calls \`${optim}()\``;
    else if (batchTarget && loop.kind !== 'while') perStep = `iterates batches \`${batchTarget}\``;
    else if (tg && !loop.dictIteration && loop.iterableNames.some((n) => RANGE_LIKE.test(n))) perStep = `steps \`${tg}\``;
  }
  const counterVar = loop.indexVar ?? loop.advancedCounters.find((c) => STEP_COUNTER.test(c.toLowerCase())) ?? null;
  const verdict = { perStep, perEpoch, perTrial, counter: counterVar };
  cache.set(loop, verdict);
  return verdict;
}

/** Where a call runs on every training step: the per-step loop (and helper chain) or hook. */
export interface StepContext {
  loop: Loop | null;
  /** Framework hook that fires every batch, when that is what makes the call per-step. */
  hook: string | null;
  /** Helpers between the loop and the call, outermost first. */
  via: Func[];
  reason: string;
}

/** Is the call under a step-interval condition that lies inside `loop` (or anywhere in its function when loop is null)? */
export function guardedWithin(call: Call, loop: Loop | null): boolean {
  return call.conditions.some((c: Condition) => {
    if (loop && c.range.start.offset < loop.range.start.offset) return false;
    return c.interval || (loop !== null && selectsOneIteration(c, loop));
  });
}

const EQUALITY = /^\(?\s*([A-Za-z_][\w.]*)\s*(?:===?|\bis\b)\s*(.+?)\s*\)?$/;

/**
 * `if step == 0`, `if name == "time"`, `if i == len(loader) - 1 and rank == 0`: a test that
 * picks one iteration of the loop, so the call under it runs once, not per iteration.
 */
export function selectsOneIteration(cond: Condition, loop: Loop): boolean {
  const vars = new Set([...loop.targets, ...loop.advancedCounters]);
  return cond.text.split(/\band\b|&&/).some((part) => {
    const m = EQUALITY.exec(part.trim());
    if (!m) return false;
    const [, left, right] = m;
    return vars.has(left) && !new RegExp(`\\b${left.replace('.', '\\.')}\\b`).test(right) && !/^(None|null|undefined)$/.test(right);
  });
}

export function stepContext(call: Call, opts: LoopOptions = {}, seen = new Set<Func>()): StepContext | null {
  for (let i = call.loops.length - 1; i >= 0; i--) {
    const loop = call.loops[i];
    const v = classifyLoop(loop, opts);
    if (v.perStep) return guardedWithin(call, loop) ? null : { loop, hook: null, via: [], reason: v.perStep };
  }
  const f = call.func;
  if (!f || guardedWithin(call, null) || seen.has(f)) return null;
  if (PER_STEP_HOOKS.has(f.name) || f.decorators.some(isPerStepEvent)) {
    return { loop: null, hook: f.name, via: [], reason: `\`${f.name}\` runs on every batch` };
  }
  seen.add(f);
  for (const caller of f.callers) {
    const ctx = stepContext(caller, opts, seen);
    if (ctx) return { ...ctx, via: [...ctx.via, f] };
  }
  return null;
}

function isPerStepEvent(decorator: string): boolean {
  return /ITERATION_COMPLETED|ITERATION_STARTED/.test(decorator) && !/every\s*=|once\s*=|filter\s*=/.test(decorator);
}

/**
 * Does the call log into a run that `loop` opens on each iteration? True inside a
 * `with start_run()` that sits in the loop, or after a plain `start_run()` in the loop body.
 * Calls before the nested run starts, or after its `with` block, go to the parent run.
 */
export function inRunOpenedBy(loop: Loop, call: Call): boolean {
  const at = call.range.start.offset;
  if (call.runScopes.some((r) => r.range.start.offset > loop.range.start.offset && r.range.end.offset <= loop.range.end.offset)) return true;
  return loop.runStarts.some((o) => o < at);
}
