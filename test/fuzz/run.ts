// The fuzz run: mutated fixtures and examples through the built `mlflint check --fix
// --unsafe-fixes` and through `eslint --fix` with the plugin, judged by CPython and pyflakes.
// `npx tsx test/fuzz/run.ts [count] [seed]` prints the report and the first failures.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { BIN, ESLINT, exampleFiles, fixtureFiles, ROOT, writeEslintConfig } from '../helpers.js';
import { lintText } from '../../src/index.js';
import { variants, type Variant } from './mutate.js';

export interface FuzzReport {
  files: number;
  /** Variants that compiled before any fix. */
  compiled: number;
  /** Per pipeline (`check`, `eslint`): files it changed, broke, gave new undefined names, or mixed line endings. */
  changed: Record<string, number>;
  broken: Record<string, [string, string][]>;
  undefined: Record<string, [string, string[]][]>;
  mixed: Record<string, string[]>;
  /** Files a second `check --fix` run still changed. */
  notIdempotent: string[];
  /** Runs that crashed or printed an internal error. */
  crashes: string[];
  /** MLF000 against CPython on the original variants: reported on a file that compiles, or missing on one that does not. */
  syntaxFalseAlarms: string[];
  syntaxMissed: string[];
  /** Fixes rendered, and the ones withheld because the fixed file would parse worse (each a renderer bug). */
  fixes: number;
  withheld: string[];
  variants: Map<string, Variant>;
  /** Seconds per phase. */
  seconds: Record<string, number>;
}

/** The Python interpreter that has pyflakes (Debian's, when the default one lacks it). */
export function oraclePython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import pyflakes'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

function sources(): { name: string; text: string }[] {
  const fromFixtures = fixtureFiles()
    .filter((f) => f.name.endsWith('.py'))
    .map((f) => ({ name: `${f.rule}_${f.name}`, text: readFileSync(f.file, 'utf8') }));
  const examples = exampleFiles()
    .filter((f) => f.endsWith('.py'))
    .map((f) => ({ name: `example_${basename(f)}`, text: readFileSync(f, 'utf8') }));
  return [...fromFixtures, ...examples];
}

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Output goes to files, not pipes: this process may be busy while the child runs. */
function spawnAsync(cmd: string, args: string[], cwd: string): Promise<Ran> {
  const [out, err] = ['out', 'err'].map((k) => join(cwd, `..`, `.${basename(cwd)}.${k}`));
  const fds = [openSync(out, 'w'), openSync(err, 'w')];
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', fds[0], fds[1]] });
    child.on('close', (status, signal) => {
      for (const fd of fds) closeSync(fd);
      done({ status, signal, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') });
    });
  });
}

function crashed(label: string, r: Ran, out: string[]): void {
  const stderr = String(r.stderr ?? '');
  if (r.signal || r.status === null || /internal error|RangeError|TypeError|at .*\.js:\d+/.test(stderr))
    out.push(`${label}: status ${r.status} ${r.signal ?? ''} ${stderr.slice(0, 400)}`);
}

