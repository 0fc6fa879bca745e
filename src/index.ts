// Public in-process API: the CLI, the tests and the ESLint plugin all lint through here.
import { basename, dirname, extname } from 'node:path';
import type { LanguageAdapter } from './languages/adapter.js';
import { python } from './languages/python/index.js';
import { typescript } from './languages/typescript/index.js';
import { STDLIB } from './languages/python/stdlib.js';
import { rules } from '../rules/index.js';
import { Registry, type Selection } from './engine/registry.js';
import { applyFixesOnce, wanted } from './engine/apply-fixes.js';
import { isVerified, verifyFixes } from './engine/verify-fixes.js';
import {
  importsAndBases as headsOf,
  namedByImports,
  type CodeOf,
  mayCallTracking as mayCall,
  mayHaveFindings as mayHave,
  namesAHolder,
  namesTrackingCall as namesCall,
  reachable,
  wholeWord,
} from './engine/precheck.js';
import type { Fix } from './model/fixes.js';
import { runRules, suppressionWarnings, type Diagnostic, type RunOptions } from './engine/run.js';
import type {
  ExtraReceivers,
  Position,
  ProjectReceivers,
  ReceiverExports,
  ReceiverKind,
  SourceModel,
} from './model/types.js';

export type { Diagnostic } from './engine/run.js';
export type { Edit, Fix, Impact } from './model/fixes.js';
export type { Severity } from './engine/define-rule.js';
export type { AnyRule } from './engine/define-rule.js';
export { SelectorError, selectorMatches, type Selection } from './engine/registry.js';
export { parseNoqa } from './engine/noqa.js';
export { SETTINGS, settingOptions, settingsOf, type SettingName, type SettingValues } from './engine/settings.js';
export { isVerified } from './engine/verify-fixes.js';
export { oneLine } from './engine/words.js';
export { closest } from './engine/did-you-mean.js';
export { commonEnds, lineEnd, lineStart } from './languages/lines.js';
export { applyFixesOnce } from './engine/apply-fixes.js';
export type { ExtraReceivers, Position, ProjectReceivers, Range, ReceiverExports } from './model/types.js';
export { namesAHolder, reachable, wholeWord };

/** The rules mlflint knows, and the selectors that pick among them. */
export const registry = new Registry(rules);

export function allRules(): readonly AnyRuleOf[] {
  return registry.rules;
}

export function findRule(idOrName: string): AnyRuleOf | undefined {
  return registry.find(idOrName);
}

type AnyRuleOf = Registry['rules'][number];

/** Could the text hold a call some rule reports, or a directive for mlflint (see precheck.ts)? */
export function mayCallTracking(path: string, text: string): boolean {
  return mayCall(text, registry, codeOf(path, text));
}

/** Can the text have a finding? False only when no rule could see anything in it (see precheck.ts). */
export function mayHaveFindings(
  path: string,
  text: string,
  extra?: ExtraReceivers,
  project?: ProjectReceivers,
): boolean {
  return mayHave(text, registry, extra, project, codeOf(path, text));
}

/**
 * A file's import statements and class headers, in its code only (not in a docstring's example):
 * where another file's receivers come in (see precheck.ts).
 */
export function importsAndBases(path: string, text: string): string {
  const read = asParsed(text);
  return headsOf(codeOf(path, read)?.() ?? read);
}

/**
 * A text that names MLflow but that linting with these options does not parse, since it calls no
 * tracking API (see `LintResult.deferred`).
 */
export function isDeferred(path: string, text: string, options: LintOptions): boolean {
  return !options.parseEverything && !options.exportsWanted && !mayCallTracking(path, text);
}

/**
 * The text as it is parsed: old Mac line endings (a lone `\r`, and no `\n`) read as `\n`, one
 * character for one, so that every offset holds.
 */
function asParsed(text: string): string {
  return LONE_CR.test(text) && !text.includes('\n') ? text.replace(/\r/g, '\n') : text;
}

/** What the imports among `heads` could ask another file of the run for (see precheck.ts); Python's own modules are not the run's. */
export function modulesNamedBy(heads: string): Set<string> {
  return namedByImports(heads, (module) => STDLIB.has(module));
}

/** For a text `mayHaveFindings` skips: does it name a tracking call (see precheck.ts)? */
export function namesTrackingCall(text: string, extra?: ExtraReceivers): boolean {
  return namesCall(text, registry, extra);
}

