// One file's work, the same in the main thread and in a worker: lint it, or fix it.
import {
  fixText,
  importsAndBases,
  lintText,
  namesTrackingCall,
  type Diagnostic,
  type ExtraReceivers,
  type LintOptions,
} from '../index.js';
import type { Position, ReceiverExports } from '../index.js';

export interface Job {
  abs: string;
  text: string;
  options: LintOptions;
  /** `lint` spends one parse on the fix check; `fix` applies what can be applied. */
  mode: 'lint' | 'fix';
  unsafe: boolean;
  /** `lint` without the fix check: an editor checks the one fix it is asked for, when it is asked. */
  uncheckedFixes?: boolean;
  /** Lint with the run's receivers, sent to the worker before (see Pool). */
  useProject?: boolean;
}

export interface JobResult {
  diagnostics: Diagnostic[];
  /** The fixed text, when fixing changed it. */
  fixed?: string;
  fixedCount: number;
  byRule?: Record<string, number>;
  exports?: ReceiverExports;
  skipped?: boolean;
  /**
   * A skipped file names a tracking call: only then can another file's receivers give it a
   * finding, and it is looked at again once they are known.
   */
  calls?: boolean;
  /** Such a file's import lines and class headers (`importsAndBases`): kept, and cached, instead of its text. */
  heads?: string;
  /** Names MLflow but calls no tracking API: not parsed (see LintResult.deferred). */
  deferred?: boolean;
  notes: { message: string; at: Position }[];
  /** Syntax problems of the text linted (see LintResult.syntaxErrors). */
  syntaxErrors?: number;
  /** Why the fixes were not applied. */
  refused?: string;
}

/** The result of a file whose text names nothing a rule looks for (see precheck.ts), as lintText gives it. */
export const skippedResult = (abs: string, text: string, extra?: ExtraReceivers): JobResult => {
  const calls = namesTrackingCall(text, extra);
  return {
    diagnostics: [],
    fixedCount: 0,
    skipped: true,
    notes: [],
    calls,
    ...(calls && { heads: importsAndBases(abs, text) }),
  };
};

export function runJob(job: Job): JobResult {
  if (job.mode === 'lint') {
    const r = lintText(job.abs, job.text, { ...job.options, fixCheckParses: job.uncheckedFixes ? 0 : 1 });
    return {
      diagnostics: r.diagnostics,
      fixedCount: 0,
      exports: r.exports,
      skipped: r.skipped,
      deferred: r.deferred,
      notes: r.notes,
      syntaxErrors: r.syntaxErrors,
    };
  }
  const r = fixText(job.abs, job.text, job.options, job.unsafe);
  return {
    diagnostics: r.result.diagnostics,
    fixed: r.text !== job.text ? r.text : undefined,
    fixedCount: r.fixed,
    byRule: r.byRule,
    exports: r.result.exports,
    skipped: r.result.skipped,
    deferred: r.result.deferred,
    notes: r.result.notes,
    refused: r.refused,
  };
}
