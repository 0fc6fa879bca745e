// The ESLint plugin: `import mlflint from "mlflint/eslint-plugin"`.
import { allRules } from '../index.js';
import { packageInfo as pkg } from '../package-info.js';
import { python } from './python-language.js';
import { projectConfigs } from './project-config.js';
import { toEslintRule } from './to-eslint-rule.js';

const rules = Object.fromEntries(allRules().map((r) => [r.name, toEslintRule(r)]));
// Every finding fails `mlflint check` (exit 1), whatever its severity: each fails `eslint` too.
const levels = Object.fromEntries(allRules().map((r) => [`mlflint/${r.name}`, 'error'])) as Record<string, 'error'>;

// Not annotated as ESLint.Plugin: the types of ESLint 10 and typescript-eslint disagree.
const plugin = {
  meta: { name: pkg.name, version: pkg.version },
  rules,
  languages: { python },
  configs: {} as Record<string, unknown>,
};

const scoped = () => [
  { name: 'mlflint/python', files: ['**/*.py', '**/*.pyi'], plugins: { mlflint: plugin }, language: 'mlflint/python' },
  { name: 'mlflint/typescript', files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'], plugins: { mlflint: plugin } },
];

plugin.configs.recommended = scoped().map((c) => ({ ...c, rules: levels }));

/**
 * The project's mlflint configuration as ESLint configs (see project-config.ts), in place of
 * `configs.recommended`: `import mlflint, { projectConfig } from 'mlflint/eslint-plugin'` and
 * `...projectConfig()`.
 */
export function projectConfig(dir?: string): object[] {
  return projectConfigs(
    scoped().map((c) => ({ ...c, rules: {} })),
    dir,
  );
}

export default plugin;
