// Fixes never break a file: 5,000 seeded mutations of the fixtures and examples (comments with
// brackets and quotes, `\` continuations, `;` joins, one-line bodies, tabs, CRLF/CR, BOM,
// truncation, docstrings, `__future__` and aliased imports) through the built `mlflint check
// --fix --unsafe-fixes` and through `eslint --fix`, judged by CPython's compile() and pyflakes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oraclePython, runFuzz } from './fuzz/run.js';

const COUNT = Number(process.env.MLFLINT_FUZZ_COUNT ?? 5000);
const SEED = Number(process.env.MLFLINT_FUZZ_SEED ?? 20261202);

describe('fuzzed fixes', () => {
  const python = oraclePython();
  const why = 'python3 with pyflakes is needed (Debian: pyflakes3; .ci/run installs it)';
  if (!python && process.env.CI) throw new Error(why);

  it(
    `${COUNT} mutated files: no crash, none broken, no new undefined name, no mixed line endings, idempotent`,
    { skip: python ? false : why },
    async () => {
      const r = await runFuzz(COUNT, SEED, python as string);
      const named = (xs: string[]) =>
        xs
          .slice(0, 5)
          .map((n) => `${n} [${r.variants.get(n)?.applied.join(',')}]`)
          .join('; ');
      assert.equal(r.files, COUNT);
      // Enough of the mutations keep the file compiling, and fixing changes enough of them, to test anything.
      assert.ok(r.compiled > COUNT * 0.7, `only ${r.compiled} of ${COUNT} variants compile`);
      assert.ok(r.changed.check > COUNT * 0.4 && r.changed.eslint > COUNT * 0.25, JSON.stringify(r.changed));
      assert.deepEqual(r.crashes, []);
      for (const pipeline of ['check', 'eslint']) {
        assert.deepEqual(
          r.broken[pipeline].map(([n, e]) => `${n}: ${e}`),
          [],
          `${pipeline} broke files that compiled`,
        );
        assert.deepEqual(
          r.undefined[pipeline].map(([n, names]) => `${n}: ${names.join(',')}`),
          [],
          `${pipeline} left undefined names`,
        );
        assert.equal(r.mixed[pipeline].length, 0, `${pipeline} mixed line endings: ${named(r.mixed[pipeline])}`);
      }
      assert.equal(r.notIdempotent.length, 0, `a second --fix still changes: ${named(r.notIdempotent)}`);
      // MLF000 never fires on a file CPython compiles.
      assert.equal(r.syntaxFalseAlarms.length, 0, named(r.syntaxFalseAlarms));
      // Fixes the check had to withhold are renderer bugs; a few per thousand are tolerated, not more.
      assert.ok(
        r.withheld.length <= r.fixes * 0.002,
        `${r.withheld.length} of ${r.fixes} fixes withheld: ${named(r.withheld)}`,
      );
    },
  );
});
