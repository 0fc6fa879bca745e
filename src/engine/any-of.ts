// V8 tries the branches of an alternation one by one at every position of a text, so a pattern of
// fifty words costs fifty tries per character. With common prefixes factored out
// (`log(?:_(?:metric|param)|ger)`), a position that starts no word fails at its first character.
// The pre-check runs such patterns over every file of a run.

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Trie {
  end: boolean;
  next: Map<string, Trie>;
}

/**
 * A pattern source matching exactly the words given (literals), for a case-insensitive RegExp:
 * words are lowercased (`logMetric` and `logmetric` are one word). Beyond ASCII, lowercasing is
 * not how a RegExp folds case (`İ`, the Kelvin sign): such a list is a plain alternation.
 */
export function anyWordOf(words: Iterable<string>): string {
  const list = [...words];
  if (!list.length) return '(?!)';
  if (list.some((w) => /[^\x00-\x7f]/.test(w))) return list.map(escape).join('|');
  const root: Trie = { end: false, next: new Map() };
  for (const w of list) {
    let t = root;
    for (const ch of w.toLowerCase()) {
      let n = t.next.get(ch);
      if (!n) t.next.set(ch, (n = { end: false, next: new Map() }));
      t = n;
    }
    t.end = true;
  }
  return source(root);
}

function source(t: Trie): string {
  const branches = [...t.next].map(([ch, n]) => escape(ch) + source(n));
  if (!branches.length) return '';
  const body = branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
  // A word that ends here and goes on in others: what follows is optional.
  return t.end ? `(?:${body})?` : body;
}
