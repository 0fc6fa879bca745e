// `mlflint check`: read the configuration, lint stdin or the given paths, report.
import { dirname, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import {
  adapterFor,
  readNotebook,
  registry,
  SelectorError,
  importsAndBases,
  modulesNamedBy,
  namesTrackingCall,
  namesAHolder,
  receiverModuleKey,
  supportedExtensions,
  wholeWord,
  type ProjectReceivers,
  type ReceiverExports,
} from '../index.js';
import { ConfigError, ConfigFinder, loadConfig, type Config } from '../config/config.js';
import { discover, PathError, type ConfigExcludes } from './files.js';
import type { CheckFlags, Io } from './flags.js';
import { sourceFor, takesJob, type Source } from './lint-file.js';
import { MIN_FILES_PER_WORKER, optionsFor, threadCount } from './options.js';
import { display, relativeTo } from './paths.js';
import { Pool, UNDER_TSX } from './pool.js';
import type { Slot } from './progress.js';
import { decodeSource, readSource, type SourceRead } from './read-source.js';
import { reporters } from '../reporters/index.js';
import { checkAlsoWrite, report } from './report.js';
import { CheckRun } from './run.js';
import { UsageError } from './usage.js';

export type { CheckFlags, Io } from './flags.js';

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
  const configFor = (dir: string): Config | null => (given.isolated ? null : (fixed ?? finder.find(dir)));
  if (given.showSettings) return showSettings(given.showSettings, given, configFor, io);
  // `--fix-only` fixes like `--fix`; `-` is stdin, as in Ruff.
  const flags: CheckFlags = { ...given, fix: given.fix || given.fixOnly };
  if (paths.length === 1 && paths[0] === '-') {
    paths = [];
    flags.stdinFilename ??= 'stdin.py';
  }
  const run = new CheckRun(flags, io, configFor);
  try {
    // A bad selector is a usage error of the whole run, said once, before any file is read.
    registry.select({ select: flags.select, extendSelect: flags.extendSelect, ignore: flags.ignore });
    const threads = threadCount(flags.threads);
    const done =
      flags.stdinFilename !== undefined && paths.length === 0
        ? await lintStdin(run, flags.stdinFilename)
        : await lintPaths(run, paths, threads);
    if (done !== null) return done;
  } catch (e) {
    if (e instanceof UsageError || e instanceof SelectorError || e instanceof PathError) {
      io.stderr(`mlflint: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await run.close();
  }
  run.progress.end();
  return report(run);
}

/** `--show-settings FILE`: the settings that apply to the file, and where each came from. */
function showSettings(file: string, flags: CheckFlags, configFor: (dir: string) => Config | null, io: Io): number {
  const abs = resolve(file);
  const config = configFor(dirname(abs));
  const sources = Object.fromEntries(Object.entries(config?.sources ?? {}).map(([k, f]) => [k, display(f)]));
  const shown = {
    file: display(abs),
    config: config ? display(config.file) : null,
    settings: config?.settings ?? {},
    sources,
    resolved: optionsFor(abs, flags, config),
  };
  io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
  return 0;
}

/** The file on stdin, named `--stdin-filename`; an exit code when the run ends here. */
async function lintStdin(run: CheckRun, name: string): Promise<number | null> {
  const { flags, io } = run;
  if (!adapterFor(name))
    throw new UsageError(
      `--stdin-filename ${name}: unsupported file type (expected one of ${supportedExtensions().join(', ')})`,
    );
  const input = decodeSource(await io.readStdin());
  const nb = input.ok && name.toLowerCase().endsWith('.ipynb') ? readNotebook(input.text) : null;
  const src: SourceRead = nb ? (nb.ok ? { ok: true, text: nb.text, bom: false, notebook: nb.index } : nb) : input;
  if (!src.ok) {
    io.stderr(`mlflint: ${name}: ${src.reason}; skipped\n`);
    return 2;
  }
  const out = await run.handle(resolve(name), display(resolve(name)), src, false, io.stderr);
  if (!flags.fix || flags.diff) return null;
  // Like Ruff: the fixed source goes to stdout, the report to stderr (a notebook, unfixed, as it came).
  io.stdout(
    src.notebook && input.ok
      ? (input.bom ? '\ufeff' : '') + (out.fixed ?? input.text)
      : (src.bom ? '\ufeff' : '') + (out.fixed ?? src.text),
  );
  io.stderr(
    reporters.concise(
      [out.report].filter((f) => f.diagnostics.length),
      { color: false, frames: false, unsafeFixes: !!flags.unsafeFixes },
    ),
  );
  return out.report.diagnostics.length && !flags.exitZero ? 1 : 0;
}

/** The files under the paths, then those that import another file's receivers again; an exit code when the run ends here. */
async function lintPaths(run: CheckRun, paths: string[], threads: number | 'auto'): Promise<number | null> {
  const { flags, io } = run;
  // Excludes: the command line's, and for each directory those of the config file nearest to it.
  const excludesOf = new Map<Config, ConfigExcludes>();
  const excludesFor = (dir: string): ConfigExcludes | null => {
    const c = run.configFor(dir);
    if (!c) return null;
    let e = excludesOf.get(c);
    if (!e)
      excludesOf.set(
        c,
        (e = { base: c.dir, exclude: c.settings.exclude, 'extend-exclude': c.settings['extend-exclude'] }),
      );
    return e;
  };
  const { files: targets, unreadable } = discover(paths.length ? paths : ['.'], supportedExtensions(), {
    ...flags,
    configFor: excludesFor,
  });
  if (flags.showFiles) {
    io.stdout(
      targets
        .filter((t) => adapterFor(t))
        .map((t) => `${display(t)}\n`)
        .join(''),
    );
    return unreadable.length ? 2 : 0;
  }
  for (const u of unreadable) {
    io.stderr(`mlflint: ${display(u.dir)}: cannot read directory: ${u.reason}; skipped\n`);
    run.failed++;
  }
  if (threads !== 'auto' && threads > 1 && !flags.addNoqa) run.ctx.pool = new Pool(threads);
  // With `--threads auto`, the files to parse wait till every file is read, for their size to say
  // whether workers pay for themselves; each keeps its place in the messages.
  const waiting = threads === 'auto' && !flags.addNoqa ? new Waiting() : null;
  run.progress.total = targets.length;
  for (const abs of targets) {
    if (!adapterFor(abs)) {
      run.skip(`mlflint: ${display(abs)}: unsupported file type; skipped\n`);
      continue;
    }
    // Reports list files in the order they were found, whichever worker finishes first.
    run.files.set(abs, { path: display(abs), repoPath: relativeTo(run.root, abs), text: '', diagnostics: [] });
    const src = sourceFor(abs, 1, run.optionsOf(abs), flags, run.ctx);
    if (!src.ok) {
      run.files.delete(abs);
      run.skip(`mlflint: ${display(abs)}: ${src.reason}; skipped\n`);
      run.failed++;
      continue;
    }
    if (waiting && takesJob(abs, src, run.optionsOf(abs))) waiting.add(abs, src, run.stderr.slot());
    else await run.schedule(abs, src);
  }
  if (waiting) {
    const workers = UNDER_TSX ? 1 : autoWorkers(waiting.files.length, waiting.chars);
    if (workers > 1) run.ctx.pool = new Pool(workers);
    for (const w of waiting.files) await run.schedule(w.abs, w.src, w.slot);
  }
  await run.drain();
  await lowerWanted(run);
  run.deferred = [];
  run.progress.total = 0;
  // Files whose receivers come from another file of this run: linted again, now that all are known.
  if (run.importers.length && knowsReceivers(run.project)) {
    run.options.project = run.project;
    // In the order the files were found, however the first pass had them (workers, --threads auto).
    const order = new Map(targets.map((t, i) => [t, i]));
    run.importers.sort((a, b) => (order.get(a.abs) ?? 0) - (order.get(b.abs) ?? 0));
    for (const { abs, src, wants, heads } of run.importers) {
      if (wants && !offers(run.project, wants) && !flags.parseEverything) continue;
      if (heads !== undefined && !namesAHolder(heads, run.project) && !flags.parseEverything) continue;
      // With --fix the file is what the first pass wrote; a result of the first pass's cache is not this pass's.
      const now =
        flags.fix && !flags.diff
          ? readSource(abs)
          : src && !src.cached
            ? src
            : sourceFor(abs, 2, run.optionsOf(abs), flags, run.ctx);
      if (now.ok) await run.schedule(abs, now);
    }
    await run.drain();
  }
  return null;
}

/** Files of the first pass that are parsed, held till every file is read. */
class Waiting {
  readonly files: { abs: string; src: Source; slot: Slot }[] = [];
  chars = 0;
  add(abs: string, src: Source, slot: Slot): void {
    this.files.push({ abs, src, slot });
    this.chars += src.text.length;
  }
}

/**
 * `--threads auto`: workers for a run with enough to parse. Each worker loads the grammars and
 * compiles mlflint again (about 0.45 s of CPU). On two cores a single thread already keeps both
 * busy (V8 compiles and collects garbage on the other), so workers win only on a few MB of code
 * (measured: 1.7 MB of MLflow code, 1.45 s on one thread, 1.73 s on two workers; 5.4 MB, 6.0 s
 * against 5.2 s).
 */
export function autoWorkers(files: number, chars: number, cores = availableParallelism()): number {
  const byFiles = Math.floor(files / MIN_FILES_PER_WORKER);
  const byChars = cores <= 2 ? Math.floor(chars / CHARS_PER_WORKER_ON_TWO_CORES) : Infinity;
  const n = Math.min(cores, 8, byFiles, byChars);
  return n > 1 ? n : 1;
}
const CHARS_PER_WORKER_ON_TWO_CORES = 1_500_000;

/**
 * The files that call no tracking API were not lowered; those whose module or classes an importer
 * asked about are, now, for their receivers (and theirs in turn, for a chain of re-exports).
 */
async function lowerWanted(run: CheckRun): Promise<void> {
  const asked = { modules: new Set<string>(), classes: new Set<string>() };
  const seen = new Set<object>();
  for (let round = 0; round < 16 && run.deferred.length; round++) {
    for (const wants of [...run.importers.map((i) => i.wants), ...run.lowerAsked]) {
      if (!wants || seen.has(wants)) continue;
      seen.add(wants);
      for (const m of wants.modules) asked.modules.add(m);
      for (const c of wants.classes) asked.classes.add(c);
    }
    if (round === 0) namedBySkipped(run, asked);
    const defines = asked.classes.size
      ? new RegExp(`\\bclass\\s+(?:${[...asked.classes].map(wholeWord).join('|')})`)
      : null;
    const wanted = run.deferred.filter(
      (d) => asked.modules.has(receiverModuleKey(d.abs)) || !!defines?.test(d.src.text),
    );
    if (!wanted.length) return;
    run.deferred = run.deferred.filter((d) => !wanted.includes(d));
    for (const d of wanted) {
      run.forExports.add(d.abs);
      // A result the cache gave for the file is the deferred one: its source is had again, for these options.
      const src = d.src.cached ? sourceFor(d.abs, 3, run.optionsOf(d.abs), run.flags, run.ctx) : d.src;
      if (src.ok) await run.schedule(d.abs, src);
    }
    await run.drain();
  }
}

/**
 * A file the first pass skipped (it names no MLflow) may still use receivers a deferred file
 * holds: the deferred files' modules its imports could ask for, and their classes its imports
 * and class headers name, are asked about too, when it could call a tracking API.
 */
function namedBySkipped(run: CheckRun, asked: { modules: Set<string>; classes: Set<string> }): void {
  const modules = new Set<string>();
  const classes = new Set<string>();
  for (const d of run.deferred) {
    modules.add(receiverModuleKey(d.abs));
    for (const m of d.src.text.matchAll(/^[ \t]*class\s+([\p{XID_Start}_][\p{XID_Continue}]*)/gmu)) classes.add(m[1]);
  }
  if (!modules.size) return;
  const classWords = classes.size ? new RegExp([...classes].map(wholeWord).join('|'), 'g') : null;
  for (const i of run.importers) {
    if (i.wants) continue;
    let { heads, calls } = i;
    if (heads === undefined || calls === undefined) {
      const read = readSource(i.abs);
      if (!read.ok) continue;
      heads = importsAndBases(i.abs, read.text);
      calls = namesTrackingCall(read.text, run.optionsOf(i.abs).extraReceivers);
    }
    // Another file's receivers give a file a finding only through a tracking call of its own:
    // one that makes none (most of what imports a `utils` or a `dataclasses`) asks for nothing.
    if (!calls) continue;
    for (const name of modulesNamedBy(heads)) if (modules.has(name)) asked.modules.add(name);
    if (classWords) for (const m of heads.matchAll(classWords)) asked.classes.add(m[0]);
  }
}

/** Whether the run's receivers answer any lookup a file's resolution made. */
function offers(p: ProjectReceivers, wants: NonNullable<ReceiverExports['wants']>): boolean {
  return (
    wants.classes.some((c) => p.classes.has(c)) ||
    wants.modules.some((m) => Object.keys(p.modules.get(m) ?? {}).length > 0)
  );
}

function knowsReceivers(p: ProjectReceivers): boolean {
  return p.classes.size > 0 || [...p.modules.values()].some((names) => Object.keys(names).length > 0);
}
