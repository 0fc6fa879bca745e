// Expressions as the adapters lower them: a small tree of names, attributes, calls, literals and
// operators, the same for every language. The model judges loops and conditions from these
// facts, never from source text.
import type { Literal } from './types.js';

export type Expr =
  /** A name; `binding` is the expression it was last assigned from before this use, when known. */
  | { kind: 'name'; text: string; name: string; binding?: Expr }
  | { kind: 'attribute'; text: string; object: Expr; attr: string }
  | { kind: 'call'; text: string; callee: Expr; args: Expr[]; keywords: Record<string, Expr> }
  | { kind: 'subscript'; text: string; object: Expr; index: Expr }
  | { kind: 'literal'; text: string; literal: Literal }
  /** A list, tuple or set display, or an array literal. */
  | { kind: 'list'; text: string; items: Expr[] }
  /** A dict display or an object literal; `spread` when it also unpacks another (`**base`, `...base`). */
  | { kind: 'dict'; text: string; entries: { key: Expr; value: Expr }[]; spread: boolean }
  /** Operators spelled one way for every language: `and`, `or`, `==`, `!=`, `<`, `%`, `-`, ... */
  | { kind: 'binary'; text: string; op: string; left: Expr; right: Expr }
  | { kind: 'not'; text: string; operand: Expr }
  /** An f-string or template literal with interpolations (`f"val_{k}"`, `` `val_${k}` ``). */
  | { kind: 'template'; text: string; interpolations: Expr[] }
  /** A comprehension or generator: what it iterates over, and the names it reads. */
  | { kind: 'comprehension'; text: string; iterable: Expr; names: string[] }
  /** Anything else (lambdas, f-strings): only the names it reads. */
  | { kind: 'other'; text: string; names: string[] };

/** The words of an identifier: `train_loader` → train, loader; `numSteps` → num, steps. */
export function wordsOf(name: string): string[] {
  let ws = WORDS.get(name);
  if (!ws) WORDS.set(name, (ws = splitWords(name)));
  return ws;
}

// Names repeat across a run (`batch`, `step`, `train_loader`): split each once.
const WORDS = new Map<string, string[]>();

function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The last segment of a callee or a dotted name: `tqdm` for `tqdm.auto.tqdm`, `step` for `opt.step`. */
export function lastName(e: Expr | undefined): string {
  if (!e) return '';
  if (e.kind === 'name') return e.name;
  if (e.kind === 'attribute') return e.attr;
  return '';
}

/** The dotted text of a name or attribute chain (`self.train_loader`), or '' for anything else. */
export function dotted(e: Expr | undefined): string {
  if (!e) return '';
  if (e.kind === 'name') return e.name;
  if (e.kind === 'attribute') {
    const base = dotted(e.object);
    return base ? `${base}.${e.attr}` : '';
  }
  return '';
}

/** Names an expression reads (attribute names and keyword names excluded). */
export function namesIn(e: Expr | undefined, out: string[] = []): string[] {
  if (!e) return out;
  switch (e.kind) {
    case 'name':
      out.push(e.name);
      break;
    case 'attribute':
      namesIn(e.object, out);
      break;
    case 'call':
      namesIn(e.callee, out);
      for (const a of e.args) namesIn(a, out);
      for (const v of Object.values(e.keywords)) namesIn(v, out);
      break;
    case 'subscript':
      namesIn(e.object, out);
      namesIn(e.index, out);
      break;
    case 'list':
      for (const i of e.items) namesIn(i, out);
      break;
    case 'template':
      for (const i of e.interpolations) namesIn(i, out);
      break;
    case 'dict':
      for (const { key, value } of e.entries) {
        namesIn(key, out);
        namesIn(value, out);
      }
      break;
    case 'binary':
      namesIn(e.left, out);
      namesIn(e.right, out);
      break;
    case 'not':
      namesIn(e.operand, out);
      break;
    case 'other':
    case 'comprehension':
      out.push(...e.names);
      break;
    default:
      break;
  }
  return out;
}

/** Follow a name to what it was bound to (`data_iter = enumerate(loader)`), a few hops at most. */
export function resolveBinding(e: Expr): Expr {
  let cur = e;
  for (let i = 0; i < 4 && cur.kind === 'name' && cur.binding; i++) cur = cur.binding;
  return cur;
}
