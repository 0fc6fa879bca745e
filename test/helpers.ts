import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { check, type CheckFlags } from '../src/cli/check.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = join(ROOT, 'fixtures');
export const BIN = join(ROOT, 'dist', 'bin', 'mlflint.js');
export const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
/** The built ESLint plugin, as an eslint.config.mjs imports it. */
export const PLUGIN_URL = pathToFileURL(join(ROOT, 'dist', 'src', 'eslint-plugin', 'index.js')).href;

/** An author and committer for the commits tests make in scratch repositories. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

export const EXT_BY_LANGUAGE: Record<string, string[]> = { python: ['.py'], typescript: ['.ts'] };

export interface FixtureFile {
  rule: string;
  kind: 'valid' | 'invalid';
  /** Absolute path. */
  file: string;
  /** The file name: `invalid_run.py`. */
  name: string;
  /** The path from the repository root, with forward slashes: `fixtures/<rule>/<name>`. */
  shown: string;
}

/** Every fixture file: fixtures/<rule>/<valid|invalid>.<ext>. */
export function fixtureFiles(): FixtureFile[] {
  const out: FixtureFile[] = [];
  for (const rule of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, rule);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const m = /^(valid|invalid)(_[a-z]+)*\.[a-z]+$/.exec(name);
      const file = join(dir, name);
      if (m)
        out.push({
          rule,
          kind: m[1] as 'valid' | 'invalid',
          file,
          name,
          shown: relative(ROOT, file).split('\\').join('/'),
        });
    }
  }
  return out;
}

/** Every file in examples/, as absolute paths. */
export function exampleFiles(): string[] {
  return readdirSync(join(ROOT, 'examples')).map((n) => join(ROOT, 'examples', n));
}

/**
 * `# expect: <rule>` / `// expect: <rule>` annotations: "line:rule" for each, sorted by line. A
 * list, not a set: two annotations of one rule on one line (`# expect: a, expect: a`) expect two
 * findings there.
 */
export function expectations(text: string): string[] {
  const out: { line: number; rule: string }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/expect:\s*([a-z-]+)/g)) out.push({ line: i + 1, rule: m[1] });
  });
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule)).map((e) => `${e.line}:${e.rule}`);
}

/** A finding as the fixture checks compare it: "line:rule", and its message to show when it is Noisy. */
export interface Reported {
  key: string;
  message: string;
}

/** Findings as the fixture checks compare them. */
export function reportedOf(
  diagnostics: { rule: string; message: string; range: { start: { line: number } } }[],
): Reported[] {
  return diagnostics.map((d) => ({ key: `${d.range.start.line}:${d.rule}`, message: d.message }));
}

/**
 * What differs between the annotated findings and the reported ones, compared as lists: each
 * annotation takes one finding, so a rule that reports one line twice leaves a Noisy one over,
 * and two annotations of one line need two findings (else Missing).
 */
export function findingDifferences(expected: string[], reported: Reported[]): { rule: string; text: string }[] {
  const left = [...expected];
  const noisy: { rule: string; text: string }[] = [];
  for (const r of reported) {
    const i = left.indexOf(r.key);
    if (i >= 0) left.splice(i, 1);
    else noisy.push({ rule: r.key.split(':')[1], text: `Noisy: line ${r.key.replace(':', ' ')}: ${r.message}` });
  }
  return [...left.map((k) => ({ rule: k.split(':')[1], text: `Missing: line ${k.replace(':', ' ')}` })), ...noisy];
}

/** Fails, listing each Missing and Noisy finding, unless the reported findings are exactly the expected ones. */
export function assertFindings(shown: string, expected: string[], reported: Reported[]): void {
  const problems = findingDifferences(expected, reported).map((p) => p.text);
  assert.deepEqual(problems, [], `${shown}\n${problems.join('\n')}`);
}

const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

/** The text snapshot of an invalid fixture: fixtures/<rule>/__snapshots__/<name>.snap. */
export function snapshotFile(fx: FixtureFile): string {
  return join(dirname(fx.file), '__snapshots__', `${fx.name}.snap`);
}

