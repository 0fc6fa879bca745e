// Fix intents → TypeScript/JavaScript text.
import type { Edit, FixIntent } from '../../model/fixes.js';
import type { SourceModel } from '../../model/types.js';

export function renderTypescriptFix(model: SourceModel, intent: FixIntent): Edit[] | null {
  void model;
  void intent;
  return null;
}
