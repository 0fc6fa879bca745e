// One reading of a `noqa` directive for the run, MLF001 and --add-noqa. A `noqa` comment is
// shared with flake8, Ruff and pylint's plugins: the codes of other tools (`F401`, `E501`) are
// theirs, so mlflint neither obeys, judges, nor removes them.

export interface NoqaDirective {
  /** Where the directive starts (its `#` or `//`) and ends (after its last code), in the text given. */
  start: number;
  end: number;
  marker: '#' | '//';
  /** The codes listed after `noqa:`, as written; null for a blanket `# noqa`. */
  codes: string[] | null;
  /** `# noqa MLF101`: codes without a colon, which Ruff reads as a blanket noqa. */
  withoutColon: string[] | null;
}

const HEAD = /(#|\/\/)\s*noqa\b/i;
/** A code (`MLF101`, `F401`, a mistyped `MLF1O1`) or a rule name (`unbatched-params`). */
const TOKEN = /^(?:[A-Za-z]+\d[A-Za-z0-9]*|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)$/;
const CODE = /^[A-Za-z]+\d+$/;

/** The codes that follow at `from`: tokens separated by commas or spaces, up to the first that is not a code or name. */
function codesAt(text: string, from: number): { codes: string[]; end: number } {
  const codes: string[] = [];
  const re = /[\s,]*([A-Za-z0-9_-]+)/y;
  re.lastIndex = from;
  let end = from;
  for (let m = re.exec(text); m && TOKEN.test(m[1]); m = re.exec(text)) {
    codes.push(m[1]);
    end = re.lastIndex;
  }
  return { codes, end };
}

/** The first `noqa` directive in a comment's (or a line's) text, or null. */
export function parseNoqa(text: string): NoqaDirective | null {
  const m = HEAD.exec(text);
  if (!m) return null;
  const start = m.index;
  const after = start + m[0].length;
  const marker = m[1] as '#' | '//';
  const colon = /^\s*:/.exec(text.slice(after));
  if (colon) {
    const { codes, end } = codesAt(text, after + colon[0].length);
    // `# noqa:` with nothing after it is a blanket noqa, as in Ruff.
    return codes.length
      ? { start, end, marker, codes, withoutColon: null }
      : { start, end: after + colon[0].length, marker, codes: null, withoutColon: null };
  }
  if (/^\s+[A-Z]+\d+/.test(text.slice(after))) {
    const { codes, end } = codesAt(text, after);
    const listed = codes.filter((c) => CODE.test(c));
    if (listed.length) return { start, end, marker, codes: null, withoutColon: listed };
  }
  return { start, end: after, marker, codes: null, withoutColon: null };
}

/** Is a listed code mlflint's to obey and judge: an `MLF` code, or a rule name? Other tools' codes are theirs. */
export function isOwnCode(code: string): boolean {
  return /^MLF/i.test(code) || !CODE.test(code);
}
