// The GitHub Action's script, run as the runner would run it, with a simulated GITHUB_* environment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { BIN, GIT_ENV, ROOT, scratch } from './helpers.js';

const BAD = 'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

/** A repository whose head commit adds a file with findings on top of one that already had some. */
function repo(): { dir: string; base: string; head: string } {
  const dir = scratch('mlflint-action-');
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'old.py'), BAD);
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  writeFileSync(join(dir, 'new.py'), BAD);
  writeFileSync(join(dir, 'notes.md'), '# not code\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'head');
  return { dir, base, head: git(dir, 'rev-parse', 'HEAD') };
}

/** Runs action/run.sh as the runner would; `runs` counts the mlflint processes it started. */
function runAction(dir: string, env: Record<string, string>) {
  const out = scratch('mlflint-action-out-');
  const files = { GITHUB_OUTPUT: join(out, 'output'), GITHUB_STEP_SUMMARY: join(out, 'summary.md'), RUNNER_TEMP: out };
  const counter = join(out, 'runs');
  const wrapper = join(out, 'mlflint.mjs');
  writeFileSync(
    wrapper,
    `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(counter)}, 'run\\n');\nawait import(${JSON.stringify(pathToFileURL(BIN).href)});\n`,
  );
  const r = spawnSync('bash', [join(ROOT, 'action', 'run.sh')], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: dir,
      GITHUB_ACTION_PATH: ROOT,
      MLFLINT_BIN: wrapper,
      ...files,
      ...env,
    },
  });
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  return {
    ...r,
    output: read(files.GITHUB_OUTPUT),
    summary: read(files.GITHUB_STEP_SUMMARY),
    runs: read(counter).split('\n').filter(Boolean).length,
  };
}

