// Installing mlflint as users do, into an empty project with no TypeScript of its own: from the
// packed tarball (what the GitHub Action installs, through action/install.sh) and from a git URL
// (what pre-commit and `npm install git+...` do). Both then run the CLI (with its worker threads),
// its language server, and ESLint with the plugin.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT, scratch } from './helpers.js';

const BAD = 'import mlflow\n\nmlflow.set_tag("team", "vision")\nmlflow.set_tag("stage", "dev")\n';

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });
  if (r.error) throw r.error;
  return r;
}

const frame = (m: object): string => {
  const s = JSON.stringify({ jsonrpc: '2.0', ...m });
  return `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
};

/** `mlflint server --stdio` as installed: answers `initialize`, and exits 0 after `shutdown` and `exit`. */
async function serverAnswers(bin: string, dir: string): Promise<void> {
  const p = spawn(bin, ['server', '--stdio'], { cwd: dir });
  let out = '';
  p.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    if (out.includes('"id":2')) p.stdin.end(frame({ method: 'exit' }));
  });
  let err = '';
  p.stderr.on('data', (b: Buffer) => (err += b.toString()));
  p.stdin.write(
    frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }) +
      frame({ method: 'initialized', params: {} }) +
      frame({ id: 2, method: 'shutdown' }),
  );
  const code = await new Promise((resolve) => p.on('exit', resolve));
  assert.equal(code, 0, err);
  assert.match(out, /"codeActionProvider"/);
}

/** The CLI, its worker threads, its server and the ESLint plugin, as installed in `dir`, on a file with one finding. */
async function usable(dir: string): Promise<void> {
  writeFileSync(join(dir, 'train.py'), BAD);
  writeFileSync(
    join(dir, 'eslint.config.mjs'),
    "import mlflint from 'mlflint/eslint-plugin';\nexport default [...mlflint.configs.recommended];\n",
  );
  const cli = run(
    join(dir, 'node_modules', '.bin', 'mlflint'),
    ['check', '--no-cache', '--output-format', 'concise', 'train.py'],
    dir,
  );
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stdout, /^train\.py:3:1: MLF203 /m);
  // A worker that cannot start leaves its job to the main thread without a word: it must be there.
  assert.ok(existsSync(join(dir, 'node_modules', 'mlflint', 'dist', 'bin', 'worker.mjs')), 'the worker is installed');
  await serverAnswers(join(dir, 'node_modules', '.bin', 'mlflint'), dir);
  const eslint = run(
    process.execPath,
    [join(dir, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', 'train.py'],
    dir,
  );
  assert.equal(eslint.status, 1, eslint.stdout + eslint.stderr);
  const messages = JSON.parse(eslint.stdout)[0].messages as { ruleId: string; line: number }[];
  assert.deepEqual(
    messages.map((m) => `${m.line}:${m.ruleId}`),
    ['3:mlflint/unbatched-tags'],
  );
}

function emptyProject(): string {
  const dir = scratch('mlflint-install-');
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  return dir;
}

describe('installing mlflint into an empty project', { concurrency: true, timeout: 600_000 }, () => {
  it('from the packed tarball, as the GitHub Action does (production dependencies only)', async () => {
    const dir = emptyProject();
    const r = run('bash', [join(ROOT, 'action', 'install.sh'), 'install', dir], ROOT);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!existsSync(join(dir, 'node_modules', 'mlflint', 'src')), 'the tarball holds the build, not the sources');
    assert.ok(
      !existsSync(join(dir, 'node_modules', 'tsx')) && !existsSync(join(dir, 'node_modules', 'esbuild')),
      'no dev dependency is installed',
    );
    assert.equal(run('npm', ['install', 'eslint@10.15.0'], dir).status, 0);
    await usable(dir);
  });

  it('from a git URL, building itself on install', async () => {
    const head = run('git', ['rev-parse', 'HEAD'], ROOT).stdout.trim();
    const dir = emptyProject();
    const r = run('npm', ['install', `git+${pathToFileURL(ROOT).href}#${head}`, 'eslint@10.15.0'], dir);
    assert.equal(r.status, 0, r.stderr);
    await usable(dir);
  });
});
