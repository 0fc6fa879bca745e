// The pre-commit hooks end to end: real `pre-commit` (from Debian; .ci/run installs it) installs
// this repository at its HEAD commit into a fresh cache, then runs the hooks in a scratch repo.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { GIT_ENV, needs, notebook, ROOT, scratch } from './helpers.js';

const PRE_COMMIT = needs(
  'pre-commit',
  'the hooks are tested through real pre-commit (Debian: pre-commit; .ci/run installs it)',
);

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 480_000 });
  if (r.error) throw r.error;
  return r;
}

const notebookOf = (source: string): string => notebook([{ execution_count: null, source }], {});

describe('pre-commit hooks', { timeout: 600_000 }, () => {
  it('are declared at the repository root for both check and fix', () => {
    const hooks = parseYaml(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    assert.deepEqual(
      hooks.map((h) => [h.id, h.entry]),
      [
        ['mlflint', 'mlflint check --force-exclude'],
        ['mlflint-fix', 'mlflint check --force-exclude --fix'],
      ],
    );
    for (const h of hooks) {
      assert.equal(h.language, 'node');
      assert.deepEqual(h.types, ['text']);
      for (const ext of ['.py', '.pyi', '.ipynb', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'])
        assert.match(`a/train${ext}`, new RegExp(h.files as string), ext);
      assert.doesNotMatch('a/train.tsx.orig', new RegExp(h.files as string));
      assert.equal(h.require_serial, false);
    }
  });

  it('fail on findings, pass after mlflint-fix, and let a clean commit through', { skip: PRE_COMMIT }, () => {
    const head = sh('git', ['rev-parse', 'HEAD'], ROOT);
    assert.equal(
      head.status,
      0,
      'the repository under test must be a git checkout: pre-commit installs hooks from a commit',
    );
    const rev = head.stdout.trim();
    const dir = scratch('mlflint-pc-');
    const env = { PRE_COMMIT_HOME: scratch('mlflint-pc-home-'), ...GIT_ENV };
    assert.equal(sh('git', ['init', '-q', '-b', 'main'], dir).status, 0);
    writeFileSync(
      join(dir, '.pre-commit-config.yaml'),
      [
        'repos:',
        `  - repo: ${ROOT}`,
        `    rev: ${rev}`,
        '    hooks:',
        '      - id: mlflint',
        '      - id: mlflint-fix',
        '',
      ].join('\n'),
    );
    const bad = 'import mlflow\n\nmlflow.set_tag("team", "vision")\nmlflow.set_tag("stage", "dev")\n';
    writeFileSync(join(dir, 'train.py'), bad);
    // Every extension reaches the hooks, those identify has no type tag for too.
    const badTs =
      'import { MlflowClient } from "mlflow-js";\nconst c = new MlflowClient();\nexport async function f(runId: string) {\n  await c.setTag(runId, "a", "1");\n  await c.setTag(runId, "b", "2");\n}\n';
    writeFileSync(join(dir, 'train.mts'), badTs);
    writeFileSync(join(dir, 'view.jsx'), badTs.replace(': string', ''));
    writeFileSync(join(dir, 'nb.ipynb'), notebookOf(bad));
    // pre-commit names every file: the config's excludes still hold (--force-exclude, as Ruff's hook).
    mkdirSync(join(dir, 'legacy'));
    writeFileSync(join(dir, 'legacy', 'old.py'), bad);
    writeFileSync(join(dir, 'mlflint.toml'), 'extend-exclude = ["legacy/"]\n');
    sh('git', ['add', '.'], dir, env);

    const check = sh('pre-commit', ['run', 'mlflint', '--all-files'], dir, env);
    assert.equal(check.status, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /train\.py:3:1: MLF203 \[\*\] 2 back-to-back `mlflow\.set_tag` calls/);
    assert.match(check.stdout, /nb\.ipynb:cell 1:3:1: MLF203 /);
    assert.match(check.stdout, /train\.mts:4:9: MLF203 /);
    assert.match(check.stdout, /view\.jsx:4:9: MLF203 /);

    const fix = sh('pre-commit', ['run', 'mlflint-fix', '--all-files'], dir, env);
    assert.equal(fix.status, 1, 'pre-commit fails a hook that modified files');
    assert.match(fix.stdout, /files were modified by this hook/);
    assert.equal(
      readFileSync(join(dir, 'train.py'), 'utf8'),
      'import mlflow\n\nmlflow.set_tags({"team": "vision", "stage": "dev"})\n',
    );
    assert.equal(readFileSync(join(dir, 'legacy', 'old.py'), 'utf8'), bad, 'an excluded file is not fixed');
    assert.equal(
      readFileSync(join(dir, 'nb.ipynb'), 'utf8'),
      notebookOf('import mlflow\n\nmlflow.set_tags({"team": "vision", "stage": "dev"})\n'),
      'the fix is written into the cell',
    );

    const again = sh('pre-commit', ['run', '--all-files'], dir, env);
    assert.equal(again.status, 0, again.stdout + again.stderr);

    assert.equal(sh('git', ['add', '.'], dir, env).status, 0);
    assert.equal(sh('git', ['commit', '-qm', 'fixed'], dir, env).status, 0);
    assert.equal(sh('pre-commit', ['install'], dir, env).status, 0);
    writeFileSync(join(dir, 'clean.py'), 'import mlflow\n\nmlflow.log_params({"lr": 0.1})\n');
    sh('git', ['add', 'clean.py'], dir, env);
    const commit = sh('git', ['commit', '-m', 'clean file'], dir, env);
    assert.equal(commit.status, 0, commit.stdout + commit.stderr);
    assert.match(commit.stdout + commit.stderr, /mlflint\.+Passed/);
  });
});
