// Line boundaries in a source text, for a line ending of `\n`, `\r\n` or `\r`.

/** The offset where the line holding `at` starts. */
export function lineStart(text: string, at: number): number {
  // Backwards to the line break only: lastIndexOf of a `\r` a file does not have scans all of it.
  let i = Math.min(at, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The offset of the line ending after `at` (or the end of the text). */
export function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The start of the line after the one holding `at` (the end of the text when there is none). */
export function nextLineStart(text: string, at: number): number {
  const end = lineEnd(text, at);
  if (end >= text.length) return text.length;
  return end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
}

/** How many leading and trailing items (characters or lines) two sequences share, the two never overlapping. */
export function commonEnds(a: ArrayLike<unknown>, b: ArrayLike<unknown>): { head: number; tail: number } {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { head, tail };
}
