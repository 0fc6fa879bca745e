// Shared plumbing of the metamorphic suite: parsing, text edits, tree walks, and the vocabulary
// the analysis reads in names (so that renaming never touches a name that is evidence).
import { createRequire } from 'node:module';
import type ParserType from 'tree-sitter';
import type { SyntaxNode, Tree } from 'tree-sitter';
import { wordsOf } from '../../src/model/expr.js';

export type { SyntaxNode } from 'tree-sitter';
export { wordsOf };

const require = createRequire(import.meta.url);
const parsers = new Map<string, ParserType>();

function parserFor(grammar: 'python' | 'typescript' | 'tsx'): ParserType {
  let p = parsers.get(grammar);
  if (!p) {
    const Parser = require('tree-sitter') as typeof ParserType;
    p = new Parser();
    p.setLanguage(grammar === 'python' ? require('tree-sitter-python') : require('tree-sitter-typescript')[grammar]);
    parsers.set(grammar, p);
  }
  return p;
}

export function grammarOf(path: string): 'python' | 'typescript' | 'tsx' {
  if (/\.pyi?$/.test(path)) return 'python';
  return /\.(ts|mts|cts)$/.test(path) ? 'typescript' : 'tsx';
}

export function parse(path: string, text: string): Tree {
  return parserFor(grammarOf(path)).parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
}

/** One fixture as the transformations see it. */
export interface Source {
  path: string;
  text: string;
  root: SyntaxNode;
  /** Original findings: "line:rule". */
  findings: Set<string>;
  /** Start offsets of the calls the analysis found inside a per-step loop (for the helper transformation). */
  perStepCallStarts: Set<number>;
}

/** A transformed program; `site` says where the transformation was applied. */
export interface Variant {
  site: string;
  text: string;
}

export interface Transformation {
  id: string;
  language: 'python' | 'typescript';
  apply(src: Source): Variant[];
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Apply non-overlapping edits (offsets into `text`). */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error(`overlapping edits at ${e.start}..${e.end}`);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Every node below (and including) `node`, in document order. */
export function descendants(node: SyntaxNode, out: SyntaxNode[] = []): SyntaxNode[] {
  const stack: SyntaxNode[] = [node];
  while (stack.length) {
    const n = stack.pop() as SyntaxNode;
    out.push(n);
    for (let i = n.childCount - 1; i >= 0; i--) stack.push(n.child(i) as SyntaxNode);
  }
  return out;
}

export function ofType(node: SyntaxNode, ...types: string[]): SyntaxNode[] {
  const set = new Set(types);
  return descendants(node).filter((n) => set.has(n.type));
}

export function ancestors(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

/** The same syntax node (tree-sitter hands out a new wrapper object on every access). */
export function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

export function isInside(node: SyntaxNode, outer: SyntaxNode): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

/** The indentation of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const s = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(s))?.[0] ?? '';
}

/** Only whitespace between the line start and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartOf(text, offset), offset));
}

/** Re-indent a block of lines from indentation `from` to `to`. */
export function reindent(block: string, from: string, to: string): string {
  return block
    .split('\n')
    .map((l) => (l.startsWith(from) ? to + l.slice(from.length) : l.trim() === '' ? l : to + l.trimStart()))
    .join('\n');
}

/** A name not used anywhere in the text: `base`, `base2`, ... (or `base1`, ... with `numbered`). */
export function freshName(text: string, base: string, taken: Set<string> = new Set(), numbered = false): string {
  for (let i = numbered ? 1 : 0; ; i++) {
    const name = i === 0 ? base : `${base}${numbered ? i : i + 1}`;
    if (!taken.has(name) && !new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

/**
 * Words the analysis reads in identifiers (loop sources, loop targets, counters, flags, moduli,
 * receivers): a copy of the vocabularies in src/model/loops.ts and src/model/conditions.ts, plus
 * the names of trackers. A name with one of these words is never renamed.
 */
export const PROTECTED_WORDS: ReadonlySet<string> = new Set([
  // data sources and splits
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
  'datasets',
  'generator',
  'gen',
  'feeder',
  'train',
  'training',
  'val',
  'valid',
  'validation',
  'test',
  'eval',
  'dev',
  'data',
  'set',
  'samples',
  'examples',
  // counts, steps and batches
  'steps',
  'step',
  'iters',
  'iterations',
  'iteration',
  'itr',
  'it',
  't',
  'updates',
  'update',
  'timesteps',
  'timestep',
  'batch',
  'minibatch',
  'microbatch',
  // epochs, trials, folds, configs, runs, models
  'epoch',
  'epochs',
  'ep',
  'e',
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
  'phase',
  'phases',
  // receivers that step training or the environment, accumulation and optimiser flags, clocks
  'optimizer',
  'optimiser',
  'optim',
  'opt',
  'scaler',
  'optimizers',
  'optimisers',
  'trainer',
  'env',
  'envs',
  'environment',
  'game',
  'sim',
  'accum',
  'accumulate',
  'accumulation',
  'accumulated',
  'accumulating',
  'acc',
  'sync',
  'gradients',
  'grad',
  'grads',
  'time',
  'perf',
  'monotonic',
  'now',
  // trackers and what they are called
  'mlflow',
  'mlf',
  'mf',
  'client',
  'tracking',
  'tracker',
  'logger',
  'sink',
  'live',
  'writer',
  'wandb',
  'comet',
  'self',
  'cls',
  'this',
  'lm',
  'lp',
]);

/** Whole names the analysis reads when they are loop targets (inputs and labels, step and epoch names). */
export const PROTECTED_TARGETS: ReadonlySet<string> = new Set([
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
  'ep',
  'e',
]);

export function protectedName(name: string, isLoopTarget: boolean): boolean {
  if (name === '_' || name.startsWith('__')) return true;
  if (wordsOf(name).some((w) => PROTECTED_WORDS.has(w))) return true;
  return isLoopTarget && PROTECTED_TARGETS.has(name.toLowerCase());
}

/** Callee names of MLflow logging APIs (Python and the TypeScript clients). */
export const LOGGING_APIS = new Set([
  'log_metric',
  'log_metrics',
  'log_param',
  'log_params',
  'set_tag',
  'set_tags',
  'log_batch',
  'log_artifact',
  'log_artifacts',
  'log_text',
  'log_dict',
  'log_figure',
  'log_image',
  'log_table',
  'logMetric',
  'logParam',
  'logParameter',
  'setTag',
  'logBatch',
  'logArtifact',
  'logParams',
]);

/** The rules a call reports for the loop it runs in (a helper extraction keeps them). */
export const LOOP_RULES = new Set(['metric-in-tight-loop', 'param-in-loop', 'artifact-in-loop']);

/** The statements just before and after, past comments (a trailing `# expect:` is a sibling node too). */
export function neighbours(stmt: SyntaxNode): (SyntaxNode | null)[] {
  const near = (step: (n: SyntaxNode) => SyntaxNode | null): SyntaxNode | null => {
    let n = step(stmt);
    while (n && n.type === 'comment') n = step(n);
    return n;
  };
  return [near((n) => n.previousNamedSibling), near((n) => n.nextNamedSibling)];
}
