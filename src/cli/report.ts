// The end of a run: what was fixed, the report in the chosen format, and the exit code.
import { writeFileSync } from 'node:fs';
import { findRule, registry } from '../index.js';
import { HOMEPAGE, ruleUrl } from '../docs/urls.js';
import { ALL_FILES, FORMATS, reporters, statistics, type Format, type ReportOptions } from '../reporters/index.js';
import type { CheckFlags, Io } from './flags.js';
import type { CheckRun } from './run.js';

export function report(run: CheckRun): number {
  const { flags, io, failed } = run;
  if (flags.verbose) io.stderr(verboseLine(run));
  if (flags.addNoqa) {
    if (!flags.silent) io.stdout(`Added ${run.noqaAdded} noqa directive${run.noqaAdded === 1 ? '' : 's'}.\n`);
    return failed ? 2 : 0;
  }
  const fixedTotal = [...run.fixedCounts.values()].reduce((a, b) => a + b, 0);
  if (flags.diff) {
    // In the order files were found, whichever finished first.
    io.stdout(
      [...run.files.keys()]
        .filter((f) => run.diffs.has(f))
        .map((f) => run.diffs.get(f))
        .join(''),
    );
    if (fixedTotal) io.stderr(`Would fix ${fixedTotal} finding${fixedTotal === 1 ? '' : 's'}.\n`);
    return failed ? 2 : run.diffs.size ? 1 : 0;
  }
  const fixedExit = flags.exitNonZeroOnFix && fixedTotal > 0 ? 1 : 0;
  if (flags.showFixes && flags.fix && run.fixesByFile.size && !flags.silent) io.stderr(fixesLines(run, fixedTotal));
  if (flags.fixOnly) {
    // Like Ruff: what was fixed, and nothing about what remains.
    if (!flags.silent && !flags.quiet && fixedTotal)
      io.stdout(`Fixed ${fixedTotal} finding${fixedTotal === 1 ? '' : 's'}.\n`);
    return failed ? 2 : fixedExit;
  }
  if (!writeReports(run, fixedTotal)) return 2;
  const findings = [...run.files.values()].reduce((n, f) => n + f.diagnostics.length, 0);
  if (failed) return 2;
  return findings > 0 && !flags.exitZero ? 1 : fixedExit;
}

/** `-v`: how many files, how fast, and how each was had. */
function verboseLine(run: CheckRun): string {
  const c = { linted: 0, skipped: 0, deferred: 0, cached: 0 };
  for (const state of run.ctx.states.values()) c[state]++;
  const n = run.files.size;
  const seconds = ((performance.now() - run.started) / 1000).toFixed(2);
  return `mlflint: ${n} file${n === 1 ? '' : 's'} in ${seconds} s: ${c.linted} linted, ${c.skipped} skipped (nothing a rule looks for), ${c.deferred} not lowered (no tracking call), ${c.cached} from the cache${run.pool ? `, on ${run.pool.size} threads` : ''}\n`;
}

/** `--show-fixes`, in Ruff's layout: per file, per rule, how many were fixed. */
function fixesLines(run: CheckRun, total: number): string {
  const lines = [`Fixed ${total} finding${total === 1 ? '' : 's'}:`];
  const order = new Map([...run.files.values()].map((f, i) => [f.path, i]));
  for (const [file, counts] of [...run.fixesByFile].sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))) {
    lines.push(`- ${file}:`);
    for (const [code, n] of Object.entries(counts).sort())
      lines.push(`    ${n} × ${code} (${findRule(code)?.name ?? code})`);
  }
  // A blank line before the report's summary, as Ruff leaves one.
  return `${lines.join('\n')}\n\n`;
}

/** The report (stdout or `--output-file`) and each `--also-write`; false when one cannot be written. */
function writeReports(run: CheckRun, fixedTotal: number): boolean {
  const { flags, io } = run;
  const reports = [...run.files.values()];
  const shown = reports.filter((f) => f.diagnostics.length > 0);
  const opts: ReportOptions = {
    color: useColor(flags, io),
    frames: flags.format === 'text' && io.isTTY && !flags.outputFile,
    unsafeFixes: !!flags.unsafeFixes,
    fixed: flags.fix ? fixedTotal : undefined,
    failed: run.failed,
    quiet: flags.quiet,
    tool: {
      version: flags.version ?? '0.0.0',
      homepage: HOMEPAGE,
      rules: registry.rules,
      ruleUrl: urlOf,
      root: run.root,
    },
  };
  const render = (format: Format, o: ReportOptions): string =>
    reporters[format](ALL_FILES.includes(format) ? reports : shown, o);
  const written = (file: string, text: () => string): boolean => {
    try {
      writeFileSync(file, text());
      return true;
    } catch (e) {
      io.stderr(`mlflint: error: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return false;
    }
  };
  const main = flags.silent ? '' : flags.statistics ? statistics(reports, flags.format) : render(flags.format, opts);
  for (const { format, file } of extraReports(flags.alsoWrite)) {
    if (!written(file, () => render(format, { ...opts, color: false, frames: false, quiet: false }))) return false;
  }
  if (flags.outputFile) return written(flags.outputFile, () => main);
  if (main) io.stdout(main);
  return true;
}

function urlOf(code: string): string | undefined {
  const rule = findRule(code);
  return rule && ruleUrl(rule);
}

/** Colour: `--color`, then NO_COLOR (https://no-color.org) and FORCE_COLOR, then whether stdout is a terminal. */
function useColor(flags: CheckFlags, io: Io): boolean {
  if (flags.color === 'always') return true;
  if (flags.color === 'never' || flags.outputFile || process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY;
}

/** `--also-write json=out.json`: the format and the file (checked before the run, see checkAlsoWrite). */
function extraReports(values: string[] = []): { format: Format; file: string }[] {
  return values.map((v) => {
    const at = v.indexOf('=');
    return { format: v.slice(0, at) as Format, file: v.slice(at + 1) };
  });
}

/** Why an `--also-write` value is wrong, or null. */
export function checkAlsoWrite(values: string[] = []): string | null {
  for (const v of values) {
    const at = v.indexOf('=');
    const format = at > 0 ? v.slice(0, at) : '';
    if (at < 0 || !v.slice(at + 1))
      return `invalid value '${v}' for --also-write: expected FORMAT=FILE (for example json=mlflint.json)`;
    if (!(FORMATS as string[]).includes(format))
      return `invalid format '${format}' for --also-write (allowed: ${FORMATS.join(', ')})`;
  }
  return null;
}
