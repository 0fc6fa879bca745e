// The scaffolder (test/tools/new-rule.ts) in a copy of the rules: it writes a rule that loads and
// declares what the registry needs, its fixtures, and its place in the sorted registry.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { scaffold } from './tools/new-rule.js';
import { ROOT, scratch } from './helpers.js';
import type { AnyRule } from '../src/engine/define-rule.js';

describe('npm run new-rule', () => {
  const root = scratch('mlflint-new-rule-');
  cpSync(join(ROOT, 'rules'), join(root, 'rules'), { recursive: true });
  symlinkSync(join(ROOT, 'src'), join(root, 'src'));

  it('writes the rule, its fixtures and its registry entry, in code order', async () => {
    const made = scaffold(root, 'metric-in-nested-loop');
    assert.equal(made.code, 'MLF103');
    for (const f of [
      'rules/metric-in-nested-loop.ts',
      'fixtures/metric-in-nested-loop/invalid.py',
      'fixtures/metric-in-nested-loop/valid.ts',
    ])
      assert.ok(existsSync(join(root, f)), f);
    const { rules } = (await import(pathToFileURL(join(root, 'rules', 'index.ts')).href)) as { rules: AnyRule[] };
    const codes = rules.map((r) => r.code);
    assert.deepEqual(codes, [...codes].sort());
    const rule = rules.find((r) => r.name === 'metric-in-nested-loop');
    assert.equal(rule?.code, 'MLF103');
    assert.equal(codes.indexOf('MLF103'), codes.indexOf('MLF102') + 1);
  });

  it('refuses a name that exists, a taken code, and a name that is not kebab-case', () => {
    assert.throws(() => scaffold(root, 'param-in-loop'), /exists/);
    assert.throws(() => scaffold(root, 'param-in-while-loop', 'MLF201'), /taken by `param-in-loop`/);
    assert.throws(() => scaffold(root, 'Metric_Loop'), /not a rule name/);
    assert.throws(() => scaffold(root, 'slow-logging'), /cannot tell the group/);
    assert.match(
      readFileSync(join(root, 'fixtures', 'metric-in-nested-loop', 'invalid.py'), 'utf8'),
      /expect: metric-in-nested-loop/,
    );
  });
});
