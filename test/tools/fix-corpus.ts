// Fixes (with --unsafe-fixes) every Python/TS/JS file that names MLflow in a set of real repositories, in
// memory, and reports what a reviewer would have to redo: comments lost or moved between trailing
// and own-line, new Python lines whose code is over 88 characters, temporary directories nothing removes.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fixText, parseFile } from '../../src/index.js';
// Usage: tsx test/tools/fix-corpus.ts <mirrors>: a directory of bare repositories, one per <owner+name>/repo (the eval's --mirrors).
const root = process.argv[2];
if (!root) throw new Error('usage: tsx test/tools/fix-corpus.ts <mirrors dir>');
let files = 0,
  fixedFiles = 0,
  fixes = 0;
const problems: string[] = [];
for (const d of readdirSync(root)) {
  const git = `${root}/${d}/repo`;
  let list: string[];
  try {
    list = execFileSync('git', ['--git-dir', git, 'ls-tree', '-r', '--name-only', 'HEAD'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).split('\n');
  } catch {
    continue;
  }
  for (const p of list.filter((f) => /\.(py|ts|js)$/.test(f))) {
    let text: string;
    try {
      text = execFileSync('git', ['--git-dir', git, 'show', `HEAD:${p}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
    } catch {
      continue;
    }
    if (!/mlflow/i.test(text)) continue;
    files++;
    const r = fixText(p, text, {}, true);
    if (!r.fixed) continue;
    fixedFiles++;
    fixes += r.fixed;
    const placed = (t: string) =>
      parseFile(p, t)
        .comments.map(
          (c) =>
            `${t.slice(t.lastIndexOf('\n', c.range.start.offset - 1) + 1, c.range.start.offset).trim() ? 'trailing' : 'own'}: ${c.text}`,
        )
        .sort();
    const is = placed(r.text);
    const counts = new Map<string, number>();
    for (const c of is) counts.set(c, (counts.get(c) ?? 0) + 1);
    for (const c of placed(text)) {
      const n = counts.get(c) ?? 0;
      if (n > 0) counts.set(c, n - 1);
      else problems.push(`${d}:${p}: moved/lost ${c}`);
    }
    const old = new Set(text.split('\n').map((l) => l.trim()));
    if (p.endsWith('.py'))
      for (const l of r.text.split('\n'))
        if (!old.has(l.trim()) && l.replace(/\s+#.*$/, '').length > 88)
          problems.push(`${d}:${p}: long ${l.length}: ${l.trim()}`);
    if (/mkdtemp/.test(r.text) && !/mkdtemp/.test(text)) problems.push(`${d}:${p}: mkdtemp`);
  }
}
console.log({ files, fixedFiles, fixes, problems: problems.length });
for (const x of problems.slice(0, 40)) console.log(x);
