// Rule metadata → the text `mlflint rule <code>` prints (Ruff's sections).
import type { AnyRule } from '../engine/define-rule.js';
import { SETTINGS, settingsOf } from '../engine/settings.js';

const LANG_FENCE: Record<string, string> = { python: 'python', typescript: 'ts' };

export function renderRule(rule: AnyRule): string {
  const d = rule.docs;
  const out = [
    `# ${rule.name} (${rule.code})`,
    '',
    `Default severity: ${rule.severity}. Languages: ${rule.languages.join(', ')}.`,
    '',
  ];
  out.push('## What it does', d.what, '', '## Why is this bad?', d.why, '');
  for (const ex of d.examples) {
    const fence = LANG_FENCE[ex.lang] ?? ex.lang;
    out.push(
      '## Example',
      '```' + fence,
      ex.bad.trimEnd(),
      '```',
      '',
      'Use instead:',
      '```' + fence,
      ex.good.trimEnd(),
      '```',
      '',
    );
  }
  if (d.impact) out.push('## Requests', d.impact, '');
  const settings = settingsOf(rule);
  if (settings.length) out.push('## Settings', ...settings.map((s) => `- \`${s}\`: ${SETTINGS[s].summary}`), '');
  out.push('## Fix safety', rule.fix ? (d.fixSafety ?? '') : (d.fixSafety ?? 'This rule has no automatic fix.'), '');
  return out.join('\n');
}

export function ruleAnchor(rule: { code: string; name: string }): string {
  return `${rule.code.toLowerCase()}-${rule.name}`;
}
