// What every file of one `mlflint check` shares while it runs: the options per file, the
// receivers the files give each other, the workers, the cache, and what is reported.
import { dirname, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import {
  addReceivers,
  lintText,
  SelectorError,
  type LintOptions,
  type ProjectReceivers,
  type ReceiverExports,
} from '../index.js';
import type { FileReport } from '../reporters/index.js';
import type { Config } from '../config/config.js';
import { addNoqa } from './add-noqa.js';
import { CACHE_DIR, projectKey, ResultCache } from './cache.js';
import type { CheckFlags, Io } from './flags.js';
import { buildStamp, lintOrFix, writeFix, type Outcome, type RunContext, type Source } from './lint-file.js';
import { optionsFor } from './options.js';
import { readSource } from './read-source.js';
import { display, relativeTo, repoRoot } from './paths.js';
import type { Pool } from './pool.js';
import { OrderedLog, Progress } from './progress.js';
import { UsageError } from './usage.js';

export class CheckRun {
  /** Set for the second pass, once every file's receivers are known. */
  readonly options: LintOptions = {};
  failed = 0;
  noqaAdded = 0;
  /** Per file, in the order found: what is reported. */
  readonly files = new Map<string, FileReport>();
  readonly fixedCounts = new Map<string, number>();
  /** `--show-fixes`: per file shown, fixes per rule code (over both passes). */
  readonly fixesByFile = new Map<string, Record<string, number>>();
  readonly diffs = new Map<string, string>();
  readonly root = repoRoot();
  /** A linted file's receivers, for the files that import them (linted again once all are known). */
  readonly project: ProjectReceivers = { modules: new Map(), classes: new Map() };
  /**
   * For a skipped file (no `src`, to hold no text): `heads`, its import lines and class headers,
   * where another file's receivers would come in, so that it is read again only if they name one.
   */
  readonly importers: {
    abs: string;
    src?: Source;
    wants?: ReceiverExports['wants'];
    heads?: string;
    calls?: boolean;
  }[] = [];
  /** Files that name MLflow but call no tracking API: not lowered unless an importer wants their receivers. */
  deferred: { abs: string; src: Source }[] = [];
  /** Files linted for their receivers although they call no tracking API (see `LintOptions.exportsWanted`). */
  readonly forExports = new Set<string>();
  /** What those files' resolution asked about in turn (a chain of re-exports). */
  readonly lowerAsked: NonNullable<ReceiverExports['wants']>[] = [];
  readonly progress: Progress;
  /** With workers, several files are in flight; what they print still comes out in file order. */
  readonly stderr: OrderedLog;
  readonly ctx: RunContext;
  readonly started = performance.now();
  private readonly inflight = new Set<Promise<void>>();
  // One object per config and pass (files with per-file ignores aside), so its cache key is made once.
  private readonly withProject = new WeakMap<LintOptions, LintOptions>();
  private readonly withExports = new WeakMap<LintOptions, LintOptions>();
  private projectKeyMemo: string | null = null;

  constructor(
    readonly flags: CheckFlags,
    readonly io: Io,
    readonly configFor: (dir: string) => Config | null,
  ) {
    this.progress = new Progress(io);
    this.stderr = new OrderedLog((text) => {
      this.progress.clear();
      io.stderr(text);
    });
    this.ctx = {
      pool: null,
      cache: flags.noCache
        ? null
        : new ResultCache(resolve(flags.cacheDir ?? CACHE_DIR), `${flags.version ?? '0.0.0'}+${buildStamp()}`),
      projectKey: () => (this.projectKeyMemo ??= projectKey(this.options.project)),
      verbose: !!flags.verbose,
      states: new Map(),
    };
  }

  get pool(): Pool | null {
    return this.ctx.pool;
  }

  optionsOf(abs: string): LintOptions {
    let base = optionsFor(abs, this.flags, this.configFor(dirname(abs)));
    if (this.forExports.has(abs)) {
      let e = this.withExports.get(base);
      if (!e) this.withExports.set(base, (e = { ...base, exportsWanted: true }));
      base = e;
    }
    if (!this.options.project) return base;
    let o = this.withProject.get(base);
    if (!o) this.withProject.set(base, (o = { ...base, project: this.options.project }));
    return o;
  }

  /** Lint or fix one file and record what it gives the run; `write` writes its fix. */
  async handle(abs: string, shown: string, src: Source, write: boolean, log: (s: string) => void): Promise<Outcome> {
    const { flags } = this;
    const out = await lintOrFix(
      abs,
      { path: shown, repoPath: relativeTo(this.root, abs) },
      src,
      this.optionsOf(abs),
      flags,
      this.ctx,
      log,
    );
    this.files.set(abs, out.report);
    if (write && !flags.diff && out.byRule) {
      const counts = this.fixesByFile.get(shown) ?? {};
      for (const [code, n] of Object.entries(out.byRule)) counts[code] = (counts[code] ?? 0) + n;
      if (Object.keys(counts).length) this.fixesByFile.set(shown, counts);
    }
    // A file linted again: with --fix it starts from what the first pass wrote, with --diff from the original.
    this.fixedCounts.set(abs, (flags.diff ? 0 : (this.fixedCounts.get(abs) ?? 0)) + out.fixedCount);
    if (out.fixed !== undefined) {
      if (flags.diff) this.diffs.set(abs, out.diff ?? createTwoFilesPatch(shown, shown, src.text, out.fixed));
      else if (write) {
        const refused = writeFix(abs, out.fixed, src.bom);
        // A deferred file is had again later: as written, not fixed a second time.
        const read = refused || !out.deferred ? null : readSource(abs);
        if (read?.ok) src = read;
        if (refused) {
          // Nothing was written: report the file as it is, and count no fix.
          log(`mlflint: ${shown}: fix not written: ${refused}\n`);
          this.failed++;
          this.fixedCounts.set(abs, 0);
          this.files.set(abs, {
            ...out.report,
            text: src.text,
            diagnostics: lintText(abs, src.text, this.optionsOf(abs)).diagnostics,
          });
        }
      }
    }
    if (!this.options.project) {
      // A deferred file's receivers are unknown, not none: they are added once it is lowered.
      if (!out.deferred) addReceivers(this.project, abs, out.exports);
      if (out.exports?.importsReceivers) this.importers.push({ abs, src, wants: out.exports.wants });
      else if (out.deferred) this.deferred.push({ abs, src });
      if (this.forExports.has(abs) && out.exports?.wants) this.lowerAsked.push(out.exports.wants);
      // A skipped file is read again only if it names a tracking call and the run's receivers could reach it.
      else if (out.skipped && out.calls !== false) this.importers.push({ abs, heads: out.heads, calls: out.calls });
    }
    return out;
  }

  /** Start one file, waiting while as many are in flight as the workers can take. */
  async schedule(abs: string, src: Source, slot = this.stderr.slot()): Promise<void> {
    const p = this.lintSafely(abs, src, slot.log).finally(() => {
      slot.done();
      this.progress.tick();
    });
    this.inflight.add(p);
    p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    while (this.inflight.size >= (this.pool ? this.pool.size * 4 : 1)) await Promise.race(this.inflight);
  }

  async drain(): Promise<void> {
    await Promise.all(this.inflight);
  }

  /** Say that a file was skipped, in its place among the others' messages. */
  skip(message: string): void {
    const slot = this.stderr.slot();
    slot.log(message);
    slot.done();
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.ctx.cache?.save();
  }

  private async lintSafely(abs: string, src: Source, log: (s: string) => void): Promise<void> {
    try {
      if (this.flags.addNoqa) this.addNoqa(abs, src, log);
      else await this.handle(abs, display(abs), src, true, log);
    } catch (e) {
      if (e instanceof UsageError || e instanceof SelectorError) throw e;
      // One file that trips a bug must not cost the user the findings of the others.
      log(`mlflint: ${display(abs)}: internal error, file skipped: ${(e as Error).stack ?? e}\n`);
      this.failed++;
    }
    // node-tree-sitter frees native trees only when the event loop turns: after a file it parsed.
    const parsed = this.flags.addNoqa || this.ctx.states.get(abs) === 'linted';
    if (!this.pool && parsed) await new Promise((r) => setImmediate(r));
  }

  private addNoqa(abs: string, src: Source, log: (s: string) => void): void {
    const r = addNoqa(abs, src.text, this.optionsOf(abs));
    if (r.refused) log(`mlflint: ${display(abs)}: ${r.refused}\n`);
    // In a notebook the comments go into the cells, as fixes do.
    const back = r.added && src.notebook ? src.notebook.writeBack(r.text) : null;
    if (back && !back.ok) log(`mlflint: ${display(abs)}: noqa comments not written: ${back.reason}\n`);
    else if (r.added) {
      const why = writeFix(abs, back ? back.raw : r.text, src.bom);
      if (why) {
        log(`mlflint: ${display(abs)}: noqa comments not written: ${why}\n`);
        this.failed++;
      } else this.noqaAdded += r.added;
    }
  }
}
