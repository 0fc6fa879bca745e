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
export interface Group {
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

const flat = (a: Arg): string => (typeof a === 'string' ? a : `${a.prefix}${a.open}${a.items.map((i) => i.text).join(a.comprehension ? ' ' : ', ')}${a.close}`);

/** What cannot be written on one line: a comment inside, or a line break in an item. */
const forced = (a: Arg): boolean =>
  typeof a === 'string' ? a.includes('\n') : a.items.some((i) => i.comment || i.above?.length || i.text.includes('\n'));

function opened(g: Group, indent: string, s: Style): string {
  const inner = indent + s.unit;
  // A comprehension's parts take no commas.
  const comma = g.comprehension ? '' : ',';
  const lines = g.items.flatMap((i) => [...(i.above ?? []).map((c) => `${inner}${c}`), `${inner}${i.text}${comma}${i.comment ? `  ${i.comment}` : ''}`]);
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
  return around(args.map((a) => {
    const f = flat(a);
    if (typeof a === 'string' || (!forced(a) && inner.length + f.length + 1 <= s.width)) return `${inner}${f},`;
    return `${inner}${opened(a, inner, s)},`;
  }).join(s.eol));
}
