// Fixes as intents: rules say what to rewrite, each language adapter renders the text.
import type { Call, Comment, Loop, Position } from './types.js';

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

/** A text replacement in UTF-16 offsets of the linted text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** An edit of a finding's fix, with where it starts and ends as the adapter placed them. */
export interface PlacedEdit extends Edit {
  from: Position;
  to: Position;
}

export interface Fix {
  safety: FixSafety;
  message: string;
  edits: PlacedEdit[];
}

/** What repeats the requests a finding counts; only figures of one unit are ever added up. */
export type ImpactUnit = 'step' | 'iteration' | 'item' | 'call' | 'run';

/** Tracking requests a finding's code makes, per what repeats them, now and after its fix. */
export interface Impact {
  unit: ImpactUnit;
  /** The words after "per": "step", "iteration", "item of the dict", "call of `evaluate`"; null for code that runs once. */
  per: string | null;
  now: number;
  /** What the fix leaves; null when there is no fix. */
  after: AfterFix | null;
}

interface AfterFix {
  /** Requests per `unit` after the fix: 0.01 under `% 100`, 0 when they move out of the loop; null when the interval is a name. */
  perUnit: number | null;
  /** Requests made once, out of the loop, in place of the repeated ones. */
  once: number;
  /** How it reads: "1 per 100 steps", "1 per `log_every` steps", "1 per call of `evaluate`", "1 in all". */
  text: string;
}
