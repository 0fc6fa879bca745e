// `mlflint.configs.project()`: the ESLint configs that say what the project's mlflint
// configuration says (the nearest pyproject.toml / mlflint.toml / package.json `mlflint`), so the
// editor and `mlflint check` agree: the selected rules, each at the CLI's severity (`error` as an
// ESLint error, `warning` and `info` as warnings, `off` off), the rules' settings, and
// per-file-ignores as rules turned off for those files.
import { relative } from 'node:path';
import { ConfigFinder, severities } from '../config/config.js';
import { registry, selectorMatches, SETTINGS, type SettingName, type SettingValues } from '../index.js';

type Level = 'error' | 'warn' | 'off';

export function projectConfigs(
  entries: { files: string[]; rules: Record<string, Level> }[],
  dir = process.cwd(),
): object[] {
  const config = new ConfigFinder().find(dir);
  const st = config?.settings ?? {};
  // As the CLI reads it: `off` leaves a rule out like `ignore` does.
  const { severity, off } = severities(st);
  const enabled = new Set(
    registry
      .select({ select: st.select, extendSelect: st['extend-select'], ignore: [...(st.ignore ?? []), ...off] })
      .map((r) => r.code),
  );
  const rules: Record<string, Level> = {};
  for (const r of registry.rules) {
    const level = severity[r.code] ?? r.severity;
    rules[`mlflint/${r.name}`] = !enabled.has(r.code) ? 'off' : level === 'error' ? 'error' : 'warn';
  }
  const settings: SettingValues = {};
  for (const key of Object.keys(SETTINGS) as SettingName[])
    if (st[key] !== undefined) Object.assign(settings, { [key]: st[key] });
  const out: object[] = entries.map((e) => ({ ...e, rules, settings: { mlflint: settings } }));
  // The config's globs are relative to its directory, gitignore-style (a bare `*_test.py` at any depth).
  const base = config ? relative(dir, config.dir).split('\\').join('/') : '';
  for (const [glob, codes] of Object.entries(st['per-file-ignores'] ?? {})) {
    const anchored = glob.replace(/\/$/, '').includes('/') ? glob.replace(/^\//, '') : `**/${glob}`;
    const off = Object.fromEntries(
      registry.rules
        .filter((r) => codes.some((c) => selectorMatches(c, r)))
        .map((r) => [`mlflint/${r.name}`, 'off' as const]),
    );
    out.push({
      name: `mlflint/per-file-ignores ${glob}`,
      files: [base ? `${base}/${anchored}` : anchored],
      rules: off,
    });
  }
  return out;
}
