import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CACHE_DIR, removeCache } from './cache.js';
import type { Io } from './flags.js';

/** `mlflint clean`: remove the cache directory of the working directory (or `--cache-dir`). */
export function cleanCache(dir: string | undefined, io: Io): number {
  const abs = resolve(dir ?? CACHE_DIR);
  if (!existsSync(abs)) return 0;
  if (!removeCache(abs)) {
    io.stderr(`mlflint: error: cannot remove ${dir ?? CACHE_DIR}\n`);
    return 2;
  }
  io.stderr(`Removed ${dir ?? CACHE_DIR}\n`);
  return 0;
}