/** A clone as actions/checkout makes it by default: one commit deep, with `origin` to fetch from. */
function shallowClone(dir: string): string {
  const clone = scratch('mlflint-action-shallow-');
  const r = spawnSync('git', ['clone', '-q', '--depth', '1', pathToFileURL(dir).href, clone], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(git(clone, 'rev-parse', '--is-shallow-repository'), 'true');
  return clone;
}

describe('GitHub Action', () => {
  it('declares a composite action: Node set up, mlflint installed from a packed build and cached, action/run.sh given every input', () => {
    const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    assert.equal(action.runs.using, 'composite');
    const steps = action.runs.steps as {
      uses?: string;
      run?: string;
      if?: string;
      with?: Record<string, string>;
      env?: Record<string, string>;
    }[];
    assert.equal(steps[0].uses, 'actions/setup-node@v4');
    assert.equal(String(steps[0].with?.['node-version']), '20');
    const cache = steps.find((st) => st.uses === 'actions/cache@v4');
    const install = steps.find((st) => /install\.sh" install/.test(st.run ?? ''));
    assert.ok(cache && install);
    assert.match(install.if ?? '', /cache-hit != 'true'/);
    assert.doesNotMatch(
      steps.map((st) => st.run ?? '').join('\n'),
      /npm ci|npm run build/,
      'no build in the workflow itself (install.sh builds once per cache key)',
    );
    const run = steps[steps.length - 1];
    assert.match(run.run ?? '', /action\/run\.sh/);
    assert.match(run.env?.MLFLINT_BIN ?? '', /mlflint-action\/node_modules\/mlflint\/dist\/bin\/mlflint\.js$/);
    for (const input of Object.keys(action.inputs)) {
      const name = `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;
      assert.equal(run.env?.[name], `\${{ inputs.${input} }}`, name);
    }
  });

  it('annotates only the files a pull request changes, writes SARIF, the output and a job summary', () => {
    const { dir, base, head } = repo();
    const event = join(dir, '..', `${head}-event.json`);
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base }, head: { sha: head } } }));
    const sarif = join(dir, 'mlflint.sarif');
    const r = runAction(dir, {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: head,
      INPUT_CHANGED_ONLY: 'true',
      INPUT_SARIF_FILE: sarif,
      INPUT_PATHS: '.',
      INPUT_ARGS: '',
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stdout,
      '::warning file=new.py,line=3,endLine=3,col=1,endColumn=23,title=mlflint (MLF203)::MLF203 2 back-to-back `mlflow.set_tag` calls (2 requests → 1 in all). Merge into one `set_tags` call\n',
    );
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(
      log.runs[0].results.map(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          x.locations[0].physicalLocation.artifactLocation.uri,
      ),
      ['new.py'],
    );
    assert.equal(r.output, 'findings=1\n');
    assert.equal(
      r.summary,
      [
        '### mlflint',
        '',
        '1 finding in 1 file.',
        '',
        '| Rule | Severity | Findings | Files | Fixes |',
        '|---|---|--:|--:|---|',
        '| [MLF203 unbatched-tags](https://github.com/mlflint/mlflint/blob/main/README.md#mlf203-unbatched-tags) | warning | 1 | 1 | 1 with `--fix` |',
        '',
      ].join('\n'),
    );
    assert.equal(r.runs, 1, 'annotations, SARIF, the count and the summary all come from one mlflint run');
  });

  it('fetches the base itself on a one-commit-deep checkout, and lints what the pull request changes', () => {
    const { dir, base, head } = repo();
    const clone = shallowClone(dir);
    const event = join(clone, '..', `${head}-shallow.json`);
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base }, head: { sha: head } } }));
    const r = runAction(clone, {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: head,
      INPUT_CHANGED_ONLY: 'true',
      INPUT_PATHS: '.',
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^::warning file=new\.py,line=3,/m);
    assert.doesNotMatch(r.stdout, /old\.py/);
    assert.equal(r.output, 'findings=1\n');
    assert.equal(r.runs, 1);
  });

  it('fails, naming fetch-depth, when the base cannot be had: it never passes without linting', () => {
    const { dir, head } = repo();
    const clone = shallowClone(dir);
    const event = join(clone, '..', `${head}-gone.json`);
    writeFileSync(
      event,
      JSON.stringify({ pull_request: { base: { sha: '1234567890abcdef1234567890abcdef12345678' } } }),
    );
    const r = runAction(clone, {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: head,
      INPUT_CHANGED_ONLY: 'true',
      INPUT_PATHS: '.',
    });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^::error title=mlflint::changed-only: commit 1234567890abcdef1234567890abcdef12345678 is not in the checkout and could not be fetched; check out with `fetch-depth: 0`/m,
    );
    assert.doesNotMatch(r.output, /findings=0/);
    assert.equal(r.runs, 0);
  });

  it('lints the given paths on a push without changed-only, passing extra arguments', () => {
    const { dir } = repo();
    const r = runAction(dir, {
      GITHUB_EVENT_NAME: 'push',
      INPUT_CHANGED_ONLY: 'false',
      INPUT_PATHS: '.',
      INPUT_ARGS: '--ignore MLF203',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    const all = runAction(dir, {
      GITHUB_EVENT_NAME: 'push',
      INPUT_CHANGED_ONLY: 'false',
      INPUT_PATHS: 'old.py new.py',
      INPUT_ARGS: '',
    });
    assert.equal(all.status, 1);
    assert.equal(all.stdout.trim().split('\n').length, 2);
  });

  it('exits 0 when a push changes no lintable file', () => {
    const { dir, head } = repo();
    writeFileSync(join(dir, 'README.md'), 'docs\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'docs only');
    const event = join(dir, '..', `${head}-push.json`);
    writeFileSync(event, JSON.stringify({ before: head }));
    const r = runAction(dir, {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: git(dir, 'rev-parse', 'HEAD'),
      INPUT_CHANGED_ONLY: 'true',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /the changes touch no file mlflint lints/);
    assert.equal(r.output, 'findings=0\n');
  });
});
