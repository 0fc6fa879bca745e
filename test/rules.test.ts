// rules × fixtures: every annotated line must be reported (Missing otherwise), nothing else may
// be (Noisy otherwise); valid files stay silent; the text report is snapshotted.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../src/index.js';
import { text as textReport } from '../src/reporters/text.js';
import { expectations, fixtureFiles, ROOT } from './helpers.js';

const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

function snapshotOf(path: string, source: string, diagnostics: ReturnType<typeof lintText>['diagnostics']): string {
  const report = textReport([{ path, text: source, diagnostics }], { color: false, frames: true });
  return `# mlflint snapshot of ${path}\n\n## Findings\n\n${report}`;
}

describe('rule fixtures', () => {
  for (const fx of fixtureFiles()) {
    const shown = relative(ROOT, fx.file).split('\\').join('/');
    it(`${shown} ${fx.kind === 'valid' ? 'stays silent' : 'reports exactly the annotated lines'}`, () => {
      const source = readFileSync(fx.file, 'utf8');
      const { diagnostics } = lintText(fx.file, source);
      const expected = fx.kind === 'invalid' ? expectations(source) : new Set<string>();
      const reported = new Map(diagnostics.map((d) => [`${d.range.start.line}:${d.rule}`, d.message]));
      const missing = [...expected].filter((k) => !reported.has(k)).map((k) => `Missing: line ${k.replace(':', ' ')}`);
      const noisy = [...reported].filter(([k]) => !expected.has(k)).map(([k, m]) => `Noisy: line ${k.replace(':', ' ')}: ${m}`);
      assert.deepEqual([...missing, ...noisy], [], `${shown}\n${[...missing, ...noisy].join('\n')}`);
      if (fx.kind === 'invalid') {
        assert.ok(expected.size > 0, `${shown} has no \`expect:\` annotations`);
        const snapFile = join(dirname(fx.file), '__snapshots__', `${fx.name}.snap`);
        const actual = snapshotOf(shown, source, diagnostics);
        if (UPDATE) {
          mkdirSync(dirname(snapFile), { recursive: true });
          writeFileSync(snapFile, actual);
        } else {
          assert.ok(existsSync(snapFile), `missing snapshot ${relative(ROOT, snapFile)} (run UPDATE_SNAPSHOTS=1 npm test)`);
          assert.equal(actual, readFileSync(snapFile, 'utf8'), `snapshot ${relative(ROOT, snapFile)} differs (run UPDATE_SNAPSHOTS=1 npm test to accept)`);
        }
      }
    });
  }
});
