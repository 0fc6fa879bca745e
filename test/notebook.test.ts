// Jupyter notebooks: code cells linted as one program, findings told by cell, magics masked,
// annotations placed on the notebook file's own lines, malformed notebooks reported, and fixes
// written back into the cells they fall in, the rest of the file untouched.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readNotebook } from '../src/languages/notebook.js';
import { expectations, FIXTURES, matchSnapshot, mlflint, notebook, project, ROOT } from './helpers.js';

/** Each rule's fixture notebooks (`fixtures/<rule>/notebook*.ipynb`). */
const notebooks = (): string[] =>
  readdirSync(FIXTURES).flatMap((rule) => {
    const dir = join(FIXTURES, rule);
    return statSync(dir).isDirectory()
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.ipynb'))
          .map((f) => join('fixtures', rule, f))
      : [];
  });
const TRAINING = join('fixtures', 'metric-in-tight-loop', 'notebook.ipynb');

function joined(raw: string): string {
  const r = readNotebook(raw);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.text;
}

/** `# expect: <rule>` in a code cell: `cell:line:rule`, the cell counted as Jupyter shows it. */
function expected(raw: string): string[] {
  return (JSON.parse(raw).cells as { cell_type: string; source: string[] | string }[])
    .flatMap((c, i) => expectations(Array.isArray(c.source) ? c.source.join('') : c.source).map((k) => `${i + 1}:${k}`))
    .sort();
}

