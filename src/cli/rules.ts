import { allRules, findRule, registry } from '../index.js';
import { renderRule } from '../docs/render-rule.js';
import type { Io } from './flags.js';

/** One rule, or (`id` null, `rule --all`) every rule. */
export function showRule(id: string | null, io: Io): number {
  if (id === null) {
    io.stdout(
      allRules()
        .map((r) => renderRule(r))
        .join('\n'),
    );
    return 0;
  }
  if (!id) {
    io.stderr('mlflint: error: name a rule, or use --all (see `mlflint rules`)\n');
    return 2;
  }
  const rule = findRule(id);
  if (!rule) {
    io.stderr(`mlflint: error: unknown rule \`${id}\`${registry.hint(id)}\n`);
    return 2;
  }
  io.stdout(renderRule(rule));
  return 0;
}

export function listRules(format: 'text' | 'json', io: Io): number {
  const rules = allRules();
  if (format === 'json') {
    io.stdout(
      `${JSON.stringify(
        rules.map((r) => ({
          code: r.code,
          name: r.name,
          severity: r.severity,
          summary: r.summary,
          languages: r.languages,
          fix: r.fix ? r.fix.safety : null,
        })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const w = Math.max(...rules.map((r) => r.name.length));
  io.stdout(`${rules.map((r) => `${r.code}  ${r.name.padEnd(w)}  ${r.summary}`).join('\n')}\n`);
  return 0;
}
