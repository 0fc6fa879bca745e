// Public in-process API: the CLI, the tests and the ESLint plugin all lint through here.
import { extname } from 'node:path';
import type { LanguageAdapter } from './languages/adapter.js';
import { python } from './languages/python/index.js';
import { selectRules, type Selection } from './engine/registry.js';
import { runRules, type Diagnostic, type RunOptions } from './engine/run.js';
import type { SourceModel } from './model/types.js';

export type { Diagnostic } from './engine/run.js';
export type { Severity } from './engine/define-rule.js';
export { allRules, findRule, UsageError } from './engine/registry.js';

const ADAPTERS: LanguageAdapter[] = [python];

export interface LintOptions extends Selection, RunOptions {}

export interface LintResult {
  path: string;
  language: string;
  diagnostics: Diagnostic[];
}

export function adapterFor(path: string): LanguageAdapter | undefined {
  const ext = extname(path).toLowerCase();
  return ADAPTERS.find((a) => a.extensions.includes(ext));
}

export function supportedExtensions(): string[] {
  return ADAPTERS.flatMap((a) => a.extensions);
}

export function parseFile(path: string, text: string): SourceModel {
  const adapter = adapterFor(path);
  if (!adapter) throw new Error(`no language adapter for ${path}`);
  return adapter.parse(path, text);
}

/** Lint one file's text. `path` picks the language by extension. */
export function lintText(path: string, text: string, options: LintOptions = {}): LintResult {
  const model = parseFile(path, text);
  const rules = selectRules(options);
  return { path, language: model.language, diagnostics: runRules(model, rules, options) };
}
