// Language-neutral judgement of loops: does a loop run per training step, per epoch, per run?
// Adapters supply the facts (iterable text, loop variables, counters, calls in the body); the
// verdicts are made here so that every language and rule shares them.
import { selectsOneIteration } from './conditions.js';
import { dotted, lastName, wordsOf, type Expr } from './expr.js';
import { enumerates, loopSource, sourceNames } from './sources.js';
import type { Call, Condition, Func, Loop } from './types.js';

export interface LoopOptions {
  /** Extra identifier patterns (regular expressions) that mark a per-step iterable. */
  tightLoopNames?: string[];
}

/**
 * The evidence a loop is judged on, with its weight. A loop is per-step when its weights add up
 * to at least 1. Evidence from what the body does (an optimiser step, a step counter) outweighs
 * what the data is called, so a loop that steps the optimiser is per-step whatever its iterable
 * is; only a loop that says it runs per epoch, trial or fold (full-batch training steps once per
 * epoch) or iterates a literal list of phases stays off.
 * Names are compared by words (`numSteps` and `num_steps` alike), and only the names of the
 * loop's targets and of its data source count (never keyword arguments or strings of a wrapper).
 *
 * | evidence            | weight | example                                                        |
 * |---------------------|--------|----------------------------------------------------------------|
 * | batch-step          |    +6  | `model.train_on_batch(x, y)`: one batch per iteration, whatever the loop is called |
 * | optimiser-step      |    +4  | `optimizer.step()`, `loss.backward()`, `apply_gradients(...)`  |
 * | step-counter        |    +4  | `global_step += 1`, `numSteps++` in the body                   |
 * | helper-steps        |    +4  | `stats = self.step()` where `step()` advances a step counter   |
 * | env-step            |    +3  | `obs, reward, done, info = env.step(action)`                   |
 * | data-source         |    +4  | `for batch in tqdm(train_loader, desc=f"Epoch {epoch}")`       |
 * | step-count          |    +2  | `for step in range(args.max_steps)`, `range(len(loader))`      |
 * | batch-target        |    +2  | `for batch_idx, batch in ...`                                  |
 * | input-label-targets |    +2  | `for inputs, labels in self.dataloader`                        |
 * | step-target         |    +1  | `for it in range(n)`                                           |
 * | epoch               |    -5  | `for epoch in range(num_epochs)`                               |
 * | trial               |    -5  | `for fold, (tr, va) in enumerate(kf.split(X))`, `for seed in seeds` |
 * | outer-cycle         |    -3  | a loop around a per-step loop of its own                       |
 * | trains              |    -3  | `model.learn(total_timesteps=n)`, `train_one_epoch(model)` per iteration |
 * | few-iterations      |    -2  | `for step in range(5)`                                         |
 * | literal-list        |    -5  | `for phase in ["train", "val"]`                                |
 */
const LOOP_EVIDENCE = {
  'batch-step': 6,
  'optimiser-step': 4,
  'step-counter': 4,
  'helper-steps': 4,
  'env-step': 3,
  'data-source': 4,
  'step-count': 2,
  'batch-target': 2,
  'input-label-targets': 2,
  'step-target': 1,
  epoch: -5,
  trial: -5,
  'outer-cycle': -3,
  trains: -3,
  'few-iterations': -2,
  'literal-list': -5,
} as const;

type EvidenceKind = keyof typeof LOOP_EVIDENCE;

interface Evidence {
  kind: EvidenceKind;
  /** What the evidence was found on, for messages: `train_loader`, `optimizer.step()`. */
  subject: string;
}

const has = (ws: string[], set: ReadonlySet<string>): boolean => ws.some((w) => set.has(w));
const set = (...xs: string[]): ReadonlySet<string> => new Set(xs);

