import { existsSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { layeredSelection, selectRules } from '../engine/registry.js';
import { addReceivers, adapterFor, lintText, supportedExtensions, UsageError, type LintOptions } from '../index.js';
import type { ProjectReceivers, ReceiverExports } from '../model/types.js';
import { formatterLineLength } from './line-length.js';
import { ALL_FILES, FORMATS, reporters, type FileReport, type Format } from '../reporters/index.js';
import ignore, { type Ignore } from 'ignore';
import { findRule } from '../engine/registry.js';
import { settingOptions } from '../engine/settings.js';
import { availableParallelism } from 'node:os';
import { mayHaveFindings, reachable } from '../engine/precheck.js';
import { addNoqa } from './add-noqa.js';
import { runJob, skippedResult, type Job, type JobResult } from './job.js';
import { Pool, UNDER_TSX } from './pool.js';
import { CACHE_DIR, fileStat, projectKey, ResultCache, type FileStat } from './cache.js';
import { ConfigError, ConfigFinder, loadConfig, severities, type Config } from './config.js';
import { discover, PathError, type ConfigExcludes } from './files.js';
import { decodeSource, readSource, unwritable, writeSourceAtomically, type SourceRead } from './read-source.js';
import { readNotebook, type NotebookIndex } from '../languages/notebook.js';
import { statistics } from './statistics.js';

export interface CheckFlags {
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  format: Format;
  outputFile?: string;
  /** `--also-write format=file`: more reports of the same run. */
  alsoWrite?: string[];
  exitZero?: boolean;
  statistics?: boolean;
  stdinFilename?: string;
  ignoreNoqa?: boolean;
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  fixOnly?: boolean;
  exitNonZeroOnFix?: boolean;
  quiet?: boolean;
  silent?: boolean;
  showFiles?: boolean;
  color?: 'auto' | 'always' | 'never';
  exclude?: string[];
  extendExclude?: string[];
  forceExclude?: boolean;
  respectGitignore?: boolean;
  /** `--config FILE` replaces discovery; `--isolated` ignores every config file. */
  config?: string;
  isolated?: boolean;
  /** `--show-settings FILE`: print the settings that apply to FILE, and where each came from. */
  showSettings?: string;
  /** `--add-noqa`: suppress every finding in place instead of reporting it. */
  addNoqa?: boolean;
  /** `--show-fixes`: after fixing, list what was fixed per file and rule. */
  showFixes?: boolean;
  /** mlflint's version, for SARIF. */
  version?: string;
  /** `--threads N|auto`: worker threads for long runs. */
  threads?: string;
  /** `-v`: each file linted, skipped or cached, and the time taken. */
  verbose?: boolean;
  /** `--no-cache`, `--cache-dir DIR`. */
  noCache?: boolean;
  cacheDir?: string;
  /**
   * Take no shortcut: parse every file, even one that names nothing a rule looks for, walk every
   * expression, lint every importer again (not a flag: the soundness tests' reference run).
   */
  parseEverything?: boolean;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<Buffer>;
  isTTY: boolean;
  /** stderr is a terminal outside CI: a progress line may be shown there. */
  stderrIsTTY?: boolean;
}

/** `abs` relative to `base` with forward slashes, or `abs` itself when it lies outside `base`. */
function relativeTo(base: string, abs: string): string {
  // Most paths of a run are under the base: no need for path.relative's normalising.
  if (abs.length > base.length + 1 && abs.startsWith(base) && abs[base.length] === sep && !abs.includes(`${sep}.`)) {
    return sep === '/' ? abs.slice(base.length + 1) : abs.slice(base.length + 1).split(sep).join('/');
  }
  const rel = relative(base, abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(sep).join('/');
}

const display = (abs: string): string => relativeTo(process.cwd(), abs);

/** The repository root: the nearest directory above the working directory with a `.git`. */
export function repoRoot(from = process.cwd()): string {
  for (let d = resolve(from); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return resolve(from);
  }
}

interface Outcome {
  report: FileReport;
  /** The fixed text, when fixing changed it (for a notebook, the notebook's file). */
  fixed?: string;
  /** `--diff` of a notebook: one patch per changed cell. */
  diff?: string;
  fixedCount: number;
  byRule?: Record<string, number>;
  exports?: ReceiverExports;
  /** Not parsed: the text names nothing a rule looks for (yet: another file may give it a receiver). */
  skipped?: boolean;
}

/**
 * A file to lint: read, or (`cached`) answered by the cache from its metadata alone, its text
 * read only if something asks for it (a finding to show).
 */
type Source = Extract<SourceRead, { ok: true }> & { stat?: FileStat | null; cached?: JobResult };

/** The file's source for this pass: from the cache when its metadata proves it unchanged, else read. */
function sourceFor(abs: string, pass: 1 | 2, options: LintOptions, flags: CheckFlags, run: RunContext): SourceRead & { stat?: FileStat | null; cached?: JobResult } {
  if (!run.cache || flags.fix || flags.diff) return readSource(abs);
  const stat = fileStat(abs);
  const cached = stat && run.cache.byStat(abs, pass, stat.key, optionsKey(options), pass === 2 ? run.projectKey() : '');
  if (!cached) return { ...readSource(abs), stat };
  let read: SourceRead | undefined;
  const once = (): SourceRead => (read ??= readSource(abs));
  return {
    ok: true,
    bom: false,
    stat,
    cached,
    get text() {
      const r = once();
      return r.ok ? r.text : '';
    },
    get notebook() {
      const r = once();
      return r.ok ? r.notebook : undefined;
    },
  };
}

const optionKeys = new WeakMap<LintOptions, string>();
const optionsKey = (options: LintOptions): string => {
  let key = optionKeys.get(options);
  if (key === undefined) {
    const { project: _project, ...keyed } = options;
    optionKeys.set(options, (key = JSON.stringify(keyed)));
  }
  return key;
};

/** What is reported of a file: a file the cache answered is read only when there is a finding to show. */
function reportOf(where: { path: string; repoPath: string }, r: JobResult, src: Source): FileReport {
  if (!r.diagnostics.length) return { ...where, text: r.fixed ?? (src.cached ? '' : src.text), diagnostics: [] };
  const notebook = src.notebook;
  // A notebook's findings name lines of its joined cells: they are told as cell and line.
  const diagnostics = notebook ? r.diagnostics.map((d) => ({ ...d, message: notebook.retell(d.message), help: d.help && notebook.retell(d.help) })) : r.diagnostics;
  return { ...where, text: r.fixed ?? src.text, diagnostics, notebook };
}

/** Lint or fix one file: in a worker when there is a pool and the file can have findings. */
async function lintOrFix(abs: string, where: { path: string; repoPath: string }, src: Source, options: LintOptions, flags: CheckFlags, run: RunContext, log: (s: string) => void): Promise<Outcome> {
  const mode = flags.fix || flags.diff ? 'fix' : 'lint';
  const pass = options.project ? 2 : 1;
  // Only a report is cached: a fix is written, and the next run sees the file it wrote.
  const cache = mode === 'lint' ? run.cache : null;
  const keyed = cache ? optionsKey(options) : '';
  const project = pass === 2 && cache ? run.projectKey() : '';
  let r = src.cached ?? null;
  let cached = !!r;
  if (!r) {
    const text = src.text;
    r = cache?.byText(abs, pass, text, keyed, project, src.stat ?? null) ?? null;
    cached = !!r;
    if (!r) {
      // What cannot have a finding is answered here: a worker would cost more. A file the first
      // pass skipped is looked at again only for what the run's receivers add.
      const skippedBefore = pass === 2 && run.states.get(abs) === 'skipped';
      const matters = options.parseEverything
        || (skippedBefore && options.project ? reachable(text, options.project) : mayHaveFindings(text, options.extraReceivers, options.project));
      const job: Job = { abs, text, options, mode, unsafe: !!flags.unsafeFixes };
      // The text was tested once here: lintText need not test it again.
      r = !matters ? skippedResult() : run.pool ? await run.pool.run(job) : runJob(job);
      cache?.set(abs, pass, text, keyed, project, src.stat ?? null, r);
    }
  }
  const state = r.skipped ? 'skipped' : cached ? 'cached' : 'linted';
  run.states.set(abs, state);
  if (run.verbose) log(`mlflint: ${state === 'skipped' ? 'skipped (names nothing a rule looks for)' : state}: ${where.path}${pass === 2 ? ' (again, with the receivers of the other files)' : ''}\n`);
  if (!options.project) for (const n of r.notes) log(`mlflint: ${where.path}:${n.at.line}:${n.at.column}: warning: ${n.message}\n`);
  if (r.refused) log(`mlflint: ${where.path}: fix not applied: ${r.refused}\n`);
  if (src.notebook && r.fixed !== undefined) return notebookOutcome(abs, where, r, src, options, log);
  return {
    report: reportOf(where, r, src),
    fixed: r.fixed,
    fixedCount: r.fixedCount,
    byRule: r.byRule,
    exports: r.exports,
    skipped: r.skipped,
  };
}

/**
 * A notebook's fixes, made on its joined cells, written into the cells they fall in; refused
 * whole (the notebook reported as it is) when one crosses cells or touches a masked line.
 */
function notebookOutcome(abs: string, where: { path: string; repoPath: string }, r: JobResult, src: Source, options: LintOptions, log: (s: string) => void): Outcome {
  const back = (src.notebook as NotebookIndex).writeBack(r.fixed as string);
  const after = back.ok ? readNotebook(back.raw) : null;
  if (!back.ok || !after?.ok) {
    log(`mlflint: ${where.path}: fixes not written: ${back.ok ? 'the fixed notebook does not read back' : back.reason}\n`);
    const plain = runJob({ abs, text: src.text, options, mode: 'lint', unsafe: false });
    return { report: reportOf(where, plain, src), fixedCount: 0, exports: plain.exports };
  }
  const diff = back.cells.map((c) => createTwoFilesPatch(`${where.path}:cell ${c.cell}`, `${where.path}:cell ${c.cell}`, c.before, c.after)).join('');
  const report = reportOf(where, { ...r, fixed: undefined }, { ...src, text: r.fixed as string, notebook: after.index, cached: undefined });
  return { report, fixed: back.raw, diff, fixedCount: r.fixedCount, byRule: r.byRule, exports: r.exports, skipped: r.skipped };
}

/** What every file of a run shares: the workers, the cache, what -v says. */
interface RunContext {
  pool: Pool | null;
  cache: ResultCache | null;
  /** The run's receivers as a key, once they are all known (the second pass). */
  projectKey: () => string;
  verbose: boolean;
  /** How each file's result was last had, for -v. */
  states: Map<string, 'linted' | 'skipped' | 'cached'>;
}

/**
 * Which build of mlflint this is, beyond its version: the bundle changes on every build, so a
 * rebuilt checkout never reads the results of the previous one.
 */
function buildStamp(): string {
  try {
    const st = statSync(fileURLToPath(import.meta.url));
    return `${st.size}-${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** Below this many files per worker, starting workers costs more than it saves. */
const MIN_FILES_PER_WORKER = 40;

function threadCount(given: string | undefined): number | 'auto' {
  if (given === undefined || given === 'auto') return 'auto';
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--threads ${given}: expected a whole number of threads, 1 or more, or \`auto\``);
  return n;
}

/**
 * A progress line on stderr for runs longer than a second, on a terminal only (never in CI logs
 * or a pipe), rewritten in place and gone when the run ends.
 */
class Progress {
  total = 0;
  private done = 0;
  private shown = false;
  private last = 0;
  private readonly start = performance.now();
  constructor(private readonly io: Io) {}

  tick(): void {
    this.done++;
    if (!this.io.stderrIsTTY || !this.total) return;
    const now = performance.now();
    if (now - this.start < 1000 || now - this.last < 100) return;
    this.last = now;
    this.io.stderr(`\r\x1b[Kmlflint: ${Math.min(this.done, this.total)}/${this.total} files`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }

  end(): void {
    this.clear();
  }
}

/** Messages of files in flight, written in the order the files were started. */
class OrderedLog {
  private next = 0;
  private count = 0;
  private readonly pending = new Map<number, { text: string[]; done: boolean }>();
  constructor(private readonly write: (s: string) => void) {}

  slot(): { log: (s: string) => void; done: () => void } {
    const i = this.count++;
    const entry = { text: [] as string[], done: false };
    this.pending.set(i, entry);
    return {
      log: (s) => (i === this.next ? this.write(s) : entry.text.push(s)),
      done: () => {
        entry.done = true;
        this.flush();
      },
    };
  }

  private flush(): void {
    while (this.pending.get(this.next)?.done) {
      this.pending.delete(this.next);
      this.next++;
      const now = this.pending.get(this.next);
      if (now) for (const t of now.text.splice(0)) this.write(t);
    }
  }
}

/** Write a fix, or say why it was not written. */
function writeFix(abs: string, text: string, bom: boolean): string | null {
  try {
    const why = unwritable(abs);
    if (why) return why;
    writeSourceAtomically(abs, text, bom);
    return null;
  } catch (e) {
    return `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

/** Whether the run's receivers answer any lookup a file's resolution made. */
function offers(p: ProjectReceivers, wants: NonNullable<ReceiverExports['wants']>): boolean {
  return wants.classes.some((c) => p.classes.has(c)) || wants.modules.some((m) => Object.keys(p.modules.get(m) ?? {}).length > 0);
}

function knowsReceivers(p: ProjectReceivers): boolean {
  return p.classes.size > 0 || [...p.modules.values()].some((names) => Object.keys(names).length > 0);
}

/** Colour: `--color`, then NO_COLOR (https://no-color.org) and FORCE_COLOR, then whether stdout is a terminal. */
function useColor(flags: CheckFlags, io: Io): boolean {
  if (flags.color === 'always') return true;
  if (flags.color === 'never' || flags.outputFile || process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY;
}

/** A file's lint options: the command line's, over the nearest config file's. */
function optionsFor(abs: string, flags: CheckFlags, config: Config | null): LintOptions {
  const { base, perFile } = baseOptions(flags, config);
  const laid = withLineLength(base, config?.settings['line-length'] ?? formatterLineLength(dirname(abs)));
  if (!perFile.length || !config) return laid;
  const rel = relative(config.dir, abs).split(sep).join('/');
  const ignoreHere = rel.startsWith('..') ? [] : perFile.filter(([matcher]) => matcher.ignores(rel)).flatMap(([, codes]) => codes);
  return ignoreHere.length ? { ...laid, ignore: [...(laid.ignore ?? []), ...ignoreHere] } : laid;
}

/** The same options object for the same line length, so that each is keyed (optionsKey) once. */
const byLineLength = new WeakMap<LintOptions, Map<number | null, LintOptions>>();
function withLineLength(base: LintOptions, lineLength: number | null): LintOptions {
  if (lineLength === null) return base;
  let m = byLineLength.get(base);
  if (!m) byLineLength.set(base, (m = new Map()));
  let o = m.get(lineLength);
  if (!o) m.set(lineLength, (o = { ...base, lineLength }));
  return o;
}

/** What a config file's settings and the command line give every file under it: worked out once per config. */
const baseMemo = new WeakMap<CheckFlags, Map<Config | null, { base: LintOptions; perFile: [Ignore, string[]][] }>>();

function baseOptions(flags: CheckFlags, config: Config | null): { base: LintOptions; perFile: [Ignore, string[]][] } {
  let byConfig = baseMemo.get(flags);
  if (!byConfig) baseMemo.set(flags, (byConfig = new Map()));
  const hit = byConfig.get(config);
  if (hit) return hit;
  const st = config?.settings ?? {};
  const perFile = Object.entries(st['per-file-ignores'] ?? {}).map(([glob, codes]): [Ignore, string[]] => [ignore().add(glob), codes]);
  const { severity, off } = severities(st);
  // As in Ruff, the command line is a layer over the config file: its `--select` starts over,
  // its `--extend-select` can enable what the config ignores. Per-file ignores and `off` come last.
  const chosen = layeredSelection([
    { select: st.select, extendSelect: st['extend-select'], ignore: st.ignore },
    { select: flags.select, extendSelect: flags.extendSelect, ignore: flags.ignore },
  ]);
  const base: LintOptions = {
    select: chosen.select,
    ignore: [...(chosen.ignore ?? []), ...off],
    ignoreNoqa: flags.ignoreNoqa,
    parseEverything: flags.parseEverything,
    severity,
    ...settingOptions(st),
  };
  const out = { base, perFile };
  byConfig.set(config, out);
  return out;
}

export async function check(paths: string[], given: CheckFlags, io: Io): Promise<number> {
  const badAlso = checkAlsoWrite(given.alsoWrite);
  if (badAlso) {
    io.stderr(`mlflint: error: ${badAlso}\n`);
    return 2;
  }
  try {
    return await checkConfigured(paths, given, io);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`mlflint: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function checkConfigured(paths: string[], given: CheckFlags, io: Io): Promise<number> {
  const finder = new ConfigFinder();
  const fixed = given.config ? loadConfig(given.config) : null;
  const configFor = (dir: string): Config | null => (given.isolated ? null : fixed ?? finder.find(dir));
  if (given.showSettings) {
    const abs = resolve(given.showSettings);
    const config = configFor(dirname(abs));
    const options = optionsFor(abs, given, config);
    io.stdout(`${JSON.stringify({ file: display(abs), config: config ? display(config.file) : null, settings: config?.settings ?? {}, sources: Object.fromEntries(Object.entries(config?.sources ?? {}).map(([k, f]) => [k, display(f)])), resolved: options }, null, 2)}\n`);
    return 0;
  }
  // `--fix-only` fixes like `--fix`; `-` is stdin, as in Ruff.
  const flags: CheckFlags = { ...given, fix: given.fix || given.fixOnly };
  if (paths.length === 1 && paths[0] === '-') {
    paths = [];
    flags.stdinFilename ??= 'stdin.py';
  }
  const options: LintOptions = {};
  // One object per config and pass (files with per-file ignores aside), so its cache key is made once.
  const withProject = new WeakMap<LintOptions, LintOptions>();
  const optionsOf = (abs: string): LintOptions => {
    const base = optionsFor(abs, flags, configFor(dirname(abs)));
    if (!options.project) return base;
    let o = withProject.get(base);
    if (!o) withProject.set(base, (o = { ...base, project: options.project }));
    return o;
  };
  let failed = 0;
  const files = new Map<string, FileReport>();
  const fixedCounts = new Map<string, number>();
  /** `--show-fixes`: per file shown, fixes per rule code (over both passes). */
  const fixesByFile = new Map<string, Record<string, number>>();
  const diffs = new Map<string, string>();
  const root = repoRoot();
  // A linted file's receivers, for the files that import them (linted again once all are known).
  const project: ProjectReceivers = { modules: new Map(), classes: new Map() };
  const importers: { abs: string; src?: Source; wants?: ReceiverExports['wants'] }[] = [];
  const handle = async (abs: string, shown: string, src: Source, write: boolean, log: (s: string) => void): Promise<Outcome> => {
    const out = await lintOrFix(abs, { path: shown, repoPath: relativeTo(root, abs) }, src, optionsOf(abs), flags, ctx, log);
    files.set(abs, out.report);
    if (write && !flags.diff && out.byRule) {
      const counts = fixesByFile.get(shown) ?? {};
      for (const [code, n] of Object.entries(out.byRule)) counts[code] = (counts[code] ?? 0) + n;
      if (Object.keys(counts).length) fixesByFile.set(shown, counts);
    }
    // A file linted again: with --fix it starts from what the first pass wrote, with --diff from the original.
    fixedCounts.set(abs, (flags.diff ? 0 : fixedCounts.get(abs) ?? 0) + out.fixedCount);
    if (out.fixed !== undefined) {
      if (flags.diff) diffs.set(abs, out.diff ?? createTwoFilesPatch(shown, shown, src.text, out.fixed));
      else if (write) {
        const refused = writeFix(abs, out.fixed, src.bom);
        if (refused) {
          // Nothing was written: report the file as it is, and count no fix.
          log(`mlflint: ${shown}: fix not written: ${refused}\n`);
          failed++;
          fixedCounts.set(abs, 0);
          files.set(abs, { ...out.report, text: src.text, diagnostics: lintText(abs, src.text, optionsOf(abs)).diagnostics });
        }
      }
    }
    if (!options.project) {
      addReceivers(project, abs, out.exports);
      if (out.exports?.importsReceivers) importers.push({ abs, src, wants: out.exports.wants });
      // A skipped file is read again only if the run's receivers could reach it.
      else if (out.skipped) importers.push({ abs });
    }
    return out;
  };
  let noqaAdded = 0;
  const lintSafely = async (abs: string, src: Source, log: (s: string) => void): Promise<void> => {
    try {
      if (flags.addNoqa) {
        const r = addNoqa(abs, src.text, optionsOf(abs));
        if (r.refused) log(`mlflint: ${display(abs)}: ${r.refused}\n`);
        // In a notebook the comments go into the cells, as fixes do.
        const back = r.added && src.notebook ? src.notebook.writeBack(r.text) : null;
        if (back && !back.ok) log(`mlflint: ${display(abs)}: noqa comments not written: ${back.reason}\n`);
        else if (r.added) {
          const why = writeFix(abs, back ? back.raw : r.text, src.bom);
          if (why) {
            log(`mlflint: ${display(abs)}: noqa comments not written: ${why}\n`);
            failed++;
          } else noqaAdded += r.added;
        }
      } else await handle(abs, display(abs), src, true, log);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      // One file that trips a bug must not cost the user the findings of the others.
      log(`mlflint: ${display(abs)}: internal error, file skipped: ${(e as Error).stack ?? e}\n`);
      failed++;
    }
    // node-tree-sitter frees native trees only when the event loop turns.
    if (!pool) await new Promise((r) => setImmediate(r));
  };
  // With workers, several files are in flight; what they print still comes out in file order.
  const progress = new Progress(io);
  const stderr = new OrderedLog((text) => {
    progress.clear();
    io.stderr(text);
  });
  const inflight = new Set<Promise<void>>();
  const schedule = async (abs: string, src: Source): Promise<void> => {
    const slot = stderr.slot();
    const p = lintSafely(abs, src, slot.log).finally(() => {
      slot.done();
      progress.tick();
    });
    inflight.add(p);
    p.then(() => inflight.delete(p), () => inflight.delete(p));
    while (inflight.size >= (pool ? pool.size * 4 : 1)) await Promise.race(inflight);
  };
  const drain = async (): Promise<void> => {
    await Promise.all(inflight);
  };
  let pool: Pool | null = null;
  let projectKeyMemo: string | null = null;
  const ctx: RunContext = {
    pool: null,
    cache: flags.noCache ? null : new ResultCache(resolve(flags.cacheDir ?? CACHE_DIR), `${flags.version ?? '0.0.0'}+${buildStamp()}`),
    projectKey: () => (projectKeyMemo ??= projectKey(options.project)),
    verbose: !!flags.verbose,
    states: new Map(),
  };
  const started = performance.now();
  try {
    // A bad selector is a usage error of the whole run, said once, before any file is read.
    selectRules({ select: flags.select, extendSelect: flags.extendSelect, ignore: flags.ignore });
    const threads = threadCount(flags.threads);
    if (flags.stdinFilename !== undefined && (paths.length === 0 || (paths.length === 1 && paths[0] === '-'))) {
      const name = flags.stdinFilename;
      if (!adapterFor(name)) throw new UsageError(`--stdin-filename ${name}: unsupported file type (expected one of ${supportedExtensions().join(', ')})`);
      const input = decodeSource(await io.readStdin());
      const nb = input.ok && name.toLowerCase().endsWith('.ipynb') ? readNotebook(input.text) : null;
      const src: SourceRead = nb ? (nb.ok ? { ok: true, text: nb.text, bom: false, notebook: nb.index } : nb) : input;
      if (!src.ok) {
        io.stderr(`mlflint: ${name}: ${src.reason}; skipped\n`);
        return 2;
      }
      const out = await handle(resolve(name), display(resolve(name)), src, false, io.stderr);
      if (flags.fix && !flags.diff) {
        // Like Ruff: the fixed source goes to stdout, the report to stderr (a notebook, unfixed, as it came).
        io.stdout(src.notebook && input.ok ? (input.bom ? '\ufeff' : '') + (out.fixed ?? input.text) : (src.bom ? '\ufeff' : '') + (out.fixed ?? src.text));
        io.stderr(reporters.concise([out.report].filter((f) => f.diagnostics.length), { color: false, frames: false, unsafeFixes: !!flags.unsafeFixes }));
        return out.report.diagnostics.length && !flags.exitZero ? 1 : 0;
      }
    } else {
      // Excludes: the command line's, and for each directory those of the config file nearest to it.
      const excludesOf = new Map<Config, ConfigExcludes>();
      const excludesFor = (dir: string): ConfigExcludes | null => {
        const c = configFor(dir);
        if (!c) return null;
        let e = excludesOf.get(c);
        if (!e) excludesOf.set(c, (e = { base: c.dir, exclude: c.settings.exclude, 'extend-exclude': c.settings['extend-exclude'] }));
        return e;
      };
      const { files: targets, unreadable } = discover(paths.length ? paths : ['.'], supportedExtensions(), { ...flags, configFor: excludesFor });
      if (flags.showFiles) {
        io.stdout(targets.filter((t) => adapterFor(t)).map((t) => `${display(t)}\n`).join(''));
        return unreadable.length ? 2 : 0;
      }
      for (const u of unreadable) {
        io.stderr(`mlflint: ${display(u.dir)}: cannot read directory: ${u.reason}; skipped\n`);
        failed++;
      }
      // Workers pay for themselves only on a run of many files (each loads the grammars).
      const workers = threads === 'auto' ? (targets.length >= MIN_FILES_PER_WORKER * 2 && !UNDER_TSX ? Math.min(availableParallelism(), Math.floor(targets.length / MIN_FILES_PER_WORKER), 8) : 1) : threads;
      if (workers > 1 && !flags.addNoqa) ctx.pool = pool = new Pool(workers);
      progress.total = targets.length;
      for (const abs of targets) {
        if (!adapterFor(abs)) {
          const slot = stderr.slot();
          slot.log(`mlflint: ${display(abs)}: unsupported file type; skipped\n`);
          slot.done();
          continue;
        }
        // Reports list files in the order they were found, whichever worker finishes first.
        files.set(abs, { path: display(abs), repoPath: relativeTo(root, abs), text: '', diagnostics: [] });
        const src = sourceFor(abs, 1, optionsOf(abs), flags, ctx);
        if (!src.ok) {
          files.delete(abs);
          const slot = stderr.slot();
          slot.log(`mlflint: ${display(abs)}: ${src.reason}; skipped\n`);
          slot.done();
          failed++;
          continue;
        }
        await schedule(abs, src);
      }
      await drain();
      progress.total = 0;
      // Files whose receivers come from another file of this run: linted again, now that all are known.
      if (importers.length && knowsReceivers(project)) {
        options.project = project;
        for (const { abs, src, wants } of importers) {
          if (wants && !offers(project, wants) && !flags.parseEverything) continue;
          // With --fix the file is what the first pass wrote; a result of the first pass's cache is not this pass's.
          const now = flags.fix && !flags.diff ? readSource(abs) : src && !src.cached ? src : sourceFor(abs, 2, optionsOf(abs), flags, ctx);
          if (now.ok) await schedule(abs, now);
        }
        await drain();
      }
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathError) {
      io.stderr(`mlflint: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await pool?.close();
    ctx.cache?.save();
  }
  progress.end();
  if (flags.verbose) {
    const c = { linted: 0, skipped: 0, cached: 0 };
    for (const state of ctx.states.values()) c[state]++;
    io.stderr(`mlflint: ${files.size} file${files.size === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(2)} s: ${c.linted} linted, ${c.skipped} skipped (nothing a rule looks for), ${c.cached} from the cache${pool ? `, on ${pool.size} threads` : ''}\n`);
  }
  if (flags.addNoqa) {
    if (!flags.silent) io.stdout(`Added ${noqaAdded} noqa directive${noqaAdded === 1 ? '' : 's'}.\n`);
    return failed ? 2 : 0;
  }
  const fixedTotal = [...fixedCounts.values()].reduce((a, b) => a + b, 0);
  const reports = [...files.values()];
  if (flags.diff) {
    // In the order files were found, whichever finished first.
    io.stdout([...files.keys()].filter((f) => diffs.has(f)).map((f) => diffs.get(f)).join(''));
    if (fixedTotal) io.stderr(`Would fix ${fixedTotal} finding${fixedTotal === 1 ? '' : 's'}.\n`);
    return failed ? 2 : diffs.size ? 1 : 0;
  }
  const shown = reports.filter((f) => f.diagnostics.length > 0);
  const fixedExit = flags.exitNonZeroOnFix && fixedTotal > 0 ? 1 : 0;
  if (flags.showFixes && flags.fix && fixesByFile.size && !flags.silent) {
    // Ruff's layout: per file, per rule, how many were fixed.
    const lines = [`Fixed ${fixedTotal} finding${fixedTotal === 1 ? '' : 's'}:`];
    const order = new Map([...files.values()].map((f, i) => [f.path, i]));
    for (const [file, counts] of [...fixesByFile].sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))) {
      lines.push(`- ${file}:`);
      for (const [code, n] of Object.entries(counts).sort()) lines.push(`    ${n} × ${code} (${findRule(code)?.name ?? code})`);
    }
    io.stderr(`${lines.join('\n')}\n`);
  }
  if (flags.fixOnly) {
    // Like Ruff: what was fixed, and nothing about what remains.
    if (!flags.silent && !flags.quiet && fixedTotal) io.stdout(`Fixed ${fixedTotal} finding${fixedTotal === 1 ? '' : 's'}.\n`);
    return failed ? 2 : fixedExit;
  }
  const opts = {
    color: useColor(flags, io), frames: flags.format === 'text' && io.isTTY && !flags.outputFile, unsafeFixes: !!flags.unsafeFixes,
    fixed: flags.fix ? fixedTotal : undefined, root, version: flags.version, failed, quiet: flags.quiet,
  };
  const report = flags.silent ? '' : flags.statistics ? statistics(reports, flags.format) : reporters[flags.format](ALL_FILES.includes(flags.format) ? reports : shown, opts);
  for (const { format, file } of extraReports(flags.alsoWrite)) {
    try {
      writeFileSync(file, reporters[format](ALL_FILES.includes(format) ? reports : shown, { ...opts, color: false, frames: false, quiet: false }));
    } catch (e) {
      io.stderr(`mlflint: error: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  }
  if (flags.outputFile) {
    try {
      writeFileSync(flags.outputFile, report);
    } catch (e) {
      io.stderr(`mlflint: error: cannot write ${flags.outputFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  } else if (report) io.stdout(report);
  const findings = reports.reduce((n, f) => n + f.diagnostics.length, 0);
  if (failed) return 2;
  return findings > 0 && !flags.exitZero ? 1 : fixedExit;
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
    if (at < 0 || !v.slice(at + 1)) return `invalid value '${v}' for --also-write: expected FORMAT=FILE (for example json=mlflint.json)`;
    if (!(FORMATS as string[]).includes(format)) return `invalid format '${format}' for --also-write (allowed: ${FORMATS.join(', ')})`;
  }
  return null;
}
