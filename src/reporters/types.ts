import type { Diagnostic } from '../engine/run.js';

export interface FileReport {
  /** Path as shown to the user: relative to the working directory, forward slashes. */
  path: string;
  text: string;
  diagnostics: Diagnostic[];
}

export interface ReportOptions {
  color: boolean;
  /** Show a code frame under each finding (text format on a terminal). */
  frames: boolean;
  /** `--unsafe-fixes`: unsafe fixes count as available. */
  unsafeFixes?: boolean;
  /** With `--fix`: how many findings were fixed. */
  fixed?: number;
}
