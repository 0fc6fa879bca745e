// What a loop iterates over, once the wrappers are peeled off: `enumerate(tqdm(train_loader,
// desc=f"Epoch {epoch}"))` iterates over `train_loader`; `ds.shuffle(seed).batch(32)` over `ds`,
// in batches; `range(len(loader))` counts the batches of `loader`. Keyword arguments and strings
// of the wrappers never reach the verdict.
import { dotted, lastName, resolveBinding, type Expr } from './expr.js';

/** Calls that pass their first (or every) positional argument through. */
const PASS_FIRST = new Set([
  'tqdm',
  'enumerate',
  'iter',
  'islice',
  'sorted',
  'list',
  'tuple',
  'reversed',
  'progress_bar',
  'track',
  'cycle',
  'ProgressBar',
  'prefetch_generator',
  'BackgroundGenerator',
  'alive_it',
  'Bar',
  'pbar',
  'nullcontext',
  'Array.from',
]);

/** `tqdm(xs)`, `enumerate(xs)`, `iter(xs)`, `Array.from(xs)`: a call that hands its first argument's items on. */
export function passesThrough(callee: Expr): boolean {
  return PASS_FIRST.has(wrapperName(callee));
}

/** The wrapper a call is, by its dotted callee (`Array.from`) or its last name (`tqdm.auto.tqdm`). */
function wrapperName(callee: Expr): string {
  const d = dotted(callee);
  return PASS_FIRST.has(d) || PASS_ALL.has(d) ? d : lastName(callee);
}
const PASS_ALL = new Set(['zip', 'chain', 'product', 'zip_longest']);
/** Methods that return the same stream of data (tf.data, torchdata, Ray, NumPy views). */
const SAME_DATA = new Set([
  'shuffle',
  'prefetch',
  'repeat',
  'take',
  'skip',
  'cache',
  'map',
  'filter',
  'unbatch',
  'with_options',
  'to',
  'entries',
  'values',
]);
/** Methods that cut the stream into batches: the loop runs per batch. */
const BATCHING = new Set([
  'batch',
  'padded_batch',
  'iter_batches',
  'iter_torch_batches',
  'batches',
  'minibatches',
  'chunk',
]);
const COUNTING = new Set(['range', 'trange', 'xrange']);

export interface LoopSource {
  /** The expressions the loop draws its items from, after unwrapping. */
  sources: Expr[];
  /** `range(n)` / `trange(n)`: the loop counts to `n` (which is then the source). */
  counted: boolean;
  /** A `.batch(...)`-style call cut the data into batches. */
  batched: boolean;
  /** The iterable is a literal list or tuple (`["train", "val"]`). */
  literalList: boolean;
  /** `range(len(x))`: the count is the length of a collection. */
  lengthOf: boolean;
  /** Data handed to a call the loop iterates over (`prefetcher(train_loader)`, `first_n(k, data_iter)`). */
  passed: Expr[];
}

export function loopSource(iterable: Expr | null): LoopSource {
  const out: LoopSource = {
    sources: [],
    counted: false,
    batched: false,
    literalList: false,
    lengthOf: false,
    passed: [],
  };
  if (iterable) unwrap(iterable, out, 0);
  return out;
}

function unwrap(e: Expr, out: LoopSource, depth: number): void {
  if (depth > 8) {
    out.sources.push(e);
    return;
  }
  if (e.kind === 'name' && e.binding) {
    // `data_iter = enumerate(train_loader)`: the name stands for its binding; keep the name's own words too.
    out.sources.push(e);
    unwrap(resolveBinding(e), out, depth + 1);
    return;
  }
  if (e.kind === 'list') {
    out.literalList = e.items.length > 0 && e.items.every((i) => i.kind === 'literal' || i.kind === 'list');
    if (!out.literalList) for (const i of e.items) unwrap(i, out, depth + 1);
    return;
  }
  if (e.kind === 'attribute' && e.attr === 'length') {
    // `i < batches.length`: counts the items of `batches`.
    out.lengthOf = true;
    unwrap(e.object, out, depth + 1);
    return;
  }
  if (e.kind !== 'call') {
    out.sources.push(e);
    return;
  }
  const fn = wrapperName(e.callee);
  const callee = e.callee.kind === 'attribute' ? e.callee : null;
  if (PASS_ALL.has(fn)) {
    for (const a of e.args) unwrap(a, out, depth + 1);
    return;
  }
  if (PASS_FIRST.has(fn) && e.args[0]) {
    unwrap(e.args[0], out, depth + 1);
    return;
  }
  if (COUNTING.has(fn) && e.args.length) {
    out.counted = true;
    unwrap(countOf(e.args[e.args.length >= 2 ? 1 : 0], out), out, depth + 1);
    return;
  }
  if (callee && BATCHING.has(fn)) {
    out.batched = true;
    unwrap(callee.object, out, depth + 1);
    return;
  }
  if (callee && SAME_DATA.has(fn)) {
    unwrap(callee.object, out, depth + 1);
    return;
  }
  out.sources.push(e);
  for (const a of e.args) {
    if (a.kind === 'name' || a.kind === 'attribute') out.passed.push(a.kind === 'name' && a.binding ? a.binding : a, a);
  }
}

