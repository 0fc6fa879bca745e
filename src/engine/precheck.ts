// Which files can have a finding at all. Most of a repository never names MLflow: such a file is
// not parsed. The test must be sound: every way a receiver is recognised needs a word in the text.
//   - `mlflow` (any case): the module and its imports, `MlflowClient`, `MLFlowLogger`, the npm
//     clients and their classes, REST paths (`/api/2.0/mlflow/...`), `import_module("mlflow")`;
//   - `logger.experiment`: Lightning's logger, recognised by its arguments alone;
//   - mlflint's own codes and names in comments (`# noqa: MLF101`, `mlflint: disable-file`): MLF001;
//   - where the language says which part of the text is code (Python: not its comments and
//     docstrings, see python/code-text.ts), the words of receivers and tracking calls count
//     only there;
//   - the last segment of each configured receiver (`extra-receivers`);
//   - for a second look with the run's receivers: a module of another file that holds one, named
//     in an import (or such a class, named in a class's bases), and the name it is held under.
import type { ExtraReceivers, ProjectReceivers } from '../model/types.js';
import { APIS } from '../model/catalogue.js';
import { anyWordOf } from './any-of.js';
import type { Registry } from './registry.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Words are literals, matched in any case (see any-of.ts); patterns are sources of their own.
const RECEIVER_WORDS = ['mlflow'];
const RECEIVER_PATTERNS = ['logger\\s*\\.\\s*experiment'];
/** `mlflint`, and a code: `MLF` and a digit. */
const OWN = ['mlflint', ...Array.from({ length: 10 }, (_, d) => `mlf${d}`)];

/**
 * The text a language's code is in, once what can do nothing is taken out (Python's comments and
 * docstrings): receivers and tracking calls count only there, mlflint's directives anywhere.
 * Asked only of a text the whole of which could have a finding.
 */
export type CodeOf = () => string;

/**
 * Every word a finding needs, in any part of the text; and the same found in one pass with the
 * names of tracking calls, for a file skipped for want of the first (see `namesTrackingCall`).
 */
interface Plain {
  /** Global: searched from where a tracking call's name was found. */
  words: RegExp;
  /** Global: the words, or a tracking call's name. */
  withTracking: RegExp;
}

interface Patterns {
  plain: Plain;
  /** mlflint's codes and rule names (directives). */
  directives: RegExp;
  receivers: RegExp;
  withExtra: WeakMap<ExtraReceivers, { plain: Plain; receivers: RegExp }>;
}

// Per registry (its rule names may be written in a `noqa`): its patterns, and those with each `extra-receivers`.
const patterns = new WeakMap<Registry, Patterns>();

function directiveWords(registry: Registry): string[] {
  return [...OWN, ...registry.rules.map((r) => r.name)];
}

/** The receivers alone, and those `extra` patterns of configured receivers name. */
const receiversPattern = (extra: string[]): RegExp =>
  new RegExp([anyWordOf(RECEIVER_WORDS), ...RECEIVER_PATTERNS, ...extra].join('|'), 'i');

/** `extra`: patterns of configured receivers. */
function build(registry: Registry, extra: string[]): Plain {
  const own = [...RECEIVER_WORDS, ...directiveWords(registry)];
  const source = (words: string[]) => [anyWordOf(words), ...RECEIVER_PATTERNS, ...extra].join('|');
  return {
    words: new RegExp(source(own), 'gi'),
    withTracking: new RegExp(source([...own, ...TRACKING_NAMES]), 'gi'),
  };
}

/** What one pass found in a text: a word of `plain`, and (when none) whether a tracking call's name. */
interface Look {
  text: string;
  plain: Plain;
  named: boolean;
  tracking: boolean;
}

// A skipped file is asked both, one after the other: the last answer is kept.
let lastLook: Look | null = null;

function look(text: string, plain: Plain): Look {
  if (lastLook?.text === text && lastLook.plain === plain) return lastLook;
  const re = plain.withTracking;
  re.lastIndex = 0;
  const m = re.exec(text);
  let named = false;
  if (m) {
    // No word of `plain` starts before the first find, a word or a tracking call's name.
    plain.words.lastIndex = m.index;
    named = plain.words.test(text);
  }
  return (lastLook = { text, plain, named, tracking: !!m && !named });
}

function patternsOf(registry: Registry): Patterns {
  let p = patterns.get(registry);
  if (!p)
    patterns.set(
      registry,
      (p = {
        plain: build(registry, []),
        directives: new RegExp(anyWordOf(directiveWords(registry)), 'i'),
        receivers: receiversPattern([]),
        withExtra: new WeakMap(),
      }),
    );
  return p;
}

/** The last name of each configured receiver: it is written wherever the receiver is used or imported. */
function receiverWords(extra: ExtraReceivers): string[] {
  return Object.keys(extra).map((k) => wholeWord(k.replace(/\(\)$/, '').split('.').pop() ?? k));
}

/**
 * `word` as a whole name, in a pattern's source. `\b` knows only ASCII: it serves a word of ASCII
 * letters, digits and `_` (where it can find too much, `x` in `éx`, never too little); any other
 * word is matched wherever it is written.
 */
