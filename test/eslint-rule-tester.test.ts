// Every rule under ESLint's and typescript-eslint's RuleTesters, on the rule fixtures: an invalid
// fixture reports what its `expect:` annotations say (each annotated line, for that rule), with
// the column, message, fix and suggestions its snapshot records there; a valid fixture reports
// nothing. Nothing expected here comes from running mlflint: the annotations and snapshots are
// reviewed files, and rules.test.ts holds mlflint's own engine to the same ones. (The examples
// in the rule docs are meta.test.ts's to check.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { RuleTester as TsRuleTester } from '@typescript-eslint/rule-tester';
import { RuleTester as EslintRuleTester } from 'eslint';
import type { AnyRule } from '../src/engine/define-rule.js';
import plugin from '../src/eslint-plugin/index.js';
import { allRules } from '../src/index.js';
import {
  applySnapshotFixes,
  expectations,
  type FixtureFile,
  fixtureFiles,
  readSnapshot,
  type SnapshotFinding,
  snapshotFile,
} from './helpers.js';

TsRuleTester.afterAll = after;
TsRuleTester.describe = describe;
TsRuleTester.it = it;
TsRuleTester.itOnly = it.only;

type SnapshotFix = NonNullable<SnapshotFinding['fix']>;

/**
 * The text after one ESLint pass of these fixes. ESLint applies a fix whole, from its first edit
 * to its last, and leaves to the next pass any fix that overlaps or touches one it has taken. A
 * diff tells lines only, so a fix that starts on the line where the one taken before ends counts
 * as touching it; a run of inserted lines sits between the lines around it.
 */
function onePass(source: string, fixes: SnapshotFix[]): string {
  const spanOf = (f: SnapshotFix): [number, number] => {
    const ends = f.changes.flatMap((c) => (c.removed.length ? [c.at, c.at + c.removed.length - 1] : [c.at - 0.5]));
    return [Math.min(...ends), Math.max(...ends)];
  };
  const taken: SnapshotFix[] = [];
  let end = -Infinity;
  for (const { f, span } of fixes
    .map((f) => ({ f, span: spanOf(f) }))
    .sort((a, b) => a.span[0] - b.span[0] || a.span[1] - b.span[1])) {
    if (span[0] <= end) continue;
    taken.push(f);
    end = span[1];
  }
  return applySnapshotFixes(source, taken);
}

/** An invalid RuleTester case: the rule's annotated lines in the fixture, each as its snapshot records it. */
function invalidCase(rule: AnyRule, fx: FixtureFile) {
  const code = readFileSync(fx.file, 'utf8');
  const recorded = readSnapshot(snapshotFile(fx)).filter((f) => f.code === rule.code);
  const found = expectations(code)
    .filter((k) => k.endsWith(`:${rule.name}`))
    .map((k) => {
      const line = Number(k.split(':')[0]);
      const i = recorded.findIndex((f) => f.line === line);
      assert.ok(
        i >= 0,
        `${fx.shown}:${line} expects ${rule.name}, and its snapshot records none there (rules.test.ts says which is stale)`,
      );
      return recorded.splice(i, 1)[0];
    });
  assert.deepEqual(
    recorded.map((f) => f.line),
    [],
    `${fx.shown}: its snapshot records ${rule.name} on lines no annotation expects (rules.test.ts says which is stale)`,
  );
  const safe = found.flatMap((f) => (f.fix?.safety === 'safe' ? [f.fix] : []));
  return {
    name: fx.shown,
    code,
    filename: fx.name,
    errors: found.map((f) => {
      // The plugin's message is the text report's first line and its help, joined.
      const message = f.help ? `${f.message}. ${f.help}` : f.message;
      if (f.fix?.safety !== 'unsafe')
        return { messageId: 'finding' as const, data: { message }, line: f.line, column: f.column };
      // A fix's message is its finding's help (the text report prints it once, as the help).
      assert.ok(f.help, `${fx.shown}:${f.line}: an unsafe fix with no help to name it`);
      const suggestion = {
        messageId: 'fix' as const,
        data: { fix: f.help },
        output: applySnapshotFixes(code, [f.fix]),
      };
      return {
        messageId: 'finding' as const,
        data: { message },
        line: f.line,
        column: f.column,
        suggestions: [suggestion],
      };
    }),
    output: safe.length ? onePass(code, safe) : null,
  };
}

const fixtures = fixtureFiles();
const expects = (fx: FixtureFile, rule: string): boolean =>
  fx.kind === 'invalid' && expectations(readFileSync(fx.file, 'utf8')).some((k) => k.endsWith(`:${rule}`));
// typescript-eslint's parser stops at a syntax error before any rule runs, so a TypeScript or
// JavaScript fixture that expects one is for mlflint's own parser only.
const parsesForEslint = (fx: FixtureFile): boolean => fx.name.endsWith('.py') || !expects(fx, 'syntax-error');

const tsTester = new TsRuleTester();
const pyTester = new EslintRuleTester({ plugins: { mlflint: plugin }, language: 'mlflint/python' } as never);

for (const rule of allRules()) {
  const eslintRule = plugin.rules[rule.name];
  const valid = fixtures
    .filter((fx) => fx.rule === rule.name && fx.kind === 'valid')
    .map((fx) => ({ name: fx.shown, code: readFileSync(fx.file, 'utf8'), filename: fx.name }));
  // Any fixture that annotates the rule, in its own folder or another's.
  const invalid = fixtures
    .filter((fx) => expects(fx, rule.name) && parsesForEslint(fx))
    .map((fx) => invalidCase(rule, fx));
  const python = (c: { filename: string }) => c.filename.endsWith('.py');
  tsTester.run(`${rule.name} (typescript)`, eslintRule as never, {
    valid: valid.filter((c) => !python(c)),
    invalid: invalid.filter((c) => !python(c)),
  });
  describe(`${rule.name} (python)`, () => {
    it('RuleTester', () => {
      const cases = { valid: valid.filter(python), invalid: invalid.filter(python) };
      assert.ok(
        cases.valid.length > 0 && cases.invalid.length > 0,
        `${rule.name} has valid and annotated Python fixtures`,
      );
      pyTester.run(rule.name, eslintRule as never, cases);
    });
  });
}
