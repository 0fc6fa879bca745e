// Results per file, so a run over an unchanged repository reads files instead of parsing them.
// One entry per linted path (so the cache stays as big as the repository), holding the key it
// was computed under: mlflint's version, the file's resolved settings, the receivers other files
// gave it, and its text. Entries are written atomically; one that cannot be read is rebuilt.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobResult } from './job.js';

export const CACHE_DIR = '.mlflint_cache';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

export class ResultCache {
  private ready = false;
  hits = 0;
  misses = 0;

  constructor(private readonly dir: string, private readonly version: string) {}

  /** The key of one file's result: everything the result depends on. */
  key(abs: string, text: string, options: unknown, project: string): string {
    return sha(`${this.version}\0${abs}\0${JSON.stringify(options)}\0${project}\0${text}`);
  }

  private entry(abs: string, pass: 1 | 2): string {
    const name = sha(`${abs}\0${pass}`);
    return join(this.dir, name.slice(0, 2), `${name}.json`);
  }

  get(abs: string, pass: 1 | 2, key: string): JobResult | null {
    let raw: string;
    try {
      raw = readFileSync(this.entry(abs, pass), 'utf8');
    } catch {
      this.misses++;
      return null;
    }
    try {
      const e = JSON.parse(raw) as { key: string; result: JobResult };
      if (e.key === key && e.result && Array.isArray(e.result.diagnostics)) {
        this.hits++;
        return e.result;
      }
    } catch {
      // A corrupt entry (a disk that filled up, an edit by hand) is rebuilt.
    }
    this.misses++;
    return null;
  }

  set(abs: string, pass: 1 | 2, key: string, result: JobResult): void {
    try {
      this.init();
      const file = this.entry(abs, pass);
      mkdirSync(join(file, '..'), { recursive: true });
      // Written beside, then renamed over: a run killed mid-write leaves a stray temporary file, never a torn entry.
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, JSON.stringify({ key, result }));
      renameSync(tmp, file);
    } catch {
      // A cache that cannot be written (a read-only checkout) only makes the next run slower.
    }
  }

  private init(): void {
    if (this.ready) return;
    mkdirSync(this.dir, { recursive: true });
    // As Ruff's cache does: it ignores itself, and says it is a cache to backup tools.
    writeFileSync(join(this.dir, '.gitignore'), '# Automatically created by mlflint.\n*\n');
    writeFileSync(join(this.dir, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by mlflint.\n');
    this.ready = true;
  }
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
export function projectKey(project: { modules: Map<string, Record<string, string>>; classes: Map<string, Record<string, string>> } | undefined): string {
  if (!project) return '';
  const sorted = (m: Map<string, Record<string, string>>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, Object.entries(v).sort()]);
  return sha(JSON.stringify([sorted(project.modules), sorted(project.classes)]));
}