const DATA_LAST = set(
  'loader',
  'loaders',
  'dataloader',
  'dataloaders',
  'dl',
  'dls',
  'batches',
  'minibatches',
  'iterator',
  'iter',
  'ds',
  'dataset',
  'generator',
  'gen',
  'feeder',
);
const SPLIT_FIRST = set('train', 'training', 'val', 'valid', 'validation', 'test', 'eval', 'dev');
const SPLIT_LAST = set('data', 'set', 'samples', 'examples', 'batches', 'ds', 'dataset');
const COUNT_WORDS = set('steps', 'step', 'iters', 'iter', 'iterations', 'iteration', 'batches', 'updates', 'timesteps');
const STEP_WORDS = set(
  'step',
  'steps',
  'iter',
  'iters',
  'iteration',
  'iterations',
  'itr',
  'batch',
  'batches',
  'update',
  'updates',
  'timestep',
  'timesteps',
);
const STEP_TARGET_NAMES = set(
  'it',
  'iteration',
  'iter',
  'itr',
  'step',
  'global_step',
  'train_step',
  'step_idx',
  'step_i',
  'timestep',
  't_step',
);
const BATCH_WORDS = set('batch', 'minibatch', 'microbatch');
const INPUT_TARGET = set(
  'x',
  'input',
  'inputs',
  'image',
  'images',
  'img',
  'imgs',
  'data',
  'features',
  'input_ids',
  'src',
  'sample',
  'samples',
  'x_batch',
  'xb',
  'tweets',
  'texts',
  'text',
  'tokens',
  'signals',
  'audio',
  'waveform',
  'waveforms',
  'spectrograms',
  'batch_x',
  'obs',
  'states',
);
const LABEL_TARGET = set(
  'y',
  'label',
  'labels',
  'target',
  'targets',
  'tgt',
  'y_batch',
  'yb',
  'mask',
  'masks',
  'batch_y',
  'gt',
  'actions',
);
const EPOCH_WORDS = set('epoch', 'epochs');
const EPOCH_NAMES = set('ep', 'e');
const TRIAL_WORDS = set(
  'trial',
  'trials',
  'fold',
  'folds',
  'seed',
  'seeds',
  'hparams',
  'hyperparam',
  'hyperparams',
  'hyperparameters',
  'experiment',
  'experiments',
  'candidates',
  'kfold',
);
/** Last words of a loop variable that is one trial's setting: `for cfg in ...`, `for model in ...`. */
const TRIAL_TARGET_LAST = set(
  'config',
  'configs',
  'cfg',
  'cfgs',
  'params',
  'param',
  'grid',
  'model',
  'models',
  'run',
  'runs',
  'split',
  'splits',
);
/** Last words of a collection of trials: `for c in configs`, `kf.split(X)`; `params` alone is one config's keys. */
const TRIAL_SOURCE_LAST = set('configs', 'cfgs', 'grid', 'models', 'runs', 'split', 'splits', 'combinations', 'sweep');
const OPTIMISER_RECEIVER = set(
  'optimizer',
  'optimiser',
  'optim',
  'opt',
  'scaler',
  'optimizers',
  'optimisers',
  'trainer',
);
const BODY_STEPS = set(
  'backward',
  'apply_gradients',
  'apply_updates',
  'zero_grad',
  'train_on_batch',
  'train_batch',
  'train_step',
  'training_step',
  'fit_batch',
  'partial_fit',
  'trainOnBatch',
  'optimizer_step',
  'update_parameters',
  'learn_step',
);
/** Steps that say they train on one batch: the loop around them draws a batch per iteration. */
const BATCH_STEPS = set('train_on_batch', 'train_batch', 'fit_batch', 'trainOnBatch', 'fitBatch');
const TRAINING_ROUTINE = set(
  'learn',
  'fit',
  'fit_generator',
  'train_model',
  'fit_model',
  'run_training',
  'train_loop',
  'training_loop',
  'train_and_evaluate',
);
const ENV_RECEIVER = set('env', 'envs', 'environment', 'game', 'sim');

/** Words of the last dotted segment: `self.train_loader` → train, loader. */
function wordsOfName(n: string): string[] {
  return wordsOf(n.split('.').pop() ?? n);
}