// Both checks ask for the same text's code, one after the other: the last one is kept.
let lastCode: { text: string; code: string } | null = null;

function codeOf(path: string, text: string): CodeOf | undefined {
  const of = adapterFor(path)?.codeOf;
  if (!of) return undefined;
  return () => {
    if (lastCode?.text !== text) lastCode = { text, code: of(text) };
    return lastCode.code;
  };
}
export { readNotebook, retold, type NotebookIndex } from './languages/notebook.js';

const ADAPTERS: LanguageAdapter[] = [python, typescript];

export interface LintOptions extends Selection, RunOptions {
  /** Receivers the other files of the run define (see `projectReceivers`). */
  project?: ProjectReceivers;
  /** Receivers named in the configuration (`extra-receivers`). */
  extraReceivers?: ExtraReceivers;
  /**
   * Parses the fix check may spend on one file. A report that applies nothing needs only one
   * (the fixes that do not conflict); fixing needs more (see verify-fixes); with none, no fix
   * is checked (the language server checks a fix when it offers it).
   */
  fixCheckParses?: number;
  /**
   * Another file of the run imports receivers from this one: lower it even when it calls no
   * tracking API, for its exports (see `LintResult.deferred`).
   */
  exportsWanted?: boolean;
  /** Take no shortcut: parse a file that names nothing any rule looks for (see precheck.ts), walk every expression; the soundness tests' reference. */
  parseEverything?: boolean;
}

export interface LintResult {
  path: string;
  language: string;
  diagnostics: Diagnostic[];
  /** How many syntax problems the file has, as the fix check counts them (a fix must never add one). */
  syntaxErrors: number;
  /** Fixes rendered but withheld because the fixed text would parse worse. */
  withheld: number;
  /** What the analysis left out (code nested too deep), with where. */
  notes: { message: string; at: Position }[];
  /** Receivers the file defines for the other files of a run, and whether it imports any. */
  exports?: ReceiverExports;
  /** The text names nothing any rule looks for, so it was not parsed. */
  skipped?: boolean;
  /**
   * The text names MLflow but calls no tracking API and has no directive for mlflint, so it was
   * not parsed: nothing in it can be reported (a syntax error neither: MLF000 is reported for the
   * files mlflint analyses), and its receivers (`exports`) are unknown until it is linted with
   * `exportsWanted`.
   */
  deferred?: boolean;
}

export interface FixResult {
  /** The fixed text (the input when nothing could be fixed). */
  text: string;
  /** What remains after fixing. */
  result: LintResult;
  /** Fixes applied, over all passes. */
  fixed: number;
  /** Set when the fixed text parsed worse than the input, so nothing was changed. */
  refused?: string;
  /** Fixes applied per rule code. */
  byRule?: Record<string, number>;
}

/** Notebooks are linted as the Python of their code cells joined (see languages/notebook.ts). */
const NOTEBOOK = '.ipynb';

export function adapterFor(path: string): LanguageAdapter | undefined {
  const ext = extname(path).toLowerCase();
  return ext === NOTEBOOK ? python : ADAPTERS.find((a) => a.extensions.includes(ext));
}

export function supportedExtensions(): string[] {
  return [...ADAPTERS.flatMap((a) => a.extensions), NOTEBOOK];
}

export function parseFile(path: string, text: string): SourceModel {
  const adapter = adapterFor(path);
  if (!adapter) throw new Error(`no language adapter for ${path}`);
  return adapter.parse(path, text);
}