/** `actual` must equal the snapshot file; with UPDATE_SNAPSHOTS=1 the snapshot is written instead, and nothing is compared. */
export function matchSnapshot(snapFile: string, actual: string): void {
  const shown = relative(ROOT, snapFile);
  if (UPDATE) {
    mkdirSync(dirname(snapFile), { recursive: true });
    writeFileSync(snapFile, actual);
    return;
  }
  assert.ok(existsSync(snapFile), `missing snapshot ${shown} (run UPDATE_SNAPSHOTS=1 npm test)`);
  assert.equal(
    actual,
    readFileSync(snapFile, 'utf8'),
    `snapshot ${shown} differs (run UPDATE_SNAPSHOTS=1 npm test to accept)`,
  );
}

/** One change of a fix's diff: at old line `at`, the `removed` lines become the `added` ones (none removed: inserted before `at`). */
export interface DiffChange {
  at: number;
  removed: string[];
  added: string[];
}

/** A finding as its fixture snapshot records it (written by snapshotOf in rules.test.ts). */
export interface SnapshotFinding {
  line: number;
  column: number;
  code: string;
  /** The problem as the text report prints it (with its request figures), and the `= help:` line. */
  message: string;
  help: string | null;
  /** The fix alone, as the snapshot's diff shows it, with the context lines around each change. */
  fix: { safety: 'safe' | 'unsafe'; changes: DiffChange[]; context: { at: number; text: string }[] } | null;
}

/** The findings an invalid fixture's snapshot lists, in its order. */
export function readSnapshot(snapFile: string): SnapshotFinding[] {
  const lines = readFileSync(snapFile, 'utf8').split('\n');
  const path = /^# mlflint snapshot of (.+)$/.exec(lines[0])?.[1];
  assert.ok(path, `${snapFile} is not a snapshot`);
  const out: SnapshotFinding[] = [];
  for (let i = 1; i < lines.length; i++) {
    const head = lines[i].startsWith(`${path}:`)
      ? /^:(\d+):(\d+): (MLF\d{3})(?: \[\*\])? (.*)$/.exec(lines[i].slice(path.length))
      : null;
    const last = out.at(-1);
    const help = /^ {2}= help: (.*)$/.exec(lines[i]);
    if (head)
      out.push({
        line: Number(head[1]),
        column: Number(head[2]),
        code: head[3],
        message: head[4],
        help: null,
        fix: null,
      });
    else if (last && help) last.help = help[1];
    else if (last && (lines[i] === 'Safe fix' || lines[i] === 'Unsafe fix')) {
      const start = lines.indexOf('```diff', i) + 1;
      const end = lines.indexOf('```', start);
      last.fix = { safety: lines[i] === 'Safe fix' ? 'safe' : 'unsafe', ...parseDiff(lines.slice(start, end)) };
      i = end;
    }
  }
  return out;
}

function parseDiff(diff: string[]): { changes: DiffChange[]; context: { at: number; text: string }[] } {
  const changes: DiffChange[] = [];
  const context: { at: number; text: string }[] = [];
  let old = 0;
  let open: DiffChange | null = null;
  for (const l of diff) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@$/.exec(l);
    if (hunk) {
      old = Number(hunk[1]);
      open = null;
    } else if (l.startsWith(' ')) {
      context.push({ at: old++, text: l.slice(1) });
      open = null;
    } else if (l.startsWith('-') || l.startsWith('+')) {
      if (!open) changes.push((open = { at: old, removed: [], added: [] }));
      if (l.startsWith('-')) {
        open.removed.push(l.slice(1));
        old++;
      } else open.added.push(l.slice(1));
    } else assert.fail(`not a line of a unified diff: ${JSON.stringify(l)}`);
  }
  return { changes, context };
}