/**
 * Whether the model's rules ever look at a call by this name that is not a tracking call: the
 * training steps, batch steps, whole-phase routines and environment steps read below. A Python
 * walk skips calls of other names (see languages/python/triggers.ts), so a predicate over
 * `call.name` added here must be reflected in this function.
 */
export function callNameMatters(name: string): boolean {
  return (
    BODY_STEPS.has(name) ||
    BATCH_STEPS.has(name) ||
    TRAINING_ROUTINE.has(name) ||
    name === 'step' ||
    name === 'minimize' ||
    wordsOf(name).includes('epoch')
  );
}

/** A call that advances training by one step: `optimizer.step()`, `loss.backward()`, `model.train_on_batch(...)`. */
export function stepsTraining(call: Call): boolean {
  if (BODY_STEPS.has(call.name)) return true;
  if (call.name !== 'step' && call.name !== 'minimize') return false;
  const recv = wordsOfName(call.receiverText ?? '');
  return recv.some((w) => OPTIMISER_RECEIVER.has(w) || w.startsWith('optim'));
}

/** A call that runs a whole training phase: `model.learn(...)`, `model.fit(...)`, `train_one_epoch(...)`. */
function trainsWhole(call: Call): boolean {
  if (TRAINING_ROUTINE.has(call.name)) return true;
  const ws = wordsOf(call.name);
  return ws.includes('epoch') && (ws.includes('train') || ws.includes('run') || ws.includes('fit'));
}

function stepsEnvironment(call: Call): boolean {
  return call.name === 'step' && wordsOfName(call.receiverText ?? '').some((w) => ENV_RECEIVER.has(w));
}

function isStepCounter(name: string): boolean {
  const ws = wordsOfName(name);
  return has(ws, STEP_WORDS) || ws.join('_') === 'it' || ws.join('_') === 't';
}

/** A helper called in the body that steps the optimiser or advances a step counter outside loops of its own. */
function helperSteps(call: Call, seen: Set<Func>, depth = 0): string | null {
  const f = call.target;
  if (!f || seen.has(f) || depth > 2) return null;
  seen.add(f);
  const counter = f.advancedCounters.find(isStepCounter);
  if (counter) return counter;
  for (const c of f.calls) {
    if (c.loops.length) continue;
    if (stepsTraining(c)) return `${c.calleeText}()`;
    const deeper = helperSteps(c, seen, depth + 1);
    if (deeper) return deeper;
  }
  return null;
}

function isDataName(ws: string[], extra: RegExp[], name: string): boolean {
  if (!ws.length) return false;
  const last = ws[ws.length - 1];
  if (DATA_LAST.has(last)) return true;
  if (ws.length >= 2 && SPLIT_FIRST.has(ws[0]) && SPLIT_LAST.has(last)) return true;
  return extra.some((p) => p.test(name));
}

function isTrialName(ws: string[], target = false): boolean {
  if (!ws.length) return false;
  if (has(ws, TRIAL_WORDS)) return true;
  const last = ws[ws.length - 1];
  if ((target ? TRIAL_TARGET_LAST : TRIAL_SOURCE_LAST).has(last)) return true;
  // `model_name`, `run_id`, `run_idx`: one model or run per iteration.
  return (
    ws.length === 2 &&
    (ws[0] === 'model' || ws[0] === 'run' || ws[0] === 'config') &&
    ['name', 'names', 'id', 'ids', 'idx', 'i', 'num', 'path', 'paths', 'type', 'types'].includes(ws[1])
  );
}

const own = (name: string): string => name.replace(/^(self|this)\./, '');

/**
 * `while step < num_steps:` with `step` advanced in the body counts to `num_steps`, as
 * `range(num_steps)` does: the count, and the counter that is its loop variable.
 */
function whileCount(loop: Loop): { count: Expr; counter: string } | null {
  const t = loop.iterable;
  if (t?.kind !== 'binary' || (t.op !== '<' && t.op !== '<=')) return null;
  const counter = own(dotted(t.left));
  if (!counter || !loop.advancedCounters.some((c) => own(c) === counter)) return null;
  return {
    count: {
      kind: 'call',
      text: t.text,
      callee: { kind: 'name', text: 'range', name: 'range' },
      args: [t.right],
      keywords: {},
    },
    counter,
  };
}

