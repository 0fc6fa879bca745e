// `npm run bench [DIR...]`: throughput of mlflint against the floor (read + tree-sitter parse of
// every file in Node), on a generated corpus and on any directories given.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lintText } from '../../src/index.js';

const require = createRequire(import.meta.url);

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !/^(node_modules|\.git|\.venv|venv)$/.test(e.name)) pyFiles(p, out);
    else if (e.isFile() && p.endsWith('.py')) out.push(p);
  }
  return out;
}

/** A training-script-shaped corpus: loops, guards, helpers, classes, logging calls. */
function generate(files: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlflint-bench-'));
  for (let f = 0; f < files; f++) {
    const parts = ['import mlflow', 'from mlflow.tracking import MlflowClient', 'client = MlflowClient()', ''];
    for (let i = 0; i < 20; i++) {
      parts.push(
        `def helper_${i}(name, value, step):`, `    mlflow.log_metric(name, value, step=step)`, '',
        `class Trainer${i}:`, `    def __init__(self, args):`, `        self.args = args`, `        self.client = MlflowClient()`, '',
        `    def fit(self, train_loader, epochs):`,
        `        mlflow.log_param("lr_${i}", self.args.lr)`, `        mlflow.log_param("bs_${i}", self.args.bs)`,
        `        for epoch in range(epochs):`, `            for step, (x, y) in enumerate(train_loader):`,
        `                loss = self.model(x, y) + sum(v * 2 for v in range(3)) if x else {"k": [1, 2, 3]}`,
        `                if step % 100 == 0:`, `                    helper_${i}("loss", loss, step)`,
        `                mlflow.log_metric("raw", loss, step=step)`,
        `            mlflow.log_metrics({"epoch_loss": loss}, step=epoch)`,
        `            self.client.set_tag("run", "epoch", epoch)`, '',
      );
    }
    writeFileSync(join(dir, `train_${f}.py`), `${parts.join('\n')}\n`);
  }
  return dir;
}

async function measure(label: string, files: string[]): Promise<void> {
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  const Parser = require('tree-sitter');
  const parser = new Parser();
  parser.setLanguage(require('tree-sitter-python'));
  const time = async (fn: (t: string, i: number) => void): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i++) {
      fn(texts[i], i);
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    return performance.now() - t0;
  };
  await time((t) => parser.parse(t, undefined, { bufferSize: t.length * 2 + 1024 })); // warm-up
  const floor = await time((t) => parser.parse(t, undefined, { bufferSize: t.length * 2 + 1024 }));
  let findings = 0;
  const ours = await time((t, i) => {
    findings += lintText(files[i], t, { fixCheckParses: 1 }).diagnostics.length;
  });
  const mb = bytes / 1e6;
  console.log(`${label}: ${files.length} files, ${mb.toFixed(2)} MB, ${findings} findings`);
  console.log(`  floor (tree-sitter parse)  ${floor.toFixed(0).padStart(7)} ms  ${(mb / (floor / 1000)).toFixed(1)} MB/s`);
  console.log(`  mlflint (parse + lint)     ${ours.toFixed(0).padStart(7)} ms  ${(mb / (ours / 1000)).toFixed(1)} MB/s  ratio ${(ours / floor).toFixed(2)}x`);
}

/** One 5,000-line Python file through `mlflint check` and through `eslint` with the plugin (median of 5). */
function eslintVsCli(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mlflint-bench-eslint-'));
  const lines = ['import mlflow', ''];
  for (let i = 0; lines.length < 5000; i++) {
    lines.push(`def train_${i}(loader, optimizer):`, '    for step, batch in enumerate(loader):', '        loss = optimizer.step(batch)',
      '        if step % 100 == 0:', `            mlflow.log_metric("loss_${i}", loss, step=step)`, `    mlflow.set_tag("a_${i}", 1)`, `    mlflow.set_tag("b_${i}", 2)`, '');
  }
  writeFileSync(join(dir, 'big.py'), `${lines.join('\n')}\n`);
  const root = new URL('../..', import.meta.url).pathname;
  writeFileSync(join(dir, 'eslint.config.mjs'), `import mlflint from ${JSON.stringify(join(root, 'dist/src/eslint-plugin/index.js'))};\nexport default [...mlflint.configs.recommended];\n`);
  const time = (args: string[]): number => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, args, { cwd: dir });
      runs.push(performance.now() - t0);
    }
    return runs.sort((a, b) => a - b)[2];
  };
  const cli = time([join(root, 'dist/src/cli/index.js'), 'check', '--exit-zero', 'big.py']);
  const eslint = time([join(root, 'node_modules/eslint/bin/eslint.js'), 'big.py']);
  console.log(`one 5,000-line Python file: mlflint check ${cli.toFixed(0)} ms, eslint with the plugin ${eslint.toFixed(0)} ms (${(eslint / cli).toFixed(2)}x)`);
}

const dirs = process.argv.slice(2);
eslintVsCli();
const generated = generate(Number(process.env.BENCH_FILES ?? 200));
await measure('generated corpus', pyFiles(generated));
for (const d of dirs) {
  if (!statSync(d).isDirectory()) continue;
  await measure(d, pyFiles(d));
}
mkdirSync(generated, { recursive: true });
