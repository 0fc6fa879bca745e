// Conditions judged from their tests: which are step-interval guards (`step % k == 0`, a buffer
// that fills, time that has passed, a flag defined from one of those), which pick one iteration
// of a loop (`if step == 0`), and which are gradient-accumulation boundaries that are true on
// every optimiser step and so guard nothing.
import { dotted, lastName, namesIn, wordsOf, type Expr } from './expr.js';
import type { Condition, Loop } from './types.js';

const CLOCKS = new Set([
  'time',
  'perf_counter',
  'monotonic',
  'now',
  'process_time',
  'time_ns',
  'perf_counter_ns',
  'monotonic_ns',
]);
const ACCUMULATION = new Set(['accum', 'accumulate', 'accumulation', 'accumulated', 'accumulating', 'acc']);
/** Flags that say when the optimiser steps (`optimizer_step`, `sync_gradients`, `do_update`). */
const STEP_FLAG = new Set([
  'optimizer',
  'optimiser',
  'optim',
  'opt',
  'sync',
  'accum',
  'accumulation',
  'accumulate',
  'gradients',
  'grad',
  'grads',
]);

const isStringLike = (e: Expr): boolean =>
  (e.kind === 'literal' && e.literal.kind === 'string') || e.kind === 'template';

/** The modulus of `x % k` names a gradient-accumulation count (`% args.gradient_accumulation_steps`). */
function accumulationModulus(right: Expr): boolean {
  return namesOfExpr(right).some((n) => wordsOf(n).some((w) => ACCUMULATION.has(w)));
}

function namesOfExpr(e: Expr): string[] {
  const out = namesIn(e);
  const d = dotted(e);
  if (d) out.push(d.split('.').pop() as string);
  return out;
}

/** Is `e` a reading of a clock: `time.time()`, `time.perf_counter()`, `Date.now()`, `performance.now()`? */
function isClock(e: Expr): boolean {
  return e.kind === 'call' && CLOCKS.has(lastName(e.callee));
}

function isLength(e: Expr): boolean {
  return (
    (e.kind === 'call' && lastName(e.callee) === 'len' && e.callee.kind === 'name') ||
    (e.kind === 'attribute' && (e.attr === 'length' || e.attr === 'size'))
  );
}

/** A test that is true once every so many steps (or items, or seconds). */
export function isIntervalTest(e: Expr | null, depth = 0): boolean {
  if (!e || depth > 10) return false;
  switch (e.kind) {
    case 'name':
      // `log_now = step % 10 == 0` then `if log_now:`; a flag about the optimiser is an accumulation boundary.
      if (wordsOf(e.name).some((w) => STEP_FLAG.has(w))) return false;
      return !!e.binding && isIntervalTest(e.binding, depth + 1);
    case 'not':
      return isIntervalTest(e.operand, depth + 1);
    case 'binary': {
      if (e.op === '%')
        return (
          !isStringLike(e.left) && !isStringLike(e.right) && e.right.kind !== 'list' && !accumulationModulus(e.right)
        );
      // A flush when a buffer fills (`len(buf) >= 1000`) or when time has passed.
      if (['>=', '>', '=='].includes(e.op) && isLength(e.left)) return true;
      if (['>=', '>'].includes(e.op) && e.left.kind === 'binary' && e.left.op === '-' && isClock(e.left.left))
        return true;
      return isIntervalTest(e.left, depth + 1) || isIntervalTest(e.right, depth + 1);
    }
    default:
      return false;
  }
}

/** `a and b and c` → [a, b, c]. */
function conjuncts(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'binary' && e.op === 'and') {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

/**
 * `if step == 0`, `if name == "time"`, `if i == len(loader) - 1 and rank == 0`: a test that
 * picks one iteration of the loop, so the call under it runs once, not per iteration.
 */
export function selectsOneIteration(cond: Condition, loop: Loop): boolean {
  if (!cond.test) return false;
  const vars = new Set([...loop.targets, ...loop.advancedCounters]);
  return conjuncts(cond.test).some((part) => {
    if (part.kind !== 'binary' || part.op !== '==') return false;
    const left = dotted(part.left);
    if (!left || !vars.has(left)) return false;
    if (part.right.kind === 'literal' && part.right.literal.kind === 'none') return false;
    return !namesIn(part.right).includes(left.split('.')[0]) && dotted(part.right) !== left;
  });
}

/** A key under which two conditions test the same thing: a flag's name, or the test's text. */
export function testKey(c: Condition): string | null {
  if (!c.test) return null;
  return c.test.kind === 'name' ? c.test.name : c.test.text.replace(/\s+/g, '');
}
