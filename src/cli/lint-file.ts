// One file of a run: read it (or answer it from the cache), lint or fix it, in a worker when
// there is a pool, and say what is reported of it.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTwoFilesPatch } from 'diff';
import {
  isDeferred,
  mayHaveFindings,
  reachable,
  readNotebook,
  retold,
  type LintOptions,
  type NotebookIndex,
  type ReceiverExports,
} from '../index.js';
import type { FileReport } from '../reporters/index.js';
import { fileStat, type FileStat, type Pass, type ResultCache } from './cache.js';
import type { CheckFlags } from './flags.js';
import { runJob, skippedResult, type Job, type JobResult } from './job.js';
import type { Pool } from './pool.js';
import { readSource, unwritable, writeSourceAtomically, type SourceRead } from './read-source.js';

export interface Outcome {
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
  /** See JobResult.heads and JobResult.calls. */
  heads?: string;
  calls?: boolean;
  /** Names MLflow but calls no tracking API: not parsed, its receivers unknown (see LintResult.deferred). */
  deferred?: boolean;
}

/**
 * A file to lint: read, or (`cached`) answered by the cache from its metadata alone, its text
 * read only if something asks for it (a finding to show).
 */
export type Source = Extract<SourceRead, { ok: true }> & { stat?: FileStat | null; cached?: JobResult };

/** The file's source for this pass: from the cache when its metadata proves it unchanged, else read. */
export function sourceFor(
  abs: string,
  pass: Pass,
  options: LintOptions,
  flags: CheckFlags,
  run: RunContext,
): SourceRead & { stat?: FileStat | null; cached?: JobResult } {
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

/**
 * What is reported of a file. Its text only with a finding to show (a file the cache answered is
 * read only then): a run holds no other file's text till it ends.
 */
function reportOf(where: { path: string; repoPath: string }, r: JobResult, src: Source): FileReport {
  if (!r.diagnostics.length) return { ...where, text: '', diagnostics: [] };
  const notebook = src.notebook;
  // A notebook's findings name lines of its joined cells: they are told as cell and line.
  const diagnostics = notebook ? retold(notebook, r.diagnostics) : r.diagnostics;
  return { ...where, text: r.fixed ?? src.text, diagnostics, notebook };
}

/**
 * Whether the first pass's lint of a file parses it: what `lintOrFix` hands to a job rather than
 * answers itself (a file answered by the cache, that names nothing, or that calls no tracking API).
 */
export function takesJob(abs: string, src: Source, options: LintOptions): boolean {
  if (src.cached) return false;
  if (options.parseEverything) return true;
  return mayHaveFindings(abs, src.text, options.extraReceivers) && !isDeferred(abs, src.text, options);
}

/** Lint or fix one file: in a worker when there is a pool and the file can have findings. */
export async function lintOrFix(
  abs: string,
  where: { path: string; repoPath: string },
  src: Source,
  options: LintOptions,
  flags: CheckFlags,
  run: RunContext,
  log: (s: string) => void,
): Promise<Outcome> {
  const mode = flags.fix || flags.diff ? 'fix' : 'lint';
  const pass: Pass = options.project ? 2 : options.exportsWanted ? 3 : 1;
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
      const matters =
        options.parseEverything ||
        (skippedBefore && options.project
          ? reachable(text, options.project)
          : mayHaveFindings(abs, text, options.extraReceivers, options.project));
      // A file that calls no tracking API is answered without a parse (see LintResult.deferred): here too.
      const deferred = matters && isDeferred(abs, text, options);
      const job: Job = { abs, text, options, mode, unsafe: !!flags.unsafeFixes };
      r = !matters
        ? skippedResult(abs, text, options.extraReceivers)
        : run.pool && !deferred
          ? await run.pool.run(job)
          : runJob(job);
      cache?.set(abs, pass, text, keyed, project, src.stat ?? null, r);
    }
  }
  const state = r.skipped ? 'skipped' : r.deferred ? 'deferred' : cached ? 'cached' : 'linted';
  run.states.set(abs, state);
  if (run.verbose)
    log(
      `mlflint: ${STATES[state]}: ${where.path}${pass === 2 ? ' (again, with the receivers of the other files)' : ''}\n`,
    );
  if (!options.project)
    for (const n of r.notes) log(`mlflint: ${where.path}:${n.at.line}:${n.at.column}: warning: ${n.message}\n`);
  if (r.refused) log(`mlflint: ${where.path}: fix not applied: ${r.refused}\n`);
  // `r.fixed` first: a file the cache answered is not read to ask whether it is a notebook.
  if (r.fixed !== undefined && src.notebook) return notebookOutcome(abs, where, r, src, options, log);
  return {
    report: reportOf(where, r, src),
    fixed: r.fixed,
    fixedCount: r.fixedCount,
    byRule: r.byRule,
    exports: r.exports,
    skipped: r.skipped,
    heads: r.heads,
    calls: r.calls,
    deferred: r.deferred,
  };
}

/** How -v says how a file was had. */
const STATES: Record<FileState, string> = {
  linted: 'linted',
  cached: 'cached',
  skipped: 'skipped (names nothing a rule looks for)',
  deferred: 'not lowered (names MLflow, calls no tracking API)',
};

export type FileState = 'linted' | 'skipped' | 'deferred' | 'cached';

/**
 * A notebook's fixes, made on its joined cells, written into the cells they fall in; refused
 * whole (the notebook reported as it is) when one crosses cells or touches a masked line.
 */
function notebookOutcome(
  abs: string,
  where: { path: string; repoPath: string },
  r: JobResult,
  src: Source,
  options: LintOptions,
  log: (s: string) => void,
): Outcome {
  const back = (src.notebook as NotebookIndex).writeBack(r.fixed as string);
  const after = back.ok ? readNotebook(back.raw) : null;
  if (!back.ok || !after?.ok) {
    log(
      `mlflint: ${where.path}: fixes not written: ${back.ok ? 'the fixed notebook does not read back' : back.reason}\n`,
    );
    const plain = runJob({ abs, text: src.text, options, mode: 'lint', unsafe: false });
    return { report: reportOf(where, plain, src), fixedCount: 0, exports: plain.exports };
  }
  const diff = back.cells
    .map((c) => createTwoFilesPatch(`${where.path}:cell ${c.cell}`, `${where.path}:cell ${c.cell}`, c.before, c.after))
    .join('');
  const report = reportOf(
    where,
    { ...r, fixed: undefined },
    { ...src, text: r.fixed as string, notebook: after.index, cached: undefined },
  );
  return {
    report,
    fixed: back.raw,
    diff,
    fixedCount: r.fixedCount,
    byRule: r.byRule,
    exports: r.exports,
    skipped: r.skipped,
  };
}

/** What every file of a run shares: the workers, the cache, what -v says. */
export interface RunContext {
  pool: Pool | null;
  cache: ResultCache | null;
  /** The run's receivers as a key, once they are all known (the second pass). */
  projectKey: () => string;
  verbose: boolean;
  /** How each file's result was last had, for -v. */
  states: Map<string, FileState>;
}

/**
 * Which build of mlflint this is, beyond its version: the bundle changes on every build, so a
 * rebuilt checkout never reads the results of the previous one.
 */
export function buildStamp(): string {
  try {
    const st = statSync(fileURLToPath(import.meta.url));
    return `${st.size}-${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** Write a fix, or say why it was not written. */
export function writeFix(abs: string, text: string, bom: boolean): string | null {
  try {
    const why = unwritable(abs);
    if (why) return why;
    writeSourceAtomically(abs, text, bom);
    return null;
  } catch (e) {
    return `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
