import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = join(ROOT, 'fixtures');
export const BIN = join(ROOT, 'dist', 'bin', 'mlflint.js');

export const EXT_BY_LANGUAGE: Record<string, string[]> = { python: ['.py'], typescript: ['.ts'] };

/** Every fixture file: fixtures/<rule>/<valid|invalid>.<ext>. */
export function fixtureFiles(): { rule: string; kind: 'valid' | 'invalid'; file: string; name: string }[] {
  const out: { rule: string; kind: 'valid' | 'invalid'; file: string; name: string }[] = [];
  for (const rule of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, rule);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const m = /^(valid|invalid)(_[a-z]+)*\.[a-z]+$/.exec(name);
      if (m) out.push({ rule, kind: m[1] as 'valid' | 'invalid', file: join(dir, name), name });
    }
  }
  return out;
}

/** `# expect: <rule>` / `// expect: <rule>` annotations: the set of "line:rule". */
export function expectations(text: string): Set<string> {
  const out = new Set<string>();
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/expect:\s*([a-z-]+)/g)) out.add(`${i + 1}:${m[1]}`);
  });
  return out;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built binary as a subprocess (colours off unless the env says otherwise). */
export function mlflint(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT, input: opts.input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch directory holding the given files. */
export function project(files: Record<string, string | Buffer>, prefix = 'mlflint-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** `path:line:col: CODE` of each finding line in a text or concise report. */
export function findingPlaces(r: { stdout: string }): string[] {
  return r.stdout.trim().split('\n').filter((l) => / MLF\d+ /.test(l)).map((l) => l.split(' ').slice(0, 2).join(' '));
}

/**
 * `skip` for a test that needs an external tool: false when `cmd` runs; outside CI, why it is
 * skipped; in CI (where .ci/run installs the tool) a missing tool is an error, never a skip.
 */
export function needs(cmd: string, why: string): false | string {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  if (!r.error && r.status === 0) return false;
  const reason = `${cmd} is not installed: ${why}`;
  if (process.env.CI) throw new Error(reason);
  return reason;
}
