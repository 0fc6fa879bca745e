import type { Position, Range } from './types.js';

/** Maps UTF-16 offsets to 1-based lines and 1-based columns counted in code points. */
export function makePositioner(text: string): (offset: number) => Position {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  return (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = lineStarts[lo];
    let column = 1;
    for (let i = start; i < offset; i++) {
      const c = text.charCodeAt(i);
      // The high half of a surrogate pair counts, the low half does not: one character.
      if (c < 0xdc00 || c > 0xdfff) column++;
    }
    return { line: lo + 1, column, offset };
  };
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}
