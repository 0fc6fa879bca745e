// The TypeScript adapter: clean parses of TS-only syntax and JSX, and fixed fixtures that still
// type-check against declarations of the two clients (test/typescript/*.d.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixText, lintText, parseFile } from '../src/index.js';
import { fixtureFiles, FIXTURES, ROOT, scratch } from './helpers.js';

const require = createRequire(import.meta.url);

function typecheck(files: Record<string, string>): { status: number | null; out: string } {
  const dir = scratch('mlflint-tsc-');
  for (const d of readdirSync(join(ROOT, 'test', 'typescript')))
    copyFileSync(join(ROOT, 'test', 'typescript', d), join(dir, d));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
        experimentalDecorators: true,
      },
      include: ['*.ts'],
    }),
  );
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], {
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('typescript adapter', () => {
  it('parses TypeScript-only syntax (generics, decorators, satisfies, enums) and TSX without errors', () => {
    for (const f of ['syntax-error/valid.ts', 'metric-in-tight-loop/invalid_react.tsx']) {
      assert.deepEqual(parseFile(f, readFileSync(join(FIXTURES, f), 'utf8')).syntaxErrors, [], f);
    }
  });

  it('honours // noqa like # noqa', () => {
    const src =
      "import Mlflow from 'mlflow-js';\nconst m = new Mlflow('u');\nm.setTag(r, 'a', '1'); // noqa: MLF203\nm.setTag(r, 'b', '2');\nm.setTag(r, 'c', '3'); // noqa\nm.logParam(r, 'x', '1'); // noqa: unbatched-tags\nm.logParam(r, 'y', '2');\n";
    // The `unbatched-tags` code on line 6 silences nothing: MLF001 (a blanket noqa is never judged).
    assert.deepEqual(
      lintText('a.ts', src).diagnostics.map((d) => `${d.code}@${d.range.start.line}`),
      ['MLF202@6', 'MLF001@6'],
    );
  });

  it('merging calls keeps ESLint directives applying to the merged call, once each', () => {
    const src = [
      "import Mlflow from 'mlflow-js';",
      "const m = new Mlflow('u');",
      'export async function f(r: string): Promise<void> {',
      "  await m.setTag(r, 'a', '1'); // eslint-disable-line no-await-in-loop",
      '  // eslint-disable-next-line no-console',
      "  await m.setTag(r, 'b', '2'); /* the b tag */ // eslint-disable-line no-await-in-loop",
      '}',
      '',
    ].join('\n');
    assert.equal(
      fixText('a.ts', src).text,
      [
        "import Mlflow from 'mlflow-js';",
        "const m = new Mlflow('u');",
        'export async function f(r: string): Promise<void> {',
        '  // eslint-disable-next-line no-console',
        '  await m.logBatch(r, [], [], [ // eslint-disable-line no-await-in-loop',
        "    { key: 'a', value: '1' },",
        "    { key: 'b', value: '2' }, /* the b tag */",
        '  ]);',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('fixed fixtures still type-check against the client declarations', () => {
    const originals: Record<string, string> = {};
    const fixed: Record<string, string> = {};
    for (const fx of fixtureFiles()) {
      if (!fx.name.endsWith('.ts') || (fx.rule === 'syntax-error' && fx.kind === 'invalid')) continue;
      const source = readFileSync(fx.file, 'utf8');
      originals[`${fx.rule}-${fx.name}`] = source;
      fixed[`${fx.rule}-${fx.name}`] = fixText(fx.file, source, {}, true).text;
    }
    const before = typecheck(originals);
    assert.equal(before.status, 0, `the fixtures themselves must type-check:\n${before.out}`);
    const changed = Object.keys(fixed).filter((k) => fixed[k] !== originals[k]);
    assert.ok(changed.length >= 4, `only ${changed.length} TS fixtures changed when fixed`);
    const after = typecheck(fixed);
    assert.equal(after.status, 0, after.out);
  });
});
