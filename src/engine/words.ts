import type { Impact } from '../model/fixes.js';
import type { Diagnostic } from './run.js';

const requests = (n: number): string => `${n} request${n === 1 ? '' : 's'}`;

/** "1 request per step → 1 per 100 steps", "3 requests → 1 per call of `evaluate`", "2 requests → 1 in all". */
export function impactText(i: Impact): string {
  const now = `${requests(i.now)}${i.per ? ` per ${i.per}` : ''}`;
  if (!i.after) return now;
  // When the fix keeps the unit, it is said once, after the arrow.
  const sameUnit = i.after.once === 0 && i.after.text === (i.per ? `1 per ${i.per}` : '1 in all');
  return `${sameUnit ? requests(i.now) : now} → ${i.after.text}`;
}

/** A finding in one line, for annotations and editors: the problem, its figure, what to do. */
export function oneLine(d: Diagnostic): string {
  const figure = d.impact ? ` (${impactText(d.impact)})` : '';
  return `${d.message}${figure}${d.help ? `. ${d.help}` : ''}`;
}