/** The collection or bound a count stands for: `len(loader)` → loader, `int(n * frac)` → n * frac. */
function countOf(e: Expr, out: LoopSource): Expr {
  let cur = e;
  for (let i = 0; i < 4; i++) {
    if (
      cur.kind === 'call' &&
      cur.args[0] &&
      ['len', 'int', 'min', 'max', 'round', 'ceil', 'floor'].includes(lastName(cur.callee))
    ) {
      if (lastName(cur.callee) === 'len') out.lengthOf = true;
      cur = cur.args[0];
    } else if (cur.kind === 'attribute' && cur.attr === 'length') {
      out.lengthOf = true;
      cur = cur.object;
    } else break;
  }
  return cur;
}

/**
 * The identifiers that name a source: the name itself, an attribute's last segment
 * (`self.train_loader`), a call's callee (`get_train_dataloader()`) and its object, a
 * subscript's collection (`loaders["train"]`), both sides of arithmetic (`epochs * steps`).
 */
export function sourceNames(e: Expr, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  switch (e.kind) {
    case 'name':
      out.push(e.name);
      break;
    case 'attribute':
      out.push(e.attr);
      if (e.object.kind === 'call') sourceNames(e.object, out, depth + 1);
      break;
    case 'call': {
      // `kf.split(X)` yields folds; `os.getenv("T").split(",")` splits a string.
      const fn = lastName(e.callee);
      const stringSplit =
        fn === 'split' && (!e.args.length || (e.args[0].kind === 'literal' && e.args[0].literal.kind === 'string'));
      if (!stringSplit) out.push(fn);
      if (e.callee.kind === 'attribute') sourceNames(e.callee.object, out, depth + 1);
      break;
    }
    case 'subscript':
      sourceNames(e.object, out, depth + 1);
      break;
    case 'binary':
      sourceNames(e.left, out, depth + 1);
      sourceNames(e.right, out, depth + 1);
      break;
    default:
      break;
  }
  return out.filter(Boolean);
}

/** Peel wrappers and bindings off an iterable, returning each layer until `stop` says yes. */
function peel(iterable: Expr | null, stop: (e: Expr & { kind: 'call' }) => boolean): (Expr & { kind: 'call' }) | null {
  let e: Expr | null = iterable ? resolveBinding(iterable) : null;
  for (let i = 0; e && i < 6; i++) {
    // `[...xs.entries()]`: a list of one spread is the spread's iterable.
    if (e.kind === 'list' && e.items.length === 1) {
      e = resolveBinding(e.items[0]);
      continue;
    }
    if (e.kind !== 'call') return null;
    if (stop(e)) return e;
    // `xs.entries()`, `xs.values()` on an array: the same items, numbered or not.
    if (
      e.callee.kind === 'attribute' &&
      ['entries', 'values'].includes(e.callee.attr) &&
      !e.args.length &&
      !isObjectCall(e, ['entries', 'values'])
    ) {
      e = resolveBinding(e.callee.object);
      continue;
    }
    if (!PASS_FIRST.has(wrapperName(e.callee)) || !e.args[0]) return null;
    e = resolveBinding(e.args[0]);
  }
  return null;
}

const isObjectCall = (e: Expr & { kind: 'call' }, names: string[]): boolean =>
  e.callee.kind === 'attribute' && dotted(e.callee.object) === 'Object' && names.includes(e.callee.attr);

/**
 * `for i, batch in data_iter` where `data_iter = enumerate(loader)`, `for (const [i, b] of
 * batches.entries())`: the loop's first target is an index.
 */
export function enumerates(iterable: Expr | null): boolean {
  return !!peel(
    iterable,
    (e) =>
      lastName(e.callee) === 'enumerate' ||
      (e.callee.kind === 'attribute' && e.callee.attr === 'entries' && !e.args.length && !isObjectCall(e, ['entries'])),
  );
}

const DICT_VIEWS = new Set(['items', 'keys', 'iteritems', 'iterrows']);

/** A loop over a dict's items or keys, a `zip` of names and values, or a DataFrame's rows, through wrappers and bindings. */
export function iteratesDict(iterable: Expr | null): boolean {
  return !!peel(
    iterable,
    (e) =>
      isObjectCall(e, ['entries', 'keys']) ||
      (e.callee.kind === 'attribute' && DICT_VIEWS.has(e.callee.attr) && !e.args.length) ||
      (e.callee.kind === 'name' && e.callee.name === 'zip'),
  );
}
