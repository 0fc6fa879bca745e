// The calls fixes write, laid out as black and `ruff format` lay them out at the file's line
// length, so that running the formatter after `--fix` changes none of the fixed lines:
//   1. the whole call on one line, when it fits;
//   2. else its arguments on one line of their own between `callee(` and `)`;
//   3. else a lone collection argument opened one item a line, or each argument on its line
//      (collections that do not fit opened too), with the trailing commas black adds.
// A comment inside a collection (an item's trailing comment, an own-line comment above an item)
// keeps it open, as black keeps it.

export interface Item {
  text: string;
  /** Its trailing comment (`# learning rate`), written after its comma. */
  comment?: string;
  /** Own-line comments above it. */
  above?: string[];
}

/** A collection argument: `metrics=[...]`, `{...}`; or a comprehension, its parts for items (`x`, `for x in y`). */
interface Group {
  prefix: string;
  open: string;
  items: Item[];
  close: string;
  comprehension?: boolean;
}

export type Arg = string | Group;

export interface Style {
  indent: string;
  unit: string;
  eol: string;
  width: number;
}

const flat = (a: Arg): string =>
  typeof a === 'string'
    ? a
    : `${a.prefix}${a.open}${a.items.map((i) => i.text).join(a.comprehension ? ' ' : ', ')}${a.close}`;

/** What cannot be written on one line: a comment inside, or a line break in an item. */
const forced = (a: Arg): boolean =>
  typeof a === 'string' ? a.includes('\n') : a.items.some((i) => i.comment || i.above?.length || i.text.includes('\n'));

function opened(g: Group, indent: string, s: Style): string {
  const inner = indent + s.unit;
  // A comprehension's parts take no commas.
  const comma = g.comprehension ? '' : ',';
  const lines = g.items.flatMap((i) => [
    ...(i.above ?? []).map((c) => `${inner}${c}`),
    splitItem(i.text, inner, s, comma, i.comment ? `  ${i.comment}` : ''),
  ]);
  return `${g.prefix}${g.open}${s.eol}${lines.join(s.eol)}${s.eol}${indent}${g.close}`;
}

/**
 * `head` is the call up to its `(`, as in `mlflow.log_metrics(`; `after` what stays after it on
 * its last line (a trailing comment), which black counts in the line's length.
 */
export function layoutCall(head: string, args: Arg[], s: Style, after = ''): string {
  const anyForced = args.some(forced);
  const one = `${head}${args.map(flat).join(', ')})`;
  if (!anyForced && s.indent.length + one.length + after.length <= s.width) return one;
  const inner = s.indent + s.unit;
  const body = args.map(flat).join(', ');
  const around = (text: string): string => `${head}${s.eol}${text}${s.eol}${s.indent})`;
  if (!anyForced && inner.length + body.length <= s.width) return around(`${inner}${body}`);
  const lone = args.length === 1 ? args[0] : null;
  if (lone && typeof lone !== 'string') return around(`${inner}${opened(lone, inner, s)}`);
  return around(
    args
      .map((a) => {
        const f = flat(a);
        if (typeof a === 'string' || (!forced(a) && inner.length + f.length + 1 <= s.width)) return `${inner}${f},`;
        return `${inner}${opened(a, inner, s)},`;
      })
      .join(s.eol),
  );
}

/**
 * An item too long for its line, split as black's right-hand split does: at the bracket that
 * closes it, its contents on the next line, one element a line with a trailing comma when they
 * do not fit either; a trailing comment goes after the closing bracket. Left as it is when it
 * ends in no bracket or holds a string that spans lines.
 */
function splitItem(text: string, indent: string, s: Style, comma: string, comment: string): string {
  const line = `${indent}${text}${comma}${comment}`;
  if (line.length <= s.width || text.includes('\n') || /"""|'''/.test(text)) return line;
  const open = openerOfLast(text);
  if (open === null) return line;
  const body = text.slice(open + 1, -1).trim();
  if (!body) return line;
  const inner = indent + s.unit;
  const parts = topLevelParts(body);
  const fits = inner.length + body.replace(/,\s*$/, '').length <= s.width;
  const lines =
    fits || parts.length === 1
      ? [splitItem(parts.join(', '), inner, s, '', '')]
      : parts.map((p) => splitItem(p, inner, s, ',', ''));
  return [`${indent}${text.slice(0, open + 1)}`, ...lines, `${indent}${text.slice(-1)}${comma}${comment}`].join(s.eol);
}

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Where the bracket that closes `text` (its last character) opens; null when it ends in none. */
function openerOfLast(text: string): number | null {
  if (!PAIRS[text[text.length - 1]]) return null;
  const stack: number[] = [];
  let match: number | null = null;
  scan(text, (ch, i) => {
    if ('([{'.includes(ch)) stack.push(i);
    else if (PAIRS[ch]) {
      const o = stack.pop();
      if (i === text.length - 1 && o !== undefined) match = o;
    }
  });
  return match;
}

/** `a, f(b, c), d` → its elements at depth 0; a trailing comma is dropped. */
function topLevelParts(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  scan(body, (ch, i) => {
    if ('([{'.includes(ch)) depth++;
    else if (PAIRS[ch]) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(body.slice(from, i).trim());
      from = i + 1;
    }
  });
  const last = body.slice(from).trim();
  if (last) parts.push(last);
  return parts;
}

/** Each character of `text` outside string literals. */
function scan(text: string, visit: (ch: string, i: number) => void): void {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else visit(ch, i);
  }
}
