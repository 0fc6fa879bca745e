// Formats for other CI systems: JSON Lines, JUnit XML, GitLab Code Quality.
import { sha256 } from '../hash.js';
import { locationText, onDisk } from './location.js';
import type { Severity } from '../engine/define-rule.js';
import { toJsonObjects } from './json.js';
import type { FileReport } from './types.js';

export function jsonLines(files: FileReport[], url?: (code: string) => string | undefined): string {
  return toJsonObjects(files, url)
    .map((o) => `${JSON.stringify(o)}\n`)
    .join('');
}

function xml(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 cannot carry most control characters, even escaped.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** One test suite per file, one failing test case per finding (like Ruff's `junit`). */
export function junit(files: FileReport[]): string {
  const total = files.reduce((n, f) => n + f.diagnostics.length, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlflint" tests="${Math.max(total, 1)}" failures="${total}" errors="0">`,
  ];
  const withFindings = files.filter((f) => f.diagnostics.length);
  if (!withFindings.length) {
    out.push(
      '  <testsuite name="mlflint" tests="1" failures="0" errors="0">',
      '    <testcase name="No findings" classname="mlflint"/>',
      '  </testsuite>',
    );
  }
  for (const f of withFindings) {
    out.push(
      `  <testsuite name="${xml(f.path)}" tests="${f.diagnostics.length}" failures="${f.diagnostics.length}" errors="0">`,
    );
    for (const d of f.diagnostics) {
      const at = locationText(f, d);
      out.push(
        `    <testcase name="mlflint.${d.code} ${xml(at)}" classname="${xml(f.path)}" file="${xml(f.path)}" line="${onDisk(f, d).line}">`,
        `      <failure message="${xml(d.message)}" type="${d.code}">${xml(`${at}: ${d.code} ${d.message}`)}</failure>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

const GITLAB_SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info' };

/** GitLab Code Quality report (a JSON array of issues with a stable fingerprint each). */
export function gitlab(files: FileReport[]): string {
  const issues: object[] = [];
  for (const f of files) {
    const path = f.repoPath ?? f.path;
    const seen = new Map<string, number>();
    for (const d of f.diagnostics) {
      const base = sha256(`${path}\0${d.code}\0${d.message}`);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      issues.push({
        description: `${d.code} ${d.message}`,
        check_name: `mlflint/${d.rule}`,
        fingerprint: sha256(`${base}:${n}`).slice(0, 32),
        severity: GITLAB_SEVERITY[d.severity],
        location: { path, lines: { begin: onDisk(f, d).line, end: onDisk(f, d).endLine } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
