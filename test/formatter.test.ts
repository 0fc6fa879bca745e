// Fixes as the project's formatter and import sorter write code: real `black` and `isort
// --profile black` (Debian; .ci/run installs them) run after `mlflint check --fix` change nothing,
// on the fixtures and examples (sorted and formatted first) and on merges generated at every
// indentation and size, at the line length the project's formatter configuration sets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { exampleFiles, fixtureFiles, mlflint, needs, scratch } from './helpers.js';

const BLACK = needs('black', 'fixes are checked against real black (Debian: black; .ci/run installs it)');
const ISORT = needs('isort', 'added imports are checked against real isort (Debian: isort; .ci/run installs it)');

/**
 * isort (black's profile) then black over a directory; black reads the line length from the
 * directory's pyproject.toml itself. A file the tools cannot parse is left as it is.
 */
function black(dir: string, args: string[] = []): void {
  if (ISORT === false) {
    const i = spawnSync('isort', ['-q', '--profile', 'black', '.'], { cwd: dir, encoding: 'utf8' });
    assert.ok(i.status === 0 || i.status === 1, i.stderr);
  }
  const r = spawnSync('black', ['-q', ...args, '.'], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 123, r.stderr);
}

const read = (dir: string): Map<string, string> =>
  new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.py'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

/** The files black changes after the fix, with the first line that differs. */
function unstable(dir: string, args: string[] = []): string[] {
  const fixed = read(dir);
  black(dir, args);
  const out: string[] = [];
  for (const [f, text] of read(dir)) {
    if (text === fixed.get(f)) continue;
    const a = (fixed.get(f) ?? '').split('\n');
    const b = text.split('\n');
    const i = a.findIndex((l, k) => l !== b[k]);
    out.push(`${f}:${i + 1}: ${JSON.stringify(a[i])} became ${JSON.stringify(b[i])}`);
  }
  return out;
}

describe('fixes and the formatter', { skip: BLACK || ISORT }, () => {
  it('isort and black change nothing after --fix on the fixtures and examples', () => {
    const dir = scratch('mlflint-black-');
    const files = [
      ...fixtureFiles()
        .filter((f) => f.kind === 'invalid' && f.name.endsWith('.py'))
        // Code that does not parse is not black's; and removing a `noqa` can shorten a comment
        // black had split a call for, which black then joins (the call is not the fix's).
        .filter((f) => f.rule !== 'syntax-error' && f.rule !== 'unused-noqa')
        .map((f) => ({ from: f.file, name: `${f.rule}__${f.name}` })),
      ...exampleFiles()
        .filter((f) => f.endsWith('.py'))
        .map((f) => ({ from: f, name: `examples__${basename(f)}` })),
    ];
    for (const f of files) cpSync(f.from, join(dir, f.name));
    black(dir);
    const before = read(dir);
    const r = mlflint(['check', '--no-cache', '--isolated', '--fix', '--unsafe-fixes', '.'], { cwd: dir });
    assert.notEqual(r.status, 2, r.stderr);
    const changed = [...read(dir)].filter(([f, t]) => t !== before.get(f)).length;
    assert.ok(changed >= files.length - 2, `only ${changed} of ${files.length} files were fixed`);
    assert.deepEqual(unstable(dir), []);
  });

  it('black changes nothing after merges whose values are too long for their line (split at their closing bracket, as black splits them)', () => {
    const dir = scratch('mlflint-black-long-');
    writeFileSync(
      join(dir, 'long.py'),
      [
        'import os',
        '',
        'import mlflow',
        '',
        '',
        'def f(penalty, loss, y_true, y_pred, name, fold, results):',
        '    mlflow.log_metric("position_penalty_ratio", float((penalty / (loss.detach() + 1e-8)).item()))',
        '    mlflow.log_metric("version.DATABRICKS_RUNTIME_VERSION", os.environ.get("DATABRICKS_RUNTIME_VERSION", None))',
        '    mlflow.log_metric("fold_accuracy_of_the_last_model", int(results[name][-1]["correct_prediction"]))',
        '    mlflow.log_metric("a", fn(aaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccccccc, ddd))',
        '    mlflow.log_metric("rmse_on_validation_set", float(compute_rmse(y_true, y_pred)))',
        '',
      ].join('\n'),
    );
    black(dir);
    const before = readFileSync(join(dir, 'long.py'), 'utf8');
    mlflint(['check', '--no-cache', '--isolated', '--fix', '.'], { cwd: dir });
    const fixed = readFileSync(join(dir, 'long.py'), 'utf8');
    assert.notEqual(fixed, before);
    assert.match(fixed, /mlflow\.log_metrics\(/);
    for (const line of fixed.split('\n')) assert.ok(line.length <= 88, `a line of ${line.length} characters: ${line}`);
    assert.deepEqual(unstable(dir), []);
  });

  it('isort and black change nothing after merges of every size at every depth, at the configured line length', () => {
    for (const width of [88, 100]) {
      const dir = scratch(`mlflint-black-${width}-`);
      if (width !== 88) writeFileSync(join(dir, 'pyproject.toml'), `[tool.black]\nline-length = ${width}\n`);
      for (let depth = 0; depth <= 3; depth++) {
        for (let n = 2; n <= 6; n++) {
          for (const [kind, call] of [
            ['params', 'log_param'],
            ['metrics', 'log_metric'],
            ['tags', 'set_tag'],
          ] as const) {
            const pad = ' '.repeat(4 * depth);
            const head = depth
              ? [
                  'def f(cfg, step):',
                  ...Array.from({ length: depth - 1 }, (_, k) => `${' '.repeat(4 * (k + 1))}if cfg:`),
                ]
              : ['cfg = step = None'];
            const lines = Array.from({ length: n }, (_, k) => {
              const key = `${kind}_${'x'.repeat(k * 3 + depth)}`;
              const comment = k === 1 && n % 2 ? `  # about ${key}` : '';
              return `${pad}mlflow.${call}("${key}", cfg.${key}${call === 'log_metric' ? ', step=step' : ''})${comment}`;
            });
            writeFileSync(
              join(dir, `${kind}_${depth}_${n}.py`),
              ['import mlflow', '', ...head, ...lines, ''].join('\n'),
            );
          }
        }
      }
      black(dir);
      const before = read(dir);
      mlflint(['check', '--no-cache', '--fix', '.'], { cwd: dir });
      for (const [f, text] of read(dir)) {
        assert.notEqual(text, before.get(f), `${f} was not fixed`);
        for (const line of text.split('\n'))
          assert.ok(line.length <= width, `${basename(f)}: a line of ${line.length} characters: ${line}`);
      }
      assert.deepEqual(unstable(dir), [], `line length ${width}`);
    }
  });
});