/** `source` with the given snapshot fixes applied, their context and removed lines checked against it. */
export function applySnapshotFixes(source: string, fixes: NonNullable<SnapshotFinding['fix']>[]): string {
  const lines = source.split('\n');
  for (const f of fixes) {
    for (const c of f.context) assert.equal(lines[c.at - 1], c.text, `context line ${c.at} of the snapshot's diff`);
    for (const c of f.changes)
      assert.deepEqual(
        lines.slice(c.at - 1, c.at - 1 + c.removed.length),
        c.removed,
        `removed lines at ${c.at} of the snapshot's diff`,
      );
  }
  // From the end, so that the line numbers of the changes still to make hold; at one line, the
  // replacement before the insertion in front of it.
  const changes = fixes.flatMap((f) => f.changes).sort((a, b) => b.at - a.at || b.removed.length - a.removed.length);
  for (const c of changes) lines.splice(c.at - 1, c.removed.length, ...c.added);
  return lines.join('\n');
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the built binary as a subprocess (colours off unless the env says otherwise), in `opts.cwd`
 * or, given a string, in that directory.
 */
export function mlflint(
  args: string[],
  opts: string | { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {},
): Run {
  const o = typeof opts === 'string' ? { cwd: opts } : opts;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: o.cwd ?? ROOT,
    input: o.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...o.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `mlflint check <paths>` in this process, from `dir` (so that a test can pass flags the CLI does not have). */
export async function checkIn(
  dir: string,
  flags: CheckFlags,
  paths: string[] = ['.'],
): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await check(paths, flags, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      readStdin: async () => Buffer.alloc(0),
      isTTY: false,
    });
  } finally {
    process.chdir(cwd);
  }
  return { stdout, stderr };
}

/** The `eslint` CLI of this repository's node_modules, run in `dir`. */
export function eslint(dir: string, args: string[]): Run {
  const r = spawnSync(process.execPath, [ESLINT, '--no-warn-ignored', ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An eslint.config.mjs in `dir` with the built plugin's recommended config and nothing else. */
export function writeEslintConfig(dir: string): void {
  writeFileSync(
    join(dir, 'eslint.config.mjs'),
    `import mlflint from ${JSON.stringify(PLUGIN_URL)};\nexport default [...mlflint.configs.recommended];\n`,
  );
}

const scratchDirs: string[] = [];
// Set MLFLINT_KEEP_SCRATCH=1 to look at a failed test's files afterwards.
process.on('exit', () => {
  if (process.env.MLFLINT_KEEP_SCRATCH) return;
  for (const d of scratchDirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // A directory a test made unreadable stays: cleaning up must not fail the run.
    }
  }
});

/** An empty directory under the system's temporary one, removed when the test file's process exits. */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/** A scratch directory holding the given files. */
export function project(files: Record<string, string | Buffer>, prefix = 'mlflint-test-'): string {
  const dir = scratch(prefix);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** A notebook as Jupyter writes it: a cell's source given as one string is written as its list of lines. */
export function notebook(
  cells: { cell_type?: string; source: string | string[]; metadata?: object; execution_count?: number | null }[],
  metadata: object = { language_info: { name: 'python' } },
): string {
  const lines = (s: string | string[]): string[] => (typeof s === 'string' ? s.split(/(?<=\n)/) : s);
  return `${JSON.stringify({ cells: cells.map((c) => ({ cell_type: 'code', metadata: {}, outputs: [], ...c, source: lines(c.source) })), metadata, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
}

/** `path:line:col: CODE` of each finding line in a text or concise report. */
export function findingPlaces(r: { stdout: string }): string[] {
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => / MLF\d+ /.test(l))
    .map((l) => l.split(' ').slice(0, 2).join(' '));
}

/**
 * `skip` for a test that needs an external tool: false when `cmd` runs; outside CI, why it is
 * skipped; in CI (where .ci/run installs the tool) a missing tool is an error, never a skip.
 */
export function needs(cmd: string, why: string): false | string {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  if (!r.error && r.status === 0) return false;
  const reason = `${cmd} is not installed: ${why}`;
  if (process.env.CI) throw new Error(reason);
  return reason;
}
