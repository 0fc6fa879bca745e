// Results per file, so a run over an unchanged repository reads one index instead of parsing its
// files, or even reading them. One index per mlflint build in the cache directory, loaded once
// and written back atomically at the end of a run. Each entry holds what its result was computed
// under: the file's resolved settings, the receivers other files gave it, and its text (by hash).
// A file whose size, times and inode are the ones recorded is not read at all, as with ESLint's
// and Ruff's caches; one changed within two seconds of being recorded ("racy", as Git calls it:
// a second write in the same clock tick would not show) is read and compared by its hash.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256, shortHash } from '../hash.js';
import type { JobResult } from './job.js';

export const CACHE_DIR = '.mlflint_cache';

const sha = sha256;

/** How long after a write a file's times cannot tell a second write from the first. */
const RACY_MS = 2000;

interface Entry {
  /** Size, modification and change times, inode: the file as it was when read. */
  stat: string;
  /** Recorded so soon after the file changed that its times do not prove it unchanged. */
  racy: boolean;
  text: string;
  options: string;
  project: string;
  result: JobResult;
}

/** 1: every file; 2: again, with the run's receivers; 3: a deferred file, lowered for its receivers. */
export type Pass = 1 | 2 | 3;

export interface FileStat {
  key: string;
  /** The later of its modification and change times. */
  mtimeMs: number;
}

/** What a file looks like on disk, for the cache to tell whether it changed; null when it cannot be read. */
export function fileStat(abs: string): FileStat | null {
  try {
    const st = statSync(abs);
    return { key: `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`, mtimeMs: Math.max(st.mtimeMs, st.ctimeMs) };
  } catch {
    return null;
  }
}

export class ResultCache {
  private entries: Map<string, Entry> | null = null;
  private dirty = false;
  hits = 0;
  misses = 0;

  constructor(
    private readonly dir: string,
    private readonly version: string,
  ) {}

  private get index(): string {
    return join(this.dir, `index-${shortHash(this.version)}.json`);
  }

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    try {
      const raw = JSON.parse(readFileSync(this.index, 'utf8')) as { entries?: Record<string, Entry> };
      for (const [k, e] of Object.entries(raw.entries ?? {})) {
        if (e && typeof e.stat === 'string' && e.result && Array.isArray(e.result.diagnostics)) this.entries.set(k, e);
      }
    } catch {
      // No index yet, or a corrupt one (a disk that filled up, an edit by hand): rebuilt.
    }
    return this.entries;
  }

  /** The result recorded for the file, if its metadata proves it unchanged: the file need not be read. */
  byStat(abs: string, pass: Pass, stat: string, options: string, project: string): JobResult | null {
    const e = this.load().get(`${pass}\0${abs}`);
    if (e && !e.racy && e.stat === stat && e.options === options && e.project === project) {
      this.hits++;
      return e.result;
    }
    return null;
  }

  /** The result recorded for this text of the file (its metadata changed, or was too recent to trust). */
  byText(
    abs: string,
    pass: Pass,
    text: string,
    options: string,
    project: string,
    stat: FileStat | null,
  ): JobResult | null {
    const key = `${pass}\0${abs}`;
    const e = this.load().get(key);
    if (e && e.text === sha(text) && e.options === options && e.project === project) {
      this.hits++;
      if (stat && (e.stat !== stat.key || e.racy)) this.record(key, { ...e, stat: stat.key, racy: isRacy(stat) });
      return e.result;
    }
    this.misses++;
    return null;
  }

  set(
    abs: string,
    pass: Pass,
    text: string,
    options: string,
    project: string,
    stat: FileStat | null,
    result: JobResult,
  ): void {
    this.record(`${pass}\0${abs}`, {
      stat: stat?.key ?? '',
      racy: !stat || isRacy(stat),
      text: sha(text),
      options,
      project,
      result,
    });
  }

  private prune(): void {
    const own = basename(this.index);
    for (const f of readdirSync(this.dir)) {
      if (f === own || !/^index-[0-9a-f]+\.json(\.\d+\.\w+\.tmp)?$/.test(f)) continue;
      const p = join(this.dir, f);
      if (Date.now() - statSync(p).mtimeMs > STALE_MS) rmSync(p, { force: true });
    }
  }

  private record(key: string, e: Entry): void {
    this.load().set(key, e);
    this.dirty = true;
  }

  /** Write the index back, if anything changed: beside it, then renamed over it, so a killed run never leaves it torn. */
  save(): void {
    if (!this.dirty || !this.entries) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      // As Ruff's cache does: it ignores itself, and says it is a cache to backup tools.
      writeFileSync(join(this.dir, '.gitignore'), '# Automatically created by mlflint.\n*\n');
      writeFileSync(
        join(this.dir, 'CACHEDIR.TAG'),
        'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by mlflint.\n',
      );
      const tmp = `${this.index}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, JSON.stringify({ entries: Object.fromEntries(this.entries) }));
      renameSync(tmp, this.index);
      this.dirty = false;
      this.prune();
    } catch {
      // A cache that cannot be written (a read-only checkout) only makes the next run slower.
    }
  }
}

/** Other builds' indexes unused for a week (each build of mlflint has its own) are removed. */
const STALE_MS = 7 * 24 * 3600 * 1000;

function isRacy(stat: FileStat): boolean {
  return Date.now() - stat.mtimeMs < RACY_MS;
}

/** `mlflint clean`: remove the cache directory. */
export function removeCache(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    return true;
  } catch {
    return false;
  }
}

/** The run's receivers as a stable string, for the keys of the files linted with them. */
export function projectKey(
  project: { modules: Map<string, Record<string, string>>; classes: Map<string, Record<string, string>> } | undefined,
): string {
  if (!project) return '';
  const sorted = (m: Map<string, Record<string, string>>) =>
    [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, Object.entries(v).sort()]);
  return sha(JSON.stringify([sorted(project.modules), sorted(project.classes)]));
}
