// Paths as a run shows them: relative to the working directory, forward slashes.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** `abs` relative to `base` with forward slashes, or `abs` itself when it lies outside `base`. */
export function relativeTo(base: string, abs: string): string {
  // Most paths of a run are under the base: no need for path.relative's normalising.
  if (abs.length > base.length + 1 && abs.startsWith(base) && abs[base.length] === sep && !abs.includes(`${sep}.`)) {
    return sep === '/'
      ? abs.slice(base.length + 1)
      : abs
          .slice(base.length + 1)
          .split(sep)
          .join('/');
  }
  const rel = relative(base, abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(sep).join('/');
}

export const display = (abs: string): string => relativeTo(process.cwd(), abs);

/** The repository root: the nearest directory above the working directory with a `.git`. */
export function repoRoot(from = process.cwd()): string {
  for (let d = resolve(from); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return resolve(from);
  }
}
