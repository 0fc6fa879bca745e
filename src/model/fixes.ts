// Fixes as intents: rules say what to rewrite, each language adapter renders the text.
import type { Call, Comment, Loop } from './types.js';

export type FixSafety = 'safe' | 'unsafe';

export type FixIntent =
  /** Back-to-back singular calls → one batched call (`log_metrics`, `log_params`, `set_tags`, `log_batch`). */
  | { kind: 'merge-calls'; calls: Call[] }
  /** A loop whose only job is to log each item of a dict → one batched call. */
  | { kind: 'dict-loop'; call: Call; loop: Loop }
  /** Wrap the logging statements in a step-interval guard. */
  | { kind: 'interval-guard'; calls: Call[]; counter: string; every: number | string }
  /** Move a loop-invariant call above its loop. */
  | { kind: 'hoist'; call: Call; loop: Loop }
  /** Copy files into one directory during the loop, upload it once after. */
  | { kind: 'stage-artifacts'; call: Call; loop: Loop }
  /** A loop that uploads each file of a directory → one upload of the directory. */
  | { kind: 'upload-directory'; call: Call; loop: Loop; dir: string }
  /** Rewrite a comment (`text`), or remove it (null) with the space before it, or its line when it is alone there. */
  | { kind: 'edit-comment'; comment: Comment; text: string | null };

export interface FixRequest {
  safety: FixSafety;
  /** Imperative, like Ruff's fix titles: "Merge into one `log_metrics` call". */
  message: string;
  intent: FixIntent;
}

/** A text replacement in UTF-16 offsets of the linted text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  safety: FixSafety;
  message: string;
  edits: Edit[];
}

/** Tracking requests the code makes per iteration of the loop that makes it hot, now and after the fix. */
export interface Impact {
  requestsPerIteration: number | null;
  afterFix: number | null;
  /** Said instead of a figure that cannot be known statically. */
  note?: string;
}
