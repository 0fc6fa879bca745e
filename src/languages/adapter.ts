import type { Edit, FixIntent } from '../model/fixes.js';
import type { ParseContext, SourceModel } from '../model/types.js';

/** One language: which files it reads and how it lowers them into the model. */
export interface LanguageAdapter {
  id: string;
  extensions: string[];
  parse(path: string, text: string, context?: ParseContext): SourceModel;
  /** How many syntax problems `text` has, counted as the model's `syntaxErrors` are (the fix check). */
  countSyntaxProblems(path: string, text: string): number;
  /**
   * The text with what can do nothing taken out (comments, docstrings), for the pre-check to
   * look for receivers in (see engine/precheck.ts); the text itself when that cannot be told.
   */
  codeOf?(text: string): string;
  /** Render a fix intent as edits of the model's text, or null when it cannot be done safely here. */
  renderFix(model: SourceModel, intent: FixIntent): Edit[] | null;
}