export function wholeWord(word: string): string {
  return /^\w+$/.test(word) ? `\\b${escape(word)}\\b` : escape(word);
}

/**
 * Another file's receivers reach this one only through an import of that file's module (or a
 * class defined on that file's class) and a use of the receiver's name: the holder must be in an
 * import statement (or a class's bases) and the name in the text.
 */
interface Reach {
  modules: RegExp | null;
  classes: RegExp | null;
  /** Per holder, one pattern for the names it holds receivers under. */
  names: Map<string, RegExp>;
}

// Import statements, read as CPython's tokenizer would, closely enough to name at least what the
// resolution asks (see `namedByImports`): a statement ends at a line break, `;` or a comment,
// except inside parentheses and after a backslash; tokens may have spaces between them.
/** Space or a backslash continuation between two tokens. */
const GAP = String.raw`(?:[ \t\f]|\\(?:\r\n|\r|\n))`;
/** A name, in any script Python takes (combining marks too). */
const ID = String.raw`[\p{XID_Continue}]`;
const SEG = String.raw`(?!import(?!${ID}))${ID}+`;
/** A module's path: `a.b`, `.a`, `..`, `a . b`, `. sub.tracking`. */
const MODULE = String.raw`(?:\.(?:${GAP}*\.)*${GAP}*)?${SEG}(?:${GAP}*\.${GAP}*${SEG})*|\.(?:${GAP}*\.)*`;
/** What an `import` binds, to the end of the statement; a parenthesis left open runs to the end of the text. */
const NAMES = String.raw`\bimport\b(?:[^\n(\\;#]|\\(?:\r\n|\r|\n)?)*(?:\((?:[^)#]|#[^\n]*)*\)?)?`;
/** `import a.b as c`, `from a.b import (c, d)`: one statement a match. */
const IMPORTS = new RegExp(String.raw`\bfrom${GAP}+(?:${MODULE})(?:${GAP}+${NAMES})?|${NAMES}`, 'gu');
const FROM = new RegExp(String.raw`^from${GAP}+(${MODULE})`, 'u');
const LEADING_MODULE = new RegExp(String.raw`^\s*(${MODULE})`, 'u');
/** A module's path as Python reads it, without the spaces and continuations. */
const pathOf = (text: string): string => text.replace(/\s|\\(?:\r\n|\r|\n)/g, '');
/** A class header, up to the colon that ends its line (bases may span lines). */
const CLASS_BASES = /\bclass\s[^]*?:[ \t]*(?:#[^\n]*)?\r?$/gm;

function holderPattern(holders: Iterable<string>): RegExp | null {
  const list = [...holders];
  return list.length ? new RegExp(list.map(wholeWord).join('|'), 'g') : null;
}

function reachOf(project: ProjectReceivers): Reach {
  const held = new Map<string, string[]>();
  const modules: string[] = [];
  const classes: string[] = [];
  for (const [map, into] of [
    [project.modules, modules],
    [project.classes, classes],
  ] as const) {
    for (const [holder, receivers] of map) {
      const n = Object.keys(receivers);
      if (!n.length) continue;
      into.push(holder);
      held.set(holder, [...(held.get(holder) ?? []), ...n]);
    }
  }
  const names = new Map([...held].map(([holder, n]) => [holder, new RegExp(n.map(wholeWord).join('|'))]));
  return { modules: holderPattern(modules), classes: holderPattern(classes), names };
}

const reaches = new WeakMap<ProjectReceivers, Reach>();

function names(text: string, holders: RegExp | null, r: Reach, full: string): boolean {
  if (!holders) return false;
  holders.lastIndex = 0;
  for (const m of text.matchAll(holders)) if (r.names.get(m[0])?.test(full)) return true;
  return false;
}

/**
 * The names a file's import statements (`importsAndBases`) could ask another file of the run
 * for, as the Python resolution asks (see python/scope.ts): the last segment of a module
 * (`b` of `from a.b import c`), the names imported from it (`c`), and the last segment of an
 * aliased `import a.b as c`; never the first or middle segments of a path, and nothing of an
 * import of a module `external` says is not the run's (the standard library's `dataclasses`,
 * by its path: `a.b`). More is named than is asked (an alias, every last segment of a plain
 * import): never less.
 */
export function namedByImports(heads: string, external: (module: string) => boolean): Set<string> {
  const named = new Set<string>();
  // A segment followed by a dot (spaces and continuations between) is a package on the path.
  const lastSegments = (s: string): void => {
    for (const m of s.matchAll(SEGMENT)) {
      DOT_AFTER.lastIndex = m.index + m[0].length;
      if (!DOT_AFTER.test(s)) named.add(m[0]);
    }
  };
  for (const m of heads.matchAll(IMPORTS)) {
    const statement = m[0];
    const from = FROM.exec(statement);
    if (from) {
      if (!external(pathOf(from[1]))) lastSegments(statement.slice('from'.length));
    } else
      for (const item of statement.slice('import'.length).replace(/[()]/g, ' ').split(',')) {
        const module = LEADING_MODULE.exec(item)?.[1];
        if (!module || !external(pathOf(module))) lastSegments(item);
      }
  }
  for (const keyword of ['import', 'as']) named.delete(keyword);
  return named;
}

/** A name, or a segment of a dotted one. */
const SEGMENT = /[\p{XID_Start}_][\p{XID_Continue}]*/gu;
const DOT_AFTER = new RegExp(String.raw`${GAP}*\.`, 'uy');

/** The text's import statements and class headers: where another file's receivers come in. */
export function importsAndBases(text: string): string {
  const imports = /\bimport\b/.test(text) ? Array.from(text.matchAll(IMPORTS), (m) => m[0]) : [];
  const bases = /\bclass\b/.test(text) ? Array.from(text.matchAll(CLASS_BASES), (m) => m[0]) : [];
  return [...imports, ...bases].join('\n');
}

/**
 * Whether the import lines and class headers of a file (`importsAndBases`) name a holder of the
 * run's receivers: false proves `reachable` false, without the file's text.
 */
export function namesAHolder(heads: string, project: ProjectReceivers): boolean {
  let r = reaches.get(project);
  if (!r) reaches.set(project, (r = reachOf(project)));
  for (const holders of [r.modules, r.classes]) {
    if (!holders) continue;
    holders.lastIndex = 0;
    if (holders.test(heads)) return true;
  }
  return false;
}

/** Whether the run's receivers (of other files) could reach this text: the second look at a skipped file. */
export function reachable(text: string, project: ProjectReceivers): boolean {
  return reached(text, project);
}

function reached(text: string, project: ProjectReceivers): boolean {
  let r = reaches.get(project);
  if (!r) reaches.set(project, (r = reachOf(project)));
  if (!r.modules && !r.classes) return false;
  if (r.modules && /\bimport\b/.test(text)) {
    const imports = Array.from(text.matchAll(IMPORTS), (m) => m[0]).join('\n');
    if (names(imports, r.modules, r, text)) return true;
  }
  if (r.classes && /\bclass\b/.test(text)) {
    const bases = Array.from(text.matchAll(CLASS_BASES), (m) => m[0]).join('\n');
    if (names(bases, r.classes, r, text)) return true;
  }
  return false;
}

const FAMILIES_RULES_REPORT = new Set(['metric', 'param', 'tag', 'batch', 'artifact']);
const camel = (api: string): string => api.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every spelling of a call some rule reports: `log_metric`, `logMetric`, `logParameter`, `log-metric`. */
const TRACKING_NAMES = APIS.filter((r) => FAMILIES_RULES_REPORT.has(r.family)).flatMap((r) => [
  r.api,
  camel(r.api),
  ...(r.typescript ?? []),
  ...(r.rest ? [r.rest] : []),
]);

const callPatterns = new WeakMap<Registry, RegExp>();
const TRACKING = new RegExp(anyWordOf(TRACKING_NAMES), 'i');

/**
 * Can the text hold a call some rule reports, or a directive for mlflint? A file that names MLflow
 * but calls none of its tracking APIs (`import mlflow` and `mlflow.autolog()`, a client built for
 * another file) has nothing to report, and is lowered only when another file imports its receivers.
 */
export function mayCallTracking(text: string, registry: Registry, code?: CodeOf): boolean {
  let re = callPatterns.get(registry);
  if (!re)
    callPatterns.set(registry, (re = new RegExp(anyWordOf([...TRACKING_NAMES, ...directiveWords(registry)]), 'i')));
  if (!re.test(text)) return false;
  return !code || TRACKING.test(code()) || patternsOf(registry).directives.test(text);
}

/** The patterns for a configuration's `extra-receivers` (the registry's own when there are none). */
function patternsFor(registry: Registry, extra?: ExtraReceivers): { plain: Plain; receivers: RegExp } {
  const p = patternsOf(registry);
  if (!extra) return p;
  let known = p.withExtra.get(extra);
  if (!known) {
    const words = receiverWords(extra);
    known = {
      plain: build(registry, words),
      receivers: receiversPattern(words),
    };
    p.withExtra.set(extra, known);
  }
  return known;
}

/** Can the text have a finding? False only when no rule could see anything in it. */
export function mayHaveFindings(
  text: string,
  registry: Registry,
  extra?: ExtraReceivers,
  project?: ProjectReceivers,
  code?: CodeOf,
): boolean {
  const { plain, receivers } = patternsFor(registry, extra);
  const named =
    look(text, plain).named && (!code || patternsOf(registry).directives.test(text) || receivers.test(code()));
  return named || (!!project && reached(text, project));
}

/**
 * For a text `mayHaveFindings` skips: does it name a tracking call (in any part of it)? Only such
 * a file can have a finding once another file's receivers reach it.
 */
export function namesTrackingCall(text: string, registry: Registry, extra?: ExtraReceivers): boolean {
  const l = look(text, patternsFor(registry, extra).plain);
  return l.named ? TRACKING.test(text) : l.tracking;
}