/** Lint one file's text. `path` picks the language by extension; a notebook's text is its code cells joined (readNotebook). */
export function lintText(path: string, text: string, options: LintOptions = {}): LintResult {
  const adapter = adapterFor(path);
  if (!adapter) throw new Error(`no language adapter for ${path}`);
  if (!options.parseEverything && !mayHaveFindings(path, text, options.extraReceivers, options.project)) {
    return { path, language: adapter.id, diagnostics: [], syntaxErrors: 0, withheld: 0, notes: [], skipped: true };
  }
  const read = asParsed(text);
  // Fixes are written back with the file's own ending.
  const crOnly = read !== text;
  if (isDeferred(path, text, options)) {
    // Nothing in it can have a finding: not parsed, and its syntax left to other tools, as a skipped file's is.
    return { path, language: adapter.id, diagnostics: [], syntaxErrors: 0, withheld: 0, notes: [], deferred: true };
  }
  const model = adapter.parse(path, read, {
    project: options.project,
    extraReceivers: options.extraReceivers,
    walkEverything: options.parseEverything,
  });
  const diagnostics = runRules(model, registry, registry.select(options), options, adapter.renderFix);
  const baseline = model.problemCount ?? model.syntaxErrors.length;
  const withheld = verifyFixes(
    model.text,
    diagnostics,
    baseline,
    (t, edits) => (baseline === 0 && model.parsesCleanAfter?.(t, edits) ? 0 : adapter.countSyntaxProblems(path, t)),
    options.fixCheckParses,
  );
  if (crOnly) for (const d of diagnostics) for (const e of d.fix?.edits ?? []) e.text = e.text.replace(/\r?\n/g, '\r');
  return {
    path,
    language: model.language,
    diagnostics,
    syntaxErrors: model.problemCount ?? model.syntaxErrors.length,
    withheld,
    notes: [...(model.notes ?? []), ...suppressionWarnings(model, registry)],
    exports: model.exports,
  };
}

const LONE_CR = /\r(?!\n)/;

/**
 * Add one linted file's receivers to the run's: `from tracking import client` or
 * `class Trainer(BaseTrainer)` in another file then resolves (see `LintOptions.project`).
 */
export function addReceivers(project: ProjectReceivers, path: string, exports: ReceiverExports | undefined): void {
  if (adapterFor(path)?.id !== 'python') return;
  const key = receiverModuleKey(path);
  // A file with no receiver still makes an import of its name ambiguous.
  merge(project.modules, key, exports?.names ?? {});
  for (const [cls, attrs] of Object.entries(exports?.classes ?? {})) merge(project.classes, cls, attrs);
}

/** The name other files import a file's receivers by: its stem, or its package's for `__init__.py`. */
export function receiverModuleKey(path: string): string {
  const stem = basename(path, extname(path));
  return stem === '__init__' ? basename(dirname(path)) : stem;
}

/** Two files of one name (two `utils.py`): only what both say holds, since an import cannot tell them apart. */
function merge(
  into: Map<string, Record<string, ReceiverKind>>,
  key: string,
  found: Record<string, ReceiverKind>,
): void {
  const seen = into.get(key);
  if (!seen) {
    into.set(key, { ...found });
    return;
  }
  for (const name of Object.keys(seen)) if (seen[name] !== found[name]) delete seen[name];
}

/** Apply safe (and with `unsafe`, unsafe) fixes in passes until none applies, at most 10. */
export function fixText(path: string, text: string, options: LintOptions = {}, unsafe = false): FixResult {
  const first = lintText(path, text, options);
  let current = text;
  let result = first;
  let fixed = 0;
  const byRule: Record<string, number> = {};
  for (let pass = 0; pass < 10; pass++) {
    const fixable = result.diagnostics.filter((d) => wanted(d.fix, unsafe) && isVerified(d.fix));
    if (!fixable.length) break;
    const {
      text: next,
      applied,
      chosen,
    } = applyFixesOnce(
      current,
      fixable.map((d) => d.fix as Fix),
    );
    if (!applied || next === current) break;
    fixed += applied;
    const taken = new Set(chosen);
    for (const d of fixable) if (taken.has(d.fix as Fix)) byRule[d.code] = (byRule[d.code] ?? 0) + 1;
    current = next;
    result = lintText(path, current, options);
  }
  if (result.syntaxErrors > first.syntaxErrors) {
    return {
      text,
      result: first,
      fixed: 0,
      refused: `the fixed text would have ${result.syntaxErrors} syntax errors (the file has ${first.syntaxErrors}); nothing was changed`,
    };
  }
  return { text: current, result, fixed, byRule };
}

/**
 * Whether one fix, applied alone to `text`, leaves it parsing no worse than `baseline` problems:
 * what an editor's quick fix must prove when the run that found it had no parse to spare.
 */
export function fixIsSound(path: string, text: string, fix: Fix, baseline: number): boolean {
  const adapter = adapterFor(path);
  if (!adapter) return false;
  const out = applyFixesOnce(text, [fix]);
  return out.applied === 1 && adapter.countSyntaxProblems(path, out.text) <= baseline;
}
