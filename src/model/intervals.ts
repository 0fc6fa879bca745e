// What a step-interval fix can reuse: an interval the code already has, and the call site of a
// helper that only logs.
import { wordsOf, type Expr } from './expr.js';
import type { StepContext } from './loops.js';
import type { Call, Func, Loop, SourceModel } from './types.js';

/** `log_every`, `LOG_INTERVAL`, `log_freq`, `logging_steps` (Hugging Face), `log_every_n_steps` (Lightning). */
function namesAnInterval(name: string): boolean {
  const w = wordsOf(name.replace(/^_+/, '')).map((x) => x.toLowerCase());
  if (w[0] !== 'log' && w[0] !== 'logging') return false;
  const rest = w.slice(1);
  if (
    !rest.length ||
    !rest.every((x) => ['every', 'interval', 'freq', 'frequency', 'period', 'steps', 'n', 'step'].includes(x))
  )
    return false;
  return (
    rest.some((x) => ['every', 'interval', 'freq', 'frequency', 'period'].includes(x)) ||
    (w[0] === 'logging' && rest.join('_') === 'steps')
  );
}

/** The counter and modulus of `step % k == 0` (or `not step % k`), as written. */
function modulus(e: Expr | null): { left: Expr; right: Expr } | null {
  if (!e) return null;
  if (e.kind === 'binary') {
    if (e.op === '%') return { left: e.left, right: e.right };
    return modulus(e.left) ?? modulus(e.right);
  }
  return e.kind === 'not' ? modulus(e.operand) : null;
}

const lastName = (e: Expr): string => (e.kind === 'attribute' ? e.attr : e.kind === 'name' ? e.name : '');

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * An interval the code already defines that a guard on `call` in `loop` testing `counter` can
 * name: the modulus of another step-interval guard in the same function on the same counter, or
 * one named like an interval; a parameter of the function named like
 * one (`log_interval`), or such an attribute of a parameter (`args.log_interval`) or of `self`
 * that the function reads; a module-level name (`LOG_EVERY = 50`). Null when there is none.
 */
export function definedInterval(model: SourceModel, call: Call, loop: Loop, counter: string): string | null {
  const f = call.func;
  for (const m of guardsOf(model).get(f) ?? []) {
    const k = m.right;
    const simple = k.kind === 'literal' ? /^\d+$/.test(k.text) : k.kind === 'name' || k.kind === 'attribute';
    // `epoch % eval_every` is another loop's interval; `step % 50` or `i % log_interval` is this one's.
    if (simple && (m.left.text === counter || namesAnInterval(lastName(k)))) return k.text;
  }
  if (f) {
    const param = f.params.find(namesAnInterval);
    if (param) return param;
    const body = model.text.slice(f.range.start.offset, f.range.end.offset);
    for (const m of body.matchAll(/\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\b/g)) {
      if ((f.params.includes(m[1]) || m[1] === 'self') && namesAnInterval(m[2]) && !assigns(body, m[0])) return m[0];
    }
  }
  const global = globalIntervalsOf(model).find((a) => a.offset < loop.range.start.offset);
  return global ? global.target : null;
}

type Guard = { left: Expr; right: Expr };

// Asked once per call in a loop: indexed once per model, so a file with thousands of calls
// is not read thousands of times.
const guardIndex = new WeakMap<SourceModel, Map<Func | null, Guard[]>>();
const globalIndex = new WeakMap<SourceModel, SourceModel['assignments']>();

/** The moduli of the step-interval guards on the model's calls, by function, in source order. */
function guardsOf(model: SourceModel): Map<Func | null, Guard[]> {
  let index = guardIndex.get(model);
  if (index) return index;
  index = new Map();
  for (const other of model.calls) {
    for (const c of other.conditions) {
      const m = c.interval ? modulus(c.test) : null;
      if (!m) continue;
      const list = index.get(other.func) ?? [];
      list.push(m);
      index.set(other.func, list);
    }
  }
  guardIndex.set(model, index);
  return index;
}

/** Module-level assignments to names like an interval (`LOG_EVERY = 50`), in source order. */
function globalIntervalsOf(model: SourceModel): SourceModel['assignments'] {
  let found = globalIndex.get(model);
  if (found) return found;
  const spans = model.funcs.map((g) => g.range);
  const inFunc = (offset: number): boolean => spans.some((r) => offset >= r.start.offset && offset < r.end.offset);
  found = model.assignments.filter((a) => identifier.test(a.target) && namesAnInterval(a.target) && !inFunc(a.offset));
  globalIndex.set(model, found);
  return found;
}

/** `args.log_every = ...` in the function: a value it sets there, not one it was given. */
function assigns(body: string, target: string): boolean {
  return new RegExp(`${target.replace('.', '\\.')}\\s*=[^=]`).test(body);
}

/**
 * Where a step-interval guard goes for a call made per step through helpers: the call site, in
 * the loop, of the outermost helper, when that helper does nothing but log (every call in it is a
 * tracking call or inside the arguments of one), so that skipping it on most steps skips nothing
 * else. Null otherwise.
 */
export function loggingHelperSite(model: SourceModel, sc: StepContext): Call | null {
  const helper = sc.via[0];
  if (!sc.loop || !helper || sc.via.length !== 1 || !onlyLogs(helper, model)) return null;
  const sites = helper.callers.filter((c) => c.loops[c.loops.length - 1] === sc.loop && c.statement);
  // `self._log(self.training_step(batch), step)`: what the arguments compute would be skipped too.
  if (sites.length !== 1 || argumentsText(model, sites[0]).includes('(')) return null;
  return sites[0];
}

function onlyLogs(f: Func, model: SourceModel): boolean {
  const tracking = f.calls.filter((c) => c.mlflow);
  if (!tracking.length) return false;
  // `self.count += 1`, `history[k] = v`: state the helper keeps would be skipped too.
  const inside = (o: number): boolean => o >= f.range.start.offset && o < f.range.end.offset;
  if (model.assignments.some((a) => inside(a.offset) && !identifier.test(a.target))) return false;
  return f.calls.every(
    (c) =>
      c.mlflow ||
      tracking.some((t) => c.range.start.offset >= t.range.start.offset && c.range.end.offset <= t.range.end.offset),
  );
}

/** The text of a call's arguments, its parentheses left out. */
function argumentsText(model: SourceModel, c: Call): string {
  return model.text
    .slice(c.range.start.offset + c.calleeText.length, c.range.end.offset)
    .trim()
    .slice(1, -1);
}
