import type { AnyRule } from '../engine/define-rule.js';
import type { Diagnostic } from '../engine/run.js';
import type { NotebookIndex } from '../languages/notebook.js';

export interface FileReport {
  /** Path as shown to the user: relative to the working directory, forward slashes. */
  path: string;
  /** Path relative to the repository root (the nearest directory with `.git`), forward slashes. */
  repoPath?: string;
  text: string;
  diagnostics: Diagnostic[];
  /** A notebook: `text` is its code cells joined, and this maps their lines back (see languages/notebook.ts). */
  notebook?: NotebookIndex;
}

export interface TextOptions {
  color: boolean;
  /** Show a code frame under each finding (text format on a terminal). */
  frames: boolean;
  /** Say what to do under each finding (`= help: ...`); the concise format does not. */
  help?: boolean;
  /** `--unsafe-fixes`: unsafe fixes count as available. */
  unsafeFixes?: boolean;
  /** With `--fix`: how many findings were fixed. */
  fixed?: number;
  /** How many files could not be read or written (the run exits 2): no "All checks passed!" then. */
  failed?: number;
  /** `-q`: the findings only, no summary (text formats). */
  quiet?: boolean;
}

/** What a report says about the tool: given by the caller, so reporters read nothing themselves. */
export interface Tool {
  version: string;
  /** The project's home page (SARIF's `informationUri`). */
  homepage: string;
  /** The rules of the run's registry, for SARIF's rule list. */
  rules: readonly AnyRule[];
  /** Where a rule's docs are. */
  ruleUrl(code: string): string | undefined;
  /** Absolute path of the repository root (SARIF's `%SRCROOT%`). */
  root: string;
}

export interface ReportOptions extends TextOptions {
  tool: Tool;
}
