// From the JSON of the Action's one mlflint run: the `findings` output and the job summary, a
// Markdown table per rule with links to the rules' docs.
import { appendFileSync, readFileSync } from 'node:fs';

const findings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `findings=${findings.length}\n`);

const cell = (s) => String(s).replace(/\|/g, '\\|');
const byRule = new Map();
for (const f of findings) {
  const r = byRule.get(f.code) ?? {
    code: f.code,
    rule: f.rule,
    url: f.url,
    severity: f.severity,
    count: 0,
    safe: 0,
    unsafe: 0,
    files: new Set(),
  };
  r.count++;
  if (f.fix?.safety === 'safe') r.safe++;
  else if (f.fix?.safety === 'unsafe') r.unsafe++;
  r.files.add(f.path);
  byRule.set(f.code, r);
}
const files = new Set(findings.map((f) => f.path));
const lines = ['### mlflint', ''];
if (!findings.length) lines.push('No findings.');
else {
  lines.push(
    `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}.`,
    '',
  );
  lines.push('| Rule | Severity | Findings | Files | Fixes |', '|---|---|--:|--:|---|');
  for (const r of [...byRule.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))) {
    const name = r.url ? `[${r.code} ${r.rule}](${r.url})` : `${r.code} ${r.rule}`;
    const fixes =
      [r.safe && `${r.safe} with \`--fix\``, r.unsafe && `${r.unsafe} with \`--unsafe-fixes\``]
        .filter(Boolean)
        .join(', ') || '-';
    lines.push(`| ${cell(name)} | ${r.severity} | ${r.count} | ${r.files.size} | ${fixes} |`);
  }
}
if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${lines.join('\n')}\n`);