describe('notebooks', () => {
  it('joins code cells in order and masks magics, shell escapes and help, keeping every line', () => {
    const raw = notebook([
      { cell_type: 'markdown', source: ['# title\n'] },
      {
        source: [
          '!pip install mlflow\n',
          'import mlflow\n',
          '%matplotlib inline\n',
          'files = !ls\n',
          'mlflow.log_param?',
        ],
      },
      { source: 'msg = ("a %d"\n       % 3)\nx = 1 \\\n  % 2\n' },
      { source: ['%%bash\n', 'echo mlflow.log_metric(1)\n'] },
      { source: ['%%time\n', 'y = 2\n'] },
      { source: ['select 1\n'], metadata: { vscode: { languageId: 'sql' } } },
    ]);
    const m = '  # mlflint: masked';
    assert.equal(
      joined(raw),
      `...${m}\nimport mlflow\n...${m}\nfiles = ...${m}\n...${m}\n_\nmsg = ("a %d"\n       % 3)\nx = 1 \\\n  % 2\n_\n\n\n_\n${m.trim()}\ny = 2\n_\n\n`,
    );
    const r = readNotebook(raw);
    assert.ok(r.ok);
    // Line 7 of the joined text is the first line of the third cell (the markdown cell counts; a `_` line parts cells).
    assert.deepEqual(r.index.locate(7), { cell: 3, line: 1 });
    assert.deepEqual(r.index.locate(2), { cell: 2, line: 2 });
    assert.deepEqual(r.index.locate(16), { cell: 5, line: 2 });
    // The file line that holds `import mlflow` in the notebook's JSON.
    assert.equal(r.index.fileLine(2), raw.split('\n').findIndex((l) => l.includes('"import mlflow\\n"')) + 1);
    assert.equal(
      r.index.retell('the loop `x` (line 7) ran; logged on line 2'),
      'the loop `x` (cell 3, line 1) ran; logged in cell 2, line 2',
    );
  });

  it('masks IPython aliases and automagics called without `%`, and leaves the Python that starts with their names', () => {
    const shell = ['ls -al data/', 'cat Dockerfile', 'cd ..', 'pip install mlflow', '  mkdir -p out'];
    const python = ['ls = 3', 'cat(x)', 'pip - 1', 'cd in dirs', 'env.step(a)', 'ls', 'rm[0] = 1'];
    const text = joined(notebook([{ source: [...shell, ...python].join('\n') }]));
    assert.deepEqual(text.split('\n').slice(0, -1), [
      ...shell.map((l) => `${/^\s*/.exec(l)?.[0]}...  # mlflint: masked`),
      ...python,
    ]);
  });

  it('skips every cell of a notebook in another language', () => {
    assert.equal(
      joined(notebook([{ source: 'mlflow.log_metric("a", 1)\n' }], { kernelspec: { language: 'R' } })),
      '\n',
    );
  });

  it('finds what each fixture notebook annotates, at its cell and line, and nothing in masked cells', () => {
    const files = notebooks();
    assert.ok(files.length >= 4);
    for (const f of files) {
      const raw = readFileSync(join(ROOT, f), 'utf8');
      const r = mlflint(['check', '--no-cache', '--isolated', '--output-format', 'json', f]);
      const found = (JSON.parse(r.stdout) as { cell: number; line: number; rule: string }[])
        .map((d) => `${d.cell}:${d.line}:${d.rule}`)
        .sort();
      assert.deepEqual(found, expected(raw), f);
      assert.equal(r.status, found.length ? 1 : 0, r.stderr);
    }
  });

  it("says cell and line in text, the notebook file's line in GitHub annotations and SARIF (whose fixes, of the joined cells, are left out)", () => {
    const file = TRAINING;
    const raw = readFileSync(join(ROOT, file), 'utf8');
    const text = mlflint(['check', '--no-cache', '--isolated', '--output-format', 'concise', file]).stdout;
    assert.match(
      text,
      /^fixtures\/metric-in-tight-loop\/notebook\.ipynb:cell 3:4:5: MLF101 .*the loop in cell 3, line 2 /m,
    );
    const onDisk = raw.split('\n').findIndex((l) => l.includes('mlflow.log_metric(\\"loss\\", loss, step=step)')) + 1;
    const gh = mlflint(['check', '--no-cache', '--isolated', '--output-format', 'github', file]).stdout;
    assert.match(
      gh,
      new RegExp(
        `^::warning file=fixtures/metric-in-tight-loop/notebook\\.ipynb,line=${onDisk},endLine=${onDisk},title=mlflint \\(MLF101\\)::`,
        'm',
      ),
    );
    const sarif = JSON.parse(mlflint(['check', '--no-cache', '--isolated', '--output-format', 'sarif', file]).stdout);
    const results = sarif.runs[0].results as {
      ruleId: string;
      fixes?: unknown;
      locations: { physicalLocation: { region: { startLine: number } } }[];
    }[];
    assert.ok(
      results.some((x) => x.ruleId === 'MLF101' && x.locations[0].physicalLocation.region.startLine === onDisk),
    );
    assert.ok(results.every((x) => x.fixes === undefined));
  });

  it('never groups calls of two cells: they run at different times', () => {
    const r = mlflint([
      'check',
      '--no-cache',
      '--isolated',
      '--output-format',
      'concise',
      join('fixtures', 'unbatched-tags', 'notebook.ipynb'),
    ]);
    assert.match(r.stdout, /cell 2:3:1: MLF203 \[\*\] 2 back-to-back `mlflow\.set_tag` calls/);
    assert.equal((r.stdout.match(/MLF203/g) ?? []).length, 1);
  });

  it('reports a malformed notebook with its reason, lints the rest, and exits 2', () => {
    const dir = project({
      'broken.ipynb': '{"cells": [',
      'nocells.ipynb': '{"metadata": {}}\n',
      'badcell.ipynb': '{"cells": [{"cell_type": "code", "source": 3}]}\n',
      'empty.ipynb': '',
      'train.ipynb': notebook([
        { source: ['import mlflow\n', 'for step in range(1000):\n', '    mlflow.log_metric("loss", step)\n'] },
      ]),
    });
    const r = mlflint(['check', '--no-cache', '--output-format', 'concise', '.'], { cwd: dir });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^mlflint: broken\.ipynb: not a notebook: invalid JSON \(.*\); skipped$/m);
    assert.match(r.stderr, /^mlflint: nocells\.ipynb: not a notebook: no `cells` list; skipped$/m);
    assert.match(
      r.stderr,
      /^mlflint: badcell\.ipynb: not a notebook: cell 1 has no source text \(a string or a list of strings\); skipped$/m,
    );
    assert.match(r.stderr, /^mlflint: empty\.ipynb: not a notebook: the file is empty; skipped$/m);
    assert.match(r.stdout, /^train\.ipynb:cell 1:3:5: MLF101 /m);
  });

  it('reads and fixes a cell whose source is one string, as nbformat allows, and writes it back as one string', () => {
    const raw = `${JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: 'import mlflow\nmlflow.set_tag("a", "1")\nmlflow.set_tag("b", "2")' }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
    const dir = project({ 'nb.ipynb': raw });
    assert.match(
      mlflint(['check', '--no-cache', '--output-format', 'concise', 'nb.ipynb'], { cwd: dir }).stdout,
      /^nb\.ipynb:cell 1:2:1: MLF203 /m,
    );
    mlflint(['check', '--no-cache', '--fix', 'nb.ipynb'], { cwd: dir });
    assert.equal(
      JSON.parse(readFileSync(join(dir, 'nb.ipynb'), 'utf8')).cells[0].source,
      'import mlflow\nmlflow.set_tags({"a": "1", "b": "2"})',
    );
  });

  it("keeps each cell's line breaks when it writes a fix into it (CRLF, CR, and a cell without a last break)", () => {
    const cells = [
      { source: ['import mlflow\r\n', 'mlflow.set_tag("a", "1")\r\n', 'mlflow.set_tag("b", "2")\r\n', 'x = 1\r\n'] },
      { source: 'mlflow.set_tag("c", "3")\rmlflow.set_tag("d", "4")\rx = 2' },
      { source: ['mlflow.set_tag("e", "5")\n', 'mlflow.set_tag("f", "6")'] },
    ];
    const dir = project({ 'nb.ipynb': notebook(cells) });
    mlflint(['check', '--no-cache', '--fix', 'nb.ipynb'], { cwd: dir });
    const fixed = JSON.parse(readFileSync(join(dir, 'nb.ipynb'), 'utf8')).cells.map(
      (c: { source: unknown }) => c.source,
    );
    assert.deepEqual(fixed, [
      ['import mlflow\r\n', 'mlflow.set_tags({"a": "1", "b": "2"})\r\n', 'x = 1\r\n'],
      ['mlflow.set_tags({"c": "3", "d": "4"})\r', 'x = 2'],
      ['mlflow.set_tags({"e": "5", "f": "6"})'],
    ]);
  });

  it('writes fixes into the cells they fall in: the file stays nbformat JSON and changes only there', () => {
    for (const f of notebooks()) {
      const raw = readFileSync(join(ROOT, f), 'utf8');
      const dir = project({ 'nb.ipynb': raw });
      const r = mlflint(['check', '--no-cache', '--isolated', '--fix', '--unsafe-fixes', 'nb.ipynb'], { cwd: dir });
      const fixed = readFileSync(join(dir, 'nb.ipynb'), 'utf8');
      const snap = join(ROOT, f.replace(/([^/]+)\.ipynb$/, '__snapshots__/$1.fixed.ipynb'));
      matchSnapshot(snap, fixed);
      const [a, b] = [JSON.parse(raw), JSON.parse(fixed)];
      assert.equal(b.cells.length, a.cells.length);
      // Everything but the source of the cells a fix changed is as it was, byte for byte.
      const changed = a.cells.map(
        (c: { source: unknown }, i: number) => JSON.stringify(c.source) !== JSON.stringify(b.cells[i].source),
      );
      a.cells.forEach((c: { source: unknown }, i: number) => {
        if (changed[i]) c.source = b.cells[i].source;
      });
      assert.deepEqual(b, a, f);
      const offered = /fixable with the `--fix` option|available with `--unsafe-fixes`/.test(
        mlflint(['check', '--no-cache', '--isolated', f]).stdout,
      );
      if (!offered) assert.equal(fixed, raw, `${f}: a notebook with nothing to fix is not rewritten`);
      else assert.ok(changed.some(Boolean), `${f}: something was fixed (${r.stderr})`);
      // Fixed twice is fixed once.
      mlflint(['check', '--no-cache', '--isolated', '--fix', '--unsafe-fixes', 'nb.ipynb'], { cwd: dir });
      assert.equal(readFileSync(join(dir, 'nb.ipynb'), 'utf8'), fixed, `${f}: idempotent`);
    }
  });

  it('shows --diff per cell and writes nothing; --add-noqa writes its comments into the cells', () => {
    const raw = readFileSync(join(ROOT, 'fixtures', 'unbatched-tags', 'notebook.ipynb'), 'utf8');
    const dir = project({ 'nb.ipynb': raw });
    const d = mlflint(['check', '--no-cache', '--diff', 'nb.ipynb'], { cwd: dir });
    assert.equal(d.status, 1);
    assert.match(d.stdout, /^--- nb\.ipynb:cell 2\n\+\+\+ nb\.ipynb:cell 2\n@@ -1,4 \+1,8 @@\n/m);
    assert.match(d.stdout, /^\+mlflow\.set_tags\(\n\+ {4}\{\n\+ {8}"team": "vision", {2}# expect: unbatched-tags\n/m);
    assert.equal(readFileSync(join(dir, 'nb.ipynb'), 'utf8'), raw);
    const n = mlflint(['check', '--no-cache', '--add-noqa', 'nb.ipynb'], { cwd: dir });
    assert.equal(n.status, 0, n.stderr);
    const noqa = readFileSync(join(dir, 'nb.ipynb'), 'utf8');
    assert.match(
      noqa,
      /"mlflow\.set_tag\(\\"team\\", \\"vision\\"\) {2}# expect: unbatched-tags {2}# noqa: MLF203\\n"/,
    );
    assert.equal(mlflint(['check', '--no-cache', 'nb.ipynb'], { cwd: dir }).status, 0);
    writeFileSync(join(dir, 'nb.ipynb'), raw);
    const piped = mlflint(['check', '--no-cache', '--fix', '--stdin-filename', 'nb.ipynb', '-'], {
      cwd: dir,
      input: raw,
    });
    assert.match(
      piped.stdout,
      /" {8}\\"team\\": \\"vision\\", {2}# expect: unbatched-tags\\n",\n +" {8}\\"stage\\": \\"dev\\",\\n"/,
    );
    assert.doesNotThrow(() => JSON.parse(piped.stdout));
  });

  it('offers no fix that would lose a magic, and still makes the others', () => {
    const raw = notebook([
      { source: ['import mlflow\n', 'mlflow.log_param("a", 1)\n', '%time x = 1\n', 'mlflow.log_param("b", 2)\n'] },
      { source: ['mlflow.set_tag("a", "1")\n', 'mlflow.set_tag("b", "2")\n'] },
    ]);
    const dir = project({ 'nb.ipynb': raw });
    const r = mlflint(['check', '--no-cache', '--fix', '--output-format', 'concise', 'nb.ipynb'], { cwd: dir });
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^nb\.ipynb:cell 1:2:1: MLF202 2 back-to-back/m);
    const cells = JSON.parse(readFileSync(join(dir, 'nb.ipynb'), 'utf8')).cells;
    assert.deepEqual(cells[0].source, JSON.parse(raw).cells[0].source);
    assert.deepEqual(cells[1].source, ['mlflow.set_tags({"a": "1", "b": "2"})\n']);
  });

  it('reports a cell left inside brackets or a string as its own error, and reads the cells after it', () => {
    const raw = notebook([
      { source: ['import mlflow\n'] },
      { source: ['cfg = dict(lr=0.1,\n'] },
      { source: ['doc = f"""notes\n'] },
      { source: ['mlflow.set_tag("a", "1")\n', 'mlflow.set_tag("b", "2")\n'] },
    ]);
    const r = mlflint(['check', '--no-cache', '--output-format', 'concise', 'nb.ipynb'], {
      cwd: project({ 'nb.ipynb': raw }),
    });
    assert.match(r.stdout, /^nb\.ipynb:cell 2:1:11: MLF000 SyntaxError: '\(' was never closed$/m);
    assert.match(r.stdout, /^nb\.ipynb:cell 3:1:7: MLF000 SyntaxError: unterminated triple-quoted string literal$/m);
    assert.match(r.stdout, /^nb\.ipynb:cell 4:1:1: MLF203 /m);
  });

  it('comes from the cache when unchanged, and reads the notebook only to show its findings', () => {
    const dir = project({ 'nb.ipynb': readFileSync(join(ROOT, TRAINING), 'utf8') });
    const first = mlflint(['check', '--output-format', 'concise', 'nb.ipynb'], { cwd: dir });
    const second = mlflint(['check', '-v', '--output-format', 'concise', 'nb.ipynb'], { cwd: dir });
    assert.equal(second.stdout, first.stdout);
    assert.match(second.stderr, /^mlflint: cached: nb\.ipynb$/m);
    writeFileSync(join(dir, 'nb.ipynb'), notebook([{ source: 'import mlflow\n' }]));
    assert.equal(mlflint(['check', 'nb.ipynb'], { cwd: dir }).status, 0);
  });
});
