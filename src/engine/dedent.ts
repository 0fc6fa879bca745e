// Docs are written as indented template literals in the rule files; these take the indent out.

function dedented(strings: TemplateStringsArray, values: unknown[]): string {
  const raw = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw
    .replace(/^\n/, '')
    .replace(/\n[ \t]*$/, '')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** Code as written, less the common indent, ending with one line break. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  return `${dedented(strings, values)}\n`;
}

/** Prose: paragraphs are separated by a blank line; the line breaks inside one are spaces. */
export function prose(strings: TemplateStringsArray, ...values: unknown[]): string {
  return dedented(strings, values)
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim())
        .join(' '),
    )
    .join('\n\n');
}