/**
 * The loop's index variable: one the adapter knows from syntax (`for (let i = 0; ...)`, a
 * `forEach` callback's index), the first target of an `enumerate(...)` or `.entries()` (through
 * wrappers and bindings), or the target of a counted loop (`for step in tqdm(range(n))`).
 */
function indexOf(loop: Loop): string | null {
  if (loop.indexVar) return loop.indexVar;
  if (loop.kind === 'while') return null;
  if (loop.targets.length >= 2 && enumerates(loop.iterable)) return loop.targets[0];
  return loop.targets.length === 1 && loopSource(loop.iterable).counted ? loop.targets[0] : null;
}

function loopEvidence(loop: Loop, opts: LoopOptions = {}): Evidence[] {
  const ev: Evidence[] = [];
  const add = (kind: EvidenceKind, subject: string): void => {
    if (!ev.some((e) => e.kind === kind)) ev.push({ kind, subject });
  };
  const extra = (opts.tightLoopNames ?? []).map((p) => new RegExp(p, 'i'));
  for (const c of loop.calls) {
    if (BATCH_STEPS.has(c.name)) add('batch-step', `${c.calleeText}()`);
    else if (stepsTraining(c)) add('optimiser-step', `${c.calleeText}()`);
    else if (stepsEnvironment(c)) add('env-step', `${c.calleeText}()`);
    else if (trainsWhole(c)) add('trains', `${c.calleeText}()`);
  }
  // A loop around a per-step loop counts its own iterations (validation passes, rollouts): its
  // counters say nothing about steps.
  const nests = loop.children.some((c) => classifyLoop(c, opts).perStep);
  // `while step < n: ...; step += 1` is `for step in range(n)`: its counter is the loop variable, not extra evidence.
  const counting = loop.kind === 'while' ? whileCount(loop) : null;
  const loopVar = counting?.counter ?? null;
  const counter = nests ? undefined : loop.advancedCounters.find((c) => isStepCounter(c) && own(c) !== loopVar);
  if (counter) add('step-counter', counter);
  if (loopVar && isStepCounter(loopVar)) add('step-target', loopVar);
  if (!ev.some((e) => e.kind === 'step-counter' || e.kind === 'optimiser-step' || e.kind === 'batch-step')) {
    const seen = new Set<Func>();
    for (const c of loop.calls) {
      // Only a helper called on every iteration, not one behind a condition in the loop.
      const why = c.conditions.every((k) => k.range.start.offset < loop.range.start.offset)
        ? helperSteps(c, seen)
        : null;
      if (why) {
        add('helper-steps', `${c.calleeText}()`);
        break;
      }
    }
  }
  const src = loopSource(loop.kind === 'while' ? (counting?.count ?? null) : loop.iterable);
  if (src.literalList && loop.kind !== 'while') add('literal-list', loop.iterable?.text ?? '');
  const names = src.sources.flatMap((s) => sourceNames(s));
  for (const n of names) {
    const ws = wordsOf(n);
    // `fold_loaders`, `epoch_iter`: a name about folds or epochs is not a data source.
    if (has(ws, EPOCH_WORDS)) add('epoch', n);
    else if (isTrialName(ws)) add('trial', n);
    else if (src.counted) {
      if (has(ws, COUNT_WORDS) || (src.lengthOf && isDataName(ws, extra, n))) add('step-count', n);
    } else if (!loop.dictIteration && (isDataName(ws, extra, n) || src.batched)) add('data-source', n);
  }
  if (src.batched && !names.length) add('data-source', loop.iterable?.text ?? '');
  for (const p of src.passed) {
    const sub = loopSource(p);
    for (const n of [...sub.sources, ...sub.passed].flatMap((s) => sourceNames(s)))
      if (isDataName(wordsOf(n), extra, n)) add('data-source', n);
  }
  // `while epoch < cfg.epochs`, `i_trial += 1`: what a while loop counts says what it runs per.
  const counted =
    loop.kind === 'while' ? [...(loop.iterable ? sourceNames(loop.iterable) : []), ...loop.advancedCounters] : [];
  for (const n of counted) {
    const ws = wordsOfName(n);
    if (has(ws, EPOCH_WORDS)) add('epoch', n);
    else if (has(ws, TRIAL_WORDS)) add('trial', n);
  }
  // `for step in range(5)`: a handful of iterations is not a training loop.
  const few = src.counted
    ? src.sources.find((b) => b.kind === 'literal' && b.literal.kind === 'number' && Number(b.literal.value) < 100)
    : undefined;
  if (few) add('few-iterations', few.text);
  const targets = loop.targets.map((t) => ({ t, ws: wordsOf(t) }));
  for (const { t, ws } of targets) {
    if (has(ws, EPOCH_WORDS) || EPOCH_NAMES.has(t)) add('epoch', t);
    if (isTrialName(ws, true)) add('trial', t);
  }
  if (!loop.dictIteration && loop.kind !== 'while') {
    const batch = targets.find(({ ws }) => has(ws, BATCH_WORDS) && !ws.includes('size'));
    if (batch) add('batch-target', batch.t);
    const lower = loop.targets.map((t) => t.toLowerCase());
    if (
      lower.some((t) => INPUT_TARGET.has(t)) &&
      lower.some((t) => LABEL_TARGET.has(t)) &&
      (src.sources.length || src.batched)
    ) {
      add('input-label-targets', loop.targets.join(', '));
    }
    const stepTarget = targets.find(({ t }) => STEP_TARGET_NAMES.has(t.toLowerCase()) || wordsOf(t).includes('step'));
    if (stepTarget && (src.counted || indexOf(loop) === stepTarget.t)) add('step-target', stepTarget.t);
  }
  if (nests) add('outer-cycle', '');
  return ev;
}