export async function runFuzz(count: number, seed: number, python: string): Promise<FuzzReport> {
  const seconds: Record<string, number> = {};
  let clock = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    seconds[phase] = Math.round(now - clock) / 1000;
    clock = now;
  };
  const all = variants(sources(), count, seed);
  const root = mkdtempSync(join(tmpdir(), 'mlflint-fuzz-'));
  try {
    const original = join(root, 'original');
    const dirs = { check: join(root, 'check'), eslint: join(root, 'eslint') };
    mkdirSync(original);
    for (const v of all) writeFileSync(join(original, v.name), v.text);
    cpSync(original, dirs.check, { recursive: true });
    cpSync(original, dirs.eslint, { recursive: true });
    const crashes: string[] = [];
    lap('write');
    // The two pipelines at once: they touch separate copies.
    writeEslintConfig(dirs.eslint);
    const pipelines = Promise.all([
      spawnAsync(
        process.execPath,
        [BIN, 'check', '--fix', '--unsafe-fixes', '--exit-zero', '--format', 'json', '.'],
        dirs.check,
      ),
      spawnAsync(process.execPath, [ESLINT, '--no-warn-ignored', '--fix', '--format', 'json', '.'], dirs.eslint),
    ]);
    // Meanwhile, in this process: MLF000 on the originals, and the fixes the check withholds.
    let fixes = 0;
    const withheld: string[] = [];
    const reportsSyntax = new Set<string>();
    for (const v of all) {
      const r = lintText(v.name, v.text);
      if (r.syntaxErrors) reportsSyntax.add(v.name);
      fixes += r.diagnostics.filter((d) => d.fix).length + r.withheld;
      if (r.withheld) withheld.push(v.name);
    }
    const [check, e] = await pipelines;
    crashed('check --fix', check, crashes);
    if (e.status !== 0 && e.status !== 1)
      crashes.push(`eslint --fix: status ${e.status} ${e.signal ?? ''} ${e.stderr.slice(0, 400)}`);
    const messages =
      e.status === 0 || e.status === 1
        ? (JSON.parse(e.stdout) as { filePath: string; messages: { fatal?: boolean; message: string }[] }[])
        : [];
    for (const f of messages)
      for (const m of f.messages) if (m.fatal) crashes.push(`eslint: ${basename(f.filePath)}: ${m.message}`);
    lap('check --fix and eslint --fix');
    // Idempotent: fixing the fixed files again changes nothing.
    writeFileSync(join(root, 'names.txt'), all.map((v) => v.name).join('\n'));
    const [again, oracle] = await Promise.all([
      spawnAsync(process.execPath, [BIN, 'check', '--diff', '--unsafe-fixes', '--exit-zero', '.'], dirs.check),
      spawnAsync(
        'sh',
        [
          '-c',
          `"$0" "$1" "$2" "$3" "$4" < "$5"`,
          python,
          join(ROOT, 'test', 'fuzz', 'oracle.py'),
          original,
          dirs.check,
          dirs.eslint,
          join(root, 'names.txt'),
        ],
        root,
      ),
    ]);
    crashed('check --diff', again, crashes);
    const notIdempotent = [...again.stdout.matchAll(/^\+\+\+ (?:b\/)?(\S+)/gm)].map((m) => m[1]);
    if (oracle.status !== 0) throw new Error(`the oracle failed: ${oracle.stderr}`);
    lap('check --diff and the oracle');
    const raw = JSON.parse(oracle.stdout) as {
      files: number;
      compiled: number;
      failing: string[];
      changed: Record<string, string[]>;
      broken: Record<string, [string, string][]>;
      undefined: Record<string, [string, string[]][]>;
      mixed: Record<string, string[]>;
    };
    const byLabel = <T>(m: Record<string, T>): Record<string, T> => ({ check: m[dirs.check], eslint: m[dirs.eslint] });
    return {
      files: raw.files,
      compiled: raw.compiled,
      changed: Object.fromEntries(Object.entries(byLabel(raw.changed)).map(([k, v]) => [k, v.length])),
      broken: byLabel(raw.broken),
      undefined: byLabel(raw.undefined),
      mixed: byLabel(raw.mixed),
      notIdempotent,
      crashes,
      fixes,
      withheld,
      seconds,
      syntaxFalseAlarms: all.map((v) => v.name).filter((n) => reportsSyntax.has(n) && !raw.failing.includes(n)),
      syntaxMissed: raw.failing.filter((n) => !reportsSyntax.has(n)),
      variants: new Map(all.map((v) => [v.name, v])),
    };
  } finally {
    if (!process.env.MLFLINT_KEEP_FUZZ) rmSync(root, { recursive: true, force: true });
    else console.error(`kept ${root}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const python = oraclePython();
  if (!python) throw new Error('the fuzz oracle needs python3 with pyflakes (Debian: pyflakes3)');
  const report = await runFuzz(Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 1), python);
  const { variants: vs, ...figures } = report;
  const summary = {
    ...figures,
    broken: { check: report.broken.check.length, eslint: report.broken.eslint.length },
    undefined: { check: report.undefined.check.length, eslint: report.undefined.eslint.length },
    mixed: { check: report.mixed.check.length, eslint: report.mixed.eslint.length },
    notIdempotent: report.notIdempotent.length,
    crashes: report.crashes.length,
    withheld: report.withheld.length,
    syntaxFalseAlarms: report.syntaxFalseAlarms.length,
    syntaxMissed: report.syntaxMissed.length,
    syntaxMissedOutsidePython312Fixture: report.syntaxMissed.filter((n) => !n.includes('syntax-error_valid')).length,
  };
  console.log(JSON.stringify(summary, null, 1));
  for (const [label, list] of Object.entries(report.broken))
    for (const [name, err] of list.slice(0, 8))
      console.log(`broken by ${label}: ${name} [${vs.get(name)?.applied.join(',')}] ${err}`);
  for (const [label, list] of Object.entries(report.undefined))
    for (const [name, names] of list.slice(0, 8))
      console.log(`undefined by ${label}: ${name} [${vs.get(name)?.applied.join(',')}] ${names.join(',')}`);
  for (const [label, list] of Object.entries(report.mixed))
    for (const name of list.slice(0, 5)) console.log(`mixed by ${label}: ${name} [${vs.get(name)?.applied.join(',')}]`);
  for (const name of report.notIdempotent.slice(0, 5))
    console.log(`not idempotent: ${name} [${vs.get(name)?.applied.join(',')}]`);
  for (const c of report.crashes.slice(0, 5)) console.log(`crash: ${c}`);
  for (const name of report.syntaxFalseAlarms.slice(0, 8))
    console.log(`MLF000 on a file that compiles: ${name} [${vs.get(name)?.applied.join(',')}]`);
  for (const name of report.syntaxMissed.slice(0, 8))
    console.log(`no MLF000 on a file that does not compile: ${name} [${vs.get(name)?.applied.join(',')}]`);
  for (const name of report.withheld.slice(0, 12))
    console.log(`withheld: ${name} [${vs.get(name)?.applied.join(',')}]`);
}
