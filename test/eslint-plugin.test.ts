// The ESLint plugin through the real `eslint` CLI, on the same fixtures as `mlflint check`:
// the same findings at the same places, the same fixes, and ESLint's disable directives.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { eslint, fixtureFiles, mlflint, PLUGIN_URL, project, scratch } from './helpers.js';

const require = createRequire(import.meta.url);

/** A scratch project with an eslint.config.mjs using the built plugin and the TypeScript parser. */
function eslintProject(files: Record<string, string>, more: string[] = []): string {
  const parser = pathToFileURL(require.resolve('@typescript-eslint/parser')).href;
  return project(
    {
      ...files,
      'eslint.config.mjs': [
        `import mlflint from ${JSON.stringify(PLUGIN_URL)};`,
        `import tsParser from ${JSON.stringify(parser)};`,
        'export default [',
        '  ...mlflint.configs.recommended,',
        "  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } } },",
        "  { files: ['**/*.{js,jsx,mjs,cjs}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },",
        ...more.map((m) => `  ${m},`),
        '];',
        '',
      ].join('\n'),
    },
    'mlflint-eslint-',
  );
}

interface EslintMessage {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
  fatal?: boolean;
}

// A TypeScript file that does not parse never reaches ESLint's rules; mlflint still lints it.
const PARITY = fixtureFiles().filter((f) => !(f.rule === 'syntax-error' && !f.name.endsWith('.py')));
const flat = (f: { rule: string; name: string }) => `${f.rule}__${f.name}`;