/** Hooks that a framework calls on every batch. */
const PER_STEP_HOOKS = new Set([
  'on_train_batch_end',
  'on_train_batch_begin',
  'on_batch_end',
  'on_batch_begin',
  'on_step_end',
  'on_step_begin',
  'on_train_step_end',
  'on_iteration_end',
  'after_train_iter',
  'after_train_step',
  'training_step',
  'on_after_backward',
  'on_before_optimizer_step',
  'on_validation_batch_end',
  'on_test_batch_end',
  'on_predict_batch_end',
  'after_batch',
  'after_step',
  'before_step',
  'before_batch',
  'after_backward',
  'after_loss',
  'batch_end',
  'batch_start',
  'after_train_batch',
  'on_batch',
  'on_step',
  // XGBoost and CatBoost training callbacks: once per boosting round.
  'after_iteration',
  'before_iteration',
  // TensorFlow.js and other JavaScript callbacks.
  'onBatchEnd',
  'onBatchBegin',
  'onTrainBatchEnd',
  'onStepEnd',
  'onIterationEnd',
  'onYield',
]);

const cache = new WeakMap<Loop, LoopVerdict>();

export interface LoopVerdict {
  /** Why the loop runs per step, or null when it does not look per-step. */
  perStep: string | null;
  /** Per epoch, or an outer cycle of training (around a per-step loop, or running a whole training phase). */
  perEpoch: boolean;
  /** Per trial / fold / config / model: a loop over experiments rather than data. */
  perTrial: boolean;
  /** The step/counter variable a fix could test. */
  counter: string | null;
}

const REASON: Partial<Record<EvidenceKind, (s: string) => string>> = {
  'batch-step': (s) => `calls \`${s}\``,
  'optimiser-step': (s) => `calls \`${s}\``,
  'step-counter': (s) => `advances \`${s}\``,
  'helper-steps': (s) => `calls \`${s}\`, which advances a step`,
  'env-step': (s) => `steps the environment with \`${s}\``,
  'data-source': (s) => `iterates over \`${s}\``,
  'step-count': (s) => `counts \`${s}\``,
  'batch-target': (s) => `iterates batches \`${s}\``,
  'input-label-targets': (s) => `iterates batches \`${s}\``,
  'step-target': (s) => `steps \`${s}\``,
};

