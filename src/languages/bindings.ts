// What both adapters do with names: number bindings as the walk makes them, and follow a name to
// the expression it was bound to.
import type { Expr } from '../model/expr.js';

// Bindings are numbered as the walk makes them, so that an expression lowered after the walk
// (a condition nobody asked about until a rule did) still sees only the bindings made before it.
let clock = 0;
const bornAt = new WeakMap<object, number>();

export function stamp(binding: object): void {
  bornAt.set(binding, ++clock);
}

/** The number of the last binding made so far. */
export function bindingClock(): number {
  return clock;
}

/** Was the binding made at or before `mark`? */
export function boundBy(binding: object, mark: number): boolean {
  return (bornAt.get(binding) ?? 0) <= mark;
}

/**
 * A name, with the expression it was last bound to when `lookup` finds one (`seen` stops a
 * binding that reads its own name, `x = f(x)`, from being followed forever).
 */
export function lowerName<N extends object>(
  text: string,
  lookup: ((name: string, seen: Set<N>) => N | null) | null,
  seen: Set<N>,
  lower: (node: N) => Expr,
): Expr {
  const bound = lookup?.(text, seen) ?? null;
  if (!bound || seen.has(bound)) return { kind: 'name', text, name: text };
  seen.add(bound);
  const binding = lower(bound);
  seen.delete(bound);
  return { kind: 'name', text, name: text, binding };
}
