// The rule set keeps its shape: names match files, codes are unique and sorted, every rule is
// documented with examples that behave (and that its own fix makes clean), offers no fix safer
// than it declares, has fixtures, and the README table is fresh.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withGeneratedTable } from '../src/docs/readme-table.js';
import { allRules, fixText, lintText } from '../src/index.js';
import { EXT_BY_LANGUAGE, FIXTURES, ROOT } from './helpers.js';

const rules = allRules();
const EXAMPLE_FILE: Record<string, string> = { python: 'example.py', typescript: 'example.ts' };

describe('rule registry', () => {
  it('has one file per rule in rules/, named after the rule', async () => {
    const files = readdirSync(join(ROOT, 'rules'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .sort();
    assert.deepEqual(files, rules.map((r) => `${r.name}.ts`).sort());
    for (const f of files) {
      const mod = (await import(`../rules/${f.replace(/\.ts$/, '.js')}`)) as { default: { name: string } };
      assert.equal(`${mod.default.name}.ts`, f);
    }
  });

  it('has unique codes, sorted, in the MLFnnn scheme with kebab-case names', () => {
    const codes = rules.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    assert.deepEqual(codes, [...codes].sort());
    for (const r of rules) {
      assert.match(r.code, /^MLF\d{3}$/);
      assert.match(r.name, /^[a-z]+(-[a-z]+)*$/);
    }
  });
});

for (const rule of rules) {
  describe(`${rule.code} ${rule.name}`, () => {
    // The sections of `mlflint rule` are not checked: renderRule writes their headings whatever
    // the rule holds. What goes under them is.
    it("documents what it does, why it is bad, an example and its fix's safety", () => {
      assert.ok(rule.docs.what.length > 40, 'what');
      assert.ok(rule.docs.why.length > 40, 'why');
      assert.ok(rule.summary.length > 10, 'summary');
      assert.ok(rule.docs.examples.length > 0, 'examples');
      if (rule.fix) assert.ok(rule.docs.fixSafety, 'a rule with a fix documents its safety');
    });

    for (const lang of rule.languages) {
      it(`has a ${lang} example whose bad code fires only this rule and whose good code is clean`, () => {
        const ex = rule.docs.examples.find((e) => e.lang === lang);
        assert.ok(ex, `no ${lang} example`);
        const bad = lintText(EXAMPLE_FILE[lang], ex.bad).diagnostics;
        assert.ok(bad.length > 0, 'bad example fires nothing');
        assert.deepEqual([...new Set(bad.map((d) => d.rule))], [rule.name]);
        assert.deepEqual(
          lintText(EXAMPLE_FILE[lang], ex.good).diagnostics.map((d) => d.message),
          [],
        );
      });

      // Which checks apply follows from what the rule declares, so each is made only where it can
      // fail: a fix must be rendered only where one is declared, and held back only where the rule
      // declares its fix for other languages.
      const fix = rule.fix && (rule.fix.languages ?? rule.languages).includes(lang) ? rule.fix : null;
      const offeredOnExample = () => {
        const ex = rule.docs.examples.find((e) => e.lang === lang);
        assert.ok(ex, `no ${lang} example`);
        return {
          ex,
          offered: lintText(EXAMPLE_FILE[lang], ex.bad).diagnostics.filter((d) => d.rule === rule.name && d.fix),
        };
      };

      if (fix) {
        it(`has a ${lang} bad example that its own fix (at the declared safety) makes clean`, () => {
          const { ex, offered } = offeredOnExample();
          assert.ok(offered.length > 0, `${rule.name} declares a fix for ${lang} and offers none on its bad example`);
          const fixed = fixText(EXAMPLE_FILE[lang], ex.bad, {}, fix.safety === 'unsafe').text;
          assert.notEqual(fixed, ex.bad);
          assert.deepEqual(
            lintText(EXAMPLE_FILE[lang], fixed)
              .diagnostics.filter((d) => d.rule === rule.name)
              .map((d) => d.message),
            [],
          );
        });
      } else {
        it(`offers no fix on its ${lang} bad example (it declares none in ${lang})`, () => {
          assert.deepEqual(offeredOnExample().offered, [], 'a rule that declares no fix offers none');
        });
      }

      // Nothing is safer than safe: a rule that declares safe fixes cannot fail this.
      if (rule.fix?.safety !== 'safe')
        it(`never offers a ${lang} fix safer than it declares, on its fixtures`, () => {
          for (const ext of EXT_BY_LANGUAGE[lang]) {
            const file = join(FIXTURES, rule.name, `invalid${ext}`);
            for (const d of lintText(file, readFileSync(file, 'utf8')).diagnostics) {
              if (d.rule !== rule.name || !d.fix) continue;
              assert.ok(rule.fix, `${rule.name} declares no fix but offers one at line ${d.range.start.line}`);
              if (rule.fix.safety === 'unsafe')
                assert.equal(
                  d.fix.safety,
                  'unsafe',
                  `line ${d.range.start.line}: a safe fix from a rule that declares its fixes unsafe`,
                );
            }
          }
        });

      if (fix)
        it(`renders its fix in ${lang} on its fixtures, as it declares one there`, () => {
          const fixed = readdirSync(join(FIXTURES, rule.name))
            .filter((f) => f.startsWith('invalid') && EXT_BY_LANGUAGE[lang].some((e) => f.endsWith(e)))
            .flatMap(
              (f) =>
                lintText(join(FIXTURES, rule.name, f), readFileSync(join(FIXTURES, rule.name, f), 'utf8')).diagnostics,
            )
            .filter((d) => d.rule === rule.name && d.fix);
          assert.ok(
            fixed.length > 0,
            `${rule.name} declares a fix for ${lang} and renders none on its ${lang} fixtures`,
          );
        });

      if (rule.fix && !fix)
        it(`offers no ${lang} fix on its fixtures: it declares its fix for ${(rule.fix.languages ?? []).join(', ')} only`, () => {
          for (const ext of EXT_BY_LANGUAGE[lang]) {
            const file = join(FIXTURES, rule.name, `invalid${ext}`);
            assert.deepEqual(
              lintText(file, readFileSync(file, 'utf8')).diagnostics.filter((d) => d.rule === rule.name && d.fix),
              [],
            );
          }
        });

      it(`has ${lang} fixtures (invalid and valid)`, () => {
        for (const ext of EXT_BY_LANGUAGE[lang]) {
          for (const kind of ['invalid', 'valid']) {
            assert.ok(existsSync(join(FIXTURES, rule.name, `${kind}${ext}`)), `fixtures/${rule.name}/${kind}${ext}`);
          }
        }
      });
    }
  });
}

describe('fixture folders', () => {
  it('are all named after a registered rule', () => {
    const names = new Set(rules.map((r) => r.name));
    for (const d of readdirSync(FIXTURES)) assert.ok(names.has(d), `fixtures/${d} has no rule`);
  });
});

describe('README', () => {
  it('rules table matches the registry (run `npm run docs`)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.equal(readme, withGeneratedTable(readme, rules));
  });
});