export function classifyLoop(loop: Loop, opts: LoopOptions = {}): LoopVerdict {
  const hit = cache.get(loop);
  if (hit) return hit;
  const evidence = loopEvidence(loop, opts);
  const score = evidence.reduce((s, e) => s + LOOP_EVIDENCE[e.kind], 0);
  const best = evidence
    .filter((e) => LOOP_EVIDENCE[e.kind] > 0)
    .sort((a, b) => LOOP_EVIDENCE[b.kind] - LOOP_EVIDENCE[a.kind])[0];
  const perStep = score >= 1 && best ? (REASON[best.kind] as (s: string) => string)(best.subject) : null;
  const counterVar = indexOf(loop) ?? loop.advancedCounters.find(isStepCounter) ?? null;
  const verdict: LoopVerdict = {
    perStep,
    perEpoch: !perStep && evidence.some((e) => e.kind === 'epoch' || e.kind === 'trains' || e.kind === 'outer-cycle'),
    perTrial: !perStep && evidence.some((e) => e.kind === 'trial'),
    counter: counterVar,
  };
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
  /** Why the loop or function runs per step: "calls `optimizer.step`", "`on_train_batch_end` runs on every batch". */
  reason: string;
}

/** Is the call under a step-interval condition that lies inside `loop` (or anywhere in its function when loop is null)? */
export function guardedWithin(call: Call, loop: Loop | null): boolean {
  return call.conditions.some((c: Condition) => {
    if (loop && c.range.start.offset < loop.range.start.offset) return false;
    return c.interval || (loop !== null && selectsOneIteration(c, loop));
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
  if (PER_STEP_HOOKS.has(f.name) || f.decorators.some((d) => isPerStepEvent(d))) {
    return { loop: null, hook: f.name, via: [], reason: `\`${f.name}\` runs on every batch` };
  }
  seen.add(f);
  for (const caller of f.callers) {
    const ctx = stepContext(caller, opts, seen);
    if (ctx) return { ...ctx, via: [...ctx.via, f] };
  }
  return null;
}

const PER_ITERATION_EVENTS = new Set(['ITERATION_COMPLETED', 'ITERATION_STARTED']);

/** `@trainer.on(Events.ITERATION_COMPLETED)`, not `Events.ITERATION_COMPLETED(every=100)`. */
function isPerStepEvent(decorator: Expr, depth = 0): boolean {
  if (depth > 4) return false;
  if (decorator.kind === 'attribute' || decorator.kind === 'name') return PER_ITERATION_EVENTS.has(lastName(decorator));
  if (decorator.kind === 'binary')
    return isPerStepEvent(decorator.left, depth + 1) || isPerStepEvent(decorator.right, depth + 1);
  if (decorator.kind !== 'call') return false;
  const event = lastName(decorator.callee);
  if (PER_ITERATION_EVENTS.has(event)) return !['every', 'once', 'filter'].some((k) => k in decorator.keywords);
  return decorator.args.some((a) => isPerStepEvent(a, depth + 1));
}

/**
 * Does the call log into a run that `loop` opens on each iteration? True inside a
 * `with start_run()` that sits in the loop, after a plain `start_run()` in the loop body, and for
 * a client call whose `run_id` changes per iteration.
 * Calls before the nested run starts, or after its `with` block, go to the parent run.
 */
export function inRunOpenedBy(loop: Loop, call: Call): boolean {
  const at = call.range.start.offset;
  // `client.set_tag(child_run_id, ...)` with a run id that changes per iteration: a loop over runs.
  if (call.args.run_id?.names.some((n) => loop.targets.includes(n) || loop.derivedNames.includes(n))) return true;
  if (
    call.runScopes.some(
      (r) => r.range.start.offset > loop.range.start.offset && r.range.end.offset <= loop.range.end.offset,
    )
  )
    return true;
  return loop.runStarts.some((o) => o < at);
}
