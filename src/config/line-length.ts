// The line length a project formats Python to, for laying out fixes (see languages/python/layout.ts):
// the nearest ruff.toml / .ruff.toml `line-length`, or pyproject.toml `[tool.ruff]` /
// `[tool.black]` `line-length`, as those tools find their own configuration. Memoised per directory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';

const byDir = new Map<string, number | null>();

function fromFile(file: string): number | null | undefined {
  if (!existsSync(file)) return undefined;
  let data: Record<string, unknown>;
  try {
    data = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // Not ours to judge: the formatter reports its own broken configuration.
    return undefined;
  }
  const tool = (data.tool ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const given = file.endsWith('pyproject.toml')
    ? (tool.ruff?.['line-length'] ?? tool.black?.['line-length'] ?? (tool.ruff || tool.black ? null : undefined))
    : (data['line-length'] ?? null);
  if (given === undefined || given === null) return given;
  return Number.isInteger(given) && (given as number) > 0 ? (given as number) : null;
}

/** Forget what was read: a long-lived process (the language server) whose configuration files changed. */
export function forgetLineLengths(): void {
  byDir.clear();
}

/** The formatter's line length for files in `dir`, or null when no formatter configuration says one. */
export function formatterLineLength(dir: string): number | null {
  const d = resolve(dir);
  const known = byDir.get(d);
  if (known !== undefined) return known;
  let found: number | null | undefined;
  for (const name of ['ruff.toml', '.ruff.toml', 'pyproject.toml']) {
    found = fromFile(join(d, name));
    if (found !== undefined) break;
  }
  const out = found !== undefined ? found : dirname(d) !== d ? formatterLineLength(dirname(d)) : null;
  byDir.set(d, out);
  return out;
}
