import type { Position } from './types.js';

/** How many of the ascending `sorted` are below `value`, by binary search. */
export function countBelow(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Maps UTF-16 offsets to 1-based lines and 1-based columns counted in code points. */
export function makePositioner(text: string): (offset: number) => Position {
  const lineStarts = [0];
  // Low surrogates: the second half of a character outside the BMP, which does not count as a column.
  const lows: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lineStarts.push(i + 1);
    else if (c >= 0xdc00 && c <= 0xdfff) lows.push(i);
  }
  // Binary searches only: a minified file is one line of megabytes, and scanning it per position was quadratic.
  const below = countBelow;
  return (offset: number): Position => {
    const line = below(lineStarts, offset + 1) - 1;
    const start = lineStarts[line];
    const surrogates = lows.length ? below(lows, offset) - below(lows, start) : 0;
    return { line: line + 1, column: offset - start + 1 - surrogates, offset };
  };
}
