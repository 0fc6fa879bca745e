// Line boundaries in a source text, for a line ending of `\n`, `\r\n` or `\r`.

/** The offset where the line holding `at` starts. */
export function lineStart(text: string, at: number): number {
  return Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
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
