// Every rule under ESLint's and typescript-eslint's RuleTesters, in both languages, from the
// examples in the rule docs: bad code reports (with the fix or suggestions mlflint computes for
// it), good code is valid.
import { after, describe, it } from 'node:test';
import { RuleTester as TsRuleTester } from '@typescript-eslint/rule-tester';
import { RuleTester as EslintRuleTester } from 'eslint';
import { applyFixesOnce } from '../src/engine/apply-fixes.js';
import plugin from '../src/eslint-plugin/index.js';
import { allRules, lintText } from '../src/index.js';
import { oneLine } from '../src/engine/words.js';

TsRuleTester.afterAll = after;
TsRuleTester.describe = describe;
TsRuleTester.it = it;
TsRuleTester.itOnly = it.only;

/** The errors, fixed output and suggestions mlflint itself gives for the code. */
function expected(ruleName: string, filename: string, code: string) {
  const ds = lintText(filename, code).diagnostics.filter((d) => d.rule === ruleName);
  const safe = ds.map((d) => d.fix).filter((f) => f?.safety === 'safe') as NonNullable<(typeof ds)[0]['fix']>[];
  return {
    errors: ds.map((d) => ({
      messageId: 'finding' as const,
      data: { message: oneLine(d) },
      line: d.range.start.line,
      column: d.range.start.column,
      ...(d.fix?.safety === 'unsafe'
        ? { suggestions: [{ messageId: 'fix' as const, data: { fix: d.fix.message }, output: applyFixesOnce(code, [d.fix]).text }] }
        : {}),
    })),
    output: safe.length ? applyFixesOnce(code, safe).text : null,
  };
}

const tsTester = new TsRuleTester();
const pyTester = new EslintRuleTester({ plugins: { mlflint: plugin }, language: 'mlflint/python' } as never);

for (const rule of allRules()) {
  const eslintRule = plugin.rules[rule.name];
  const ts = rule.docs.examples.filter((e) => e.lang === 'typescript');
  const py = rule.docs.examples.filter((e) => e.lang === 'python');
  tsTester.run(`${rule.name} (typescript)`, eslintRule as never, {
    valid: ts.map((e) => ({ code: e.good, filename: 'example.ts' })),
    invalid: rule.name === 'syntax-error' ? [] : ts.map((e) => ({ code: e.bad, filename: 'example.ts', ...expected(rule.name, 'example.ts', e.bad) })),
  });
  describe(`${rule.name} (python)`, () => {
    it('RuleTester', () => {
      pyTester.run(rule.name, eslintRule as never, {
        valid: py.map((e) => ({ code: e.good, filename: 'example.py' })),
        invalid: py.map((e) => ({ code: e.bad, filename: 'example.py', ...expected(rule.name, 'example.py', e.bad) })),
      });
    });
  });
}
