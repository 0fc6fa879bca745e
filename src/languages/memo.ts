/**
 * Memoise a receiver lookup by (owner, name): lookups are pure once every binding is known, and
 * memoising keeps chains of reassignments linear. A lookup already in progress (a cycle such as
 * `x = f(x)`) answers null.
 */
export function memoized<K, R>(
  memo: Map<K, Map<string, R | null | undefined>>,
  owner: K,
  name: string,
  compute: () => R | null,
): R | null {
  let m = memo.get(owner);
  if (!m) memo.set(owner, (m = new Map()));
  if (m.has(name)) return m.get(name) ?? null;
  m.set(name, undefined);
  const r = compute();
  m.set(name, r);
  return r;
}