describe('eslint plugin', () => {
  const files = Object.fromEntries(PARITY.map((f) => [flat(f), readFileSync(f.file, 'utf8')]));

  it('reports exactly what mlflint check reports, at the same lines and columns', () => {
    const dir = eslintProject(files);
    const r = eslint(dir, ['--format', 'json', '.']);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: EslintMessage[] }[];
    const fromEslint = results
      .flatMap((f) =>
        f.messages.map((m) => {
          assert.ok(!m.fatal, `${f.filePath}: ${m.message}`);
          return `${relative(dir, f.filePath)}:${m.line}:${m.column}:${m.ruleId?.replace(/^mlflint\//, '')}`;
        }),
      )
      .sort();
    const ours = JSON.parse(mlflint(['check', '--format', 'json', '.'], { cwd: dir }).stdout) as {
      path: string;
      line: number;
      column: number;
      rule: string;
    }[];
    const fromMlflint = ours.map((f) => `${f.path}:${f.line}:${f.column}:${f.rule}`).sort();
    assert.ok(fromMlflint.length > 100, `only ${fromMlflint.length} findings`);
    assert.deepEqual(fromEslint, fromMlflint);
  });

  it('runs beside js.configs.recommended and tseslint.configs.recommended, unscoped and placed first, with the same findings and exit code as the CLI', () => {
    const url = (p: string) => JSON.stringify(pathToFileURL(p).href);
    const dir = project(
      {
        ...files,
        'eslint.config.mjs': [
          `import js from ${url(require.resolve('@eslint/js'))};`,
          `import tseslint from ${url(require.resolve('typescript-eslint'))};`,
          `import mlflint from ${JSON.stringify(PLUGIN_URL)};`,
          'export default [js.configs.recommended, ...tseslint.configs.recommended, ...mlflint.configs.recommended];',
          '',
        ].join('\n'),
      },
      'mlflint-eslint-shared-',
    );
    const r = eslint(dir, ['--format', 'json', '.']);
    assert.equal(r.status, 1, r.stderr);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: (EslintMessage & { severity: number })[] }[];
    const messages = results.flatMap((f) => f.messages.map((m) => ({ ...m, file: relative(dir, f.filePath) })));
    for (const m of messages) assert.ok(!m.fatal, `${m.file}: ${m.message}`);
    // The shared configs' own rules run on the JavaScript and TypeScript files, never on Python.
    assert.ok(messages.some((m) => m.ruleId && !m.ruleId.startsWith('mlflint/') && /\.[jt]sx?$/.test(m.file)));
    assert.ok(!messages.some((m) => m.ruleId && !m.ruleId.startsWith('mlflint/') && m.file.endsWith('.py')));
    const fromEslint = messages
      .filter((m) => m.ruleId?.startsWith('mlflint/'))
      .map((m) => {
        assert.equal(m.severity, 2, 'a finding fails the run, as it fails mlflint check');
        return `${m.file}:${m.line}:${m.column}:${m.ruleId?.slice('mlflint/'.length)}`;
      })
      .sort();
    const ours = JSON.parse(mlflint(['check', '--format', 'json', '.'], { cwd: dir }).stdout) as {
      path: string;
      line: number;
      column: number;
      rule: string;
    }[];
    assert.deepEqual(fromEslint, ours.map((f) => `${f.path}:${f.line}:${f.column}:${f.rule}`).sort());
  });

  it("projectConfig() reads the project's mlflint configuration: the same rules, severities, settings and per-file ignores as the CLI", () => {
    const src =
      'import mlflow\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\nmlflow.log_param("a", 1)\nmlflow.log_param("b", 2)\nfor step, batch in enumerate(loader):\n    mlflow.log_metric("loss", fit(batch), step=step)\n';
    const dir = project(
      {
        'train.py': src,
        'tests/t.py': src,
        'mlflint.toml':
          'ignore = ["MLF202"]\nlog-every = 25\n[severity]\nMLF101 = "error"\nMLF203 = "info"\n[per-file-ignores]\n"tests/*.py" = ["unbatched-tags"]\n',
        'eslint.config.mjs': `import { projectConfig } from ${JSON.stringify(PLUGIN_URL)};\nexport default [...projectConfig()];\n`,
      },
      'mlflint-eslint-project-',
    );
    const r = eslint(dir, ['--format', 'json', '.']);
    assert.equal(r.status, 1, r.stderr);
    const got = (
      JSON.parse(r.stdout) as {
        filePath: string;
        messages: (EslintMessage & { severity: number; suggestions?: { desc: string; fix: { text: string } }[] })[];
      }[]
    ).flatMap((f) =>
      f.messages.map((m) => ({
        at: `${relative(dir, f.filePath)}:${m.line}:${m.ruleId?.slice('mlflint/'.length)}`,
        severity: m.severity,
        fix: m.suggestions?.[0]?.fix.text,
      })),
    );
    const cli = JSON.parse(mlflint(['check', '--no-cache', '--format', 'json', '.'], { cwd: dir }).stdout) as {
      path: string;
      line: number;
      rule: string;
      severity: string;
      fix: { edits: { content: string }[] } | null;
    }[];
    assert.deepEqual(got.map((g) => g.at).sort(), cli.map((f) => `${f.path}:${f.line}:${f.rule}`).sort());
    for (const g of got) assert.equal(g.severity, g.at.endsWith('metric-in-tight-loop') ? 2 : 1, g.at);
    assert.match(got.find((g) => g.at === 'train.py:7:metric-in-tight-loop')?.fix ?? '', /% 25 == 0/);
    assert.ok(!got.some((g) => g.at === 'tests/t.py:2:unbatched-tags'));
  });

  it('projectConfig() leaves out a rule a severity table sets `off`, as the CLI does, whatever comes after', async () => {
    const dir = project(
      {
        'mlflint.toml': '[severity]\nMLF2 = "off"\nMLF203 = "info"\n',
        'train.py': 'import mlflow\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n',
      },
      'mlflint-eslint-off-',
    );
    const { projectConfig } = (await import(PLUGIN_URL)) as {
      projectConfig: (d: string) => { rules?: Record<string, string> }[];
    };
    assert.equal(projectConfig(dir)[0].rules?.['mlflint/unbatched-tags'], 'off');
    assert.equal(mlflint(['check', '--no-cache', 'train.py'], { cwd: dir }).status, 0);
  });

  it('eslint --fix writes what mlflint check --fix writes', () => {
    const viaEslint = eslintProject(files);
    const viaMlflint = scratch('mlflint-fixcmp-');
    cpSync(viaEslint, viaMlflint, { recursive: true });
    eslint(viaEslint, ['--fix', '.']);
    mlflint(['check', '--fix', '.'], { cwd: viaMlflint });
    let changed = 0;
    for (const name of Object.keys(files)) {
      const a = readFileSync(join(viaEslint, name), 'utf8');
      const b = readFileSync(join(viaMlflint, name), 'utf8');
      assert.equal(a, b, name);
      if (a !== files[name]) changed++;
    }
    assert.ok(changed >= 8, `only ${changed} files were fixed`);
  });

  it('honours eslint-disable comments in Python and TypeScript, and reports unused ones', () => {
    const py = [
      'import mlflow',
      '# eslint-disable-next-line mlflint/unbatched-tags -- tags are logged once per run',
      'mlflow.set_tag("a", 1)',
      'mlflow.set_tag("b", 2)',
      'x = 1',
      'mlflow.set_tag("c", 1)  # eslint-disable-line mlflint/unbatched-tags',
      'mlflow.set_tag("d", 2)',
      'y = 2',
      '# eslint-disable mlflint/unbatched-params',
      'mlflow.log_param("p", 1)',
      'mlflow.log_param("q", 2)',
      '# eslint-enable mlflint/unbatched-params',
      'w = 0',
      'mlflow.log_param("r", 1)',
      'mlflow.log_param("s", 2)',
      '# eslint-disable-next-line mlflint/param-in-loop',
      'z = 3',
      '',
    ].join('\n');
    const ts = [
      "import Mlflow from 'mlflow-js';",
      "const m = new Mlflow('u');",
      '// eslint-disable-next-line mlflint/unbatched-tags',
      "m.setTag('r', 'a', '1');",
      "m.setTag('r', 'b', '2');",
      "m.logParam('r', 'p', '1');",
      "m.logParam('r', 'q', '2');",
      '',
    ].join('\n');
    const dir = eslintProject({ 'd.py': py, 'd.ts': ts });
    const r = eslint(dir, ['--format', 'json', '--report-unused-disable-directives', '.']);
    const got = (JSON.parse(r.stdout) as { filePath: string; messages: EslintMessage[] }[])
      .flatMap((f) => f.messages.map((m) => `${relative(dir, f.filePath)}:${m.line}:${m.ruleId ?? 'unused-directive'}`))
      .sort();
    assert.deepEqual(
      got,
      ['d.py:14:mlflint/unbatched-params', 'd.py:16:unused-directive', 'd.ts:6:mlflint/unbatched-params'].sort(),
    );
    // One suppression language: the CLI honours the same directives (ESLint judges the unused ones).
    const cli = JSON.parse(mlflint(['check', '--no-cache', '--format', 'json', '.'], { cwd: dir }).stdout) as {
      path: string;
      line: number;
      rule: string;
    }[];
    assert.deepEqual(
      cli.map((f) => `${f.path}:${f.line}:mlflint/${f.rule}`).sort(),
      got.filter((g) => !g.endsWith('unused-directive')),
    );
    // --ignore-noqa sets every suppression aside, ESLint's too.
    const all = JSON.parse(
      mlflint(['check', '--no-cache', '--ignore-noqa', '--format', 'json', '.'], { cwd: dir }).stdout,
    ) as unknown[];
    assert.equal(all.length, 6);
  });

  it('offers unsafe fixes as suggestions, never as fixes', () => {
    const src =
      'import mlflow\n\nfor step, batch in enumerate(loader):\n    mlflow.log_metric("loss", fit(batch), step=step)\n';
    const dir = eslintProject({ 's.py': src });
    const results = JSON.parse(eslint(dir, ['--format', 'json', 's.py']).stdout) as {
      messages: (EslintMessage & { fix?: object; suggestions?: { desc: string }[] })[];
    }[];
    assert.equal(results.length, 1);
    const m = results[0].messages[0];
    assert.equal(m.ruleId, 'mlflint/metric-in-tight-loop');
    assert.equal(m.fix, undefined);
    assert.deepEqual(
      m.suggestions?.map((s) => s.desc),
      ['Log every 100 steps: wrap the logging in `if step % 100 == 0`'],
    );
    eslint(dir, ['--fix', '.']);
    assert.equal(readFileSync(join(dir, 's.py'), 'utf8'), src);
  });

  it('lints through the ESLint Node API the way editors call it (lintText with a filePath)', async () => {
    const dir = eslintProject({});
    const { ESLint } = (await import(pathToFileURL(require.resolve('eslint')).href)) as typeof import('eslint');
    const api = new ESLint({ cwd: dir });
    const [py] = await api.lintText('import mlflow\nmlflow.set_tag("é", 1)\nmlflow.set_tag("b", 2)\n', {
      filePath: join(dir, 'live.py'),
    });
    assert.deepEqual(
      py.messages.map((m) => [m.ruleId, m.line, m.column]),
      [['mlflint/unbatched-tags', 2, 1]],
    );
    const [tsr] = await api.lintText(
      "import Mlflow from 'mlflow-js';\nconst m = new Mlflow('u');\nm.setTag('r', 'a', '1');\nm.setTag('r', 'b', '2');\n",
      { filePath: join(dir, 'live.ts') },
    );
    assert.deepEqual(
      tsr.messages.map((m) => [m.ruleId, m.line, m.column]),
      [['mlflint/unbatched-tags', 3, 1]],
    );
  });

  describe('takes the settings of the config file', () => {
    const py =
      'def train(tracker, loader):\n    for step, batch in enumerate(loader):\n        tracker.log_metric("loss", batch.loss, step=step)\n';
    const ts =
      'export async function train(tracker: any, runId: string) {\n  for (let step = 0; step < 10; step++) {\n    await tracker.logMetric(runId, "loss", step);\n  }\n}\n';
    const found = (dir: string) =>
      (
        JSON.parse(eslint(dir, ['--format', 'json', '.']).stdout) as {
          filePath: string;
          messages: (EslintMessage & { suggestions?: { desc: string }[] })[];
        }[]
      )
        .flatMap((f) =>
          f.messages.map(
            (m) =>
              `${relative(dir, f.filePath)}:${m.line}:${m.ruleId}:${m.suggestions?.map((s) => s.desc).join() ?? ''}`,
          ),
        )
        .sort();

    it('extra-receivers from settings.mlflint, log-every from a rule option, as mlflint check reads them', () => {
      assert.deepEqual(found(eslintProject({ 'a.py': py, 'a.ts': ts })), [], 'an unknown receiver is not flagged');
      const dir = eslintProject({ 'a.py': py, 'a.ts': ts }, [
        "{ settings: { mlflint: { 'extra-receivers': { tracker: 'module' } } } }",
        "{ rules: { 'mlflint/metric-in-tight-loop': ['warn', { 'log-every': 25 }] } }",
      ]);
      assert.deepEqual(found(dir), [
        'a.py:3:mlflint/metric-in-tight-loop:Log every 25 steps: wrap the logging in `if step % 25 == 0`',
        'a.ts:3:mlflint/metric-in-tight-loop:Log every 25 steps: wrap the logging in `if (step % 25 === 0)`',
      ]);
      writeFileSync(join(dir, 'mlflint.toml'), 'log-every = 25\n[extra-receivers]\ntracker = "module"\n');
      const ours = JSON.parse(mlflint(['check', '--format', 'json', '.'], { cwd: dir }).stdout) as {
        path: string;
        line: number;
        rule: string;
      }[];
      assert.deepEqual(
        ours.map((f) => `${f.path}:${f.line}:mlflint/${f.rule}`).sort(),
        found(dir).map((f) => f.split(':').slice(0, 3).join(':')),
      );
    });

    it('an option the rule does not read is a configuration error naming it', () => {
      const dir = eslintProject({ 'a.py': py }, [
        "{ rules: { 'mlflint/param-in-loop': ['warn', { 'log-every': 25 }] } }",
      ]);
      const r = eslint(dir, ['.']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /param-in-loop[\s\S]*log-every|should NOT have additional properties/i);
    });

    it('a tight-loop name that is not a regular expression stops ESLint with a message naming it', () => {
      const dir = eslintProject({ 'a.py': py }, ["{ settings: { mlflint: { 'tight-loop-names': ['(unclosed'] } } }"]);
      const r = eslint(dir, ['.']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /tight-loop-names.*\(unclosed/);
    });
  });
});
