// A deterministic synthetic corpus: Python and TypeScript training code, with and without MLflow,
// small files and 5,000-line ones. The same seed always writes the same files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pythonBlock(i: number, mlflow: boolean, r: () => number): string[] {
  const out = [
    `class Model${i}(nn.Module):`,
    `    def __init__(self, width=${16 + (i % 7)}):`,
    '        super().__init__()',
    `        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(${2 + (i % 3)})])`,
    '',
    '    def forward(self, x):',
    '        for layer in self.layers:',
    '            x = torch.relu(layer(x)) if x.dim() > 1 else layer(x)',
    '        return x',
    '',
    `def train_${i}(model, loader, optimizer, epochs=3, log_every=50):`,
    '    step = 0',
    '    for epoch in range(epochs):',
    '        for batch in tqdm(loader, desc=f"epoch {epoch}"):',
    '            optimizer.zero_grad()',
    '            loss = F.cross_entropy(model(batch["x"]), batch["y"])',
    '            loss.backward()',
    '            optimizer.step()',
    '            step += 1',
  ];
  if (mlflow) {
    out.push(
      r() < 0.5
        ? '            mlflow.log_metric("loss", loss.item(), step=step)'
        : '            if step % log_every == 0:\n                mlflow.log_metric("loss", loss.item(), step=step)',
    );
    out.push('        mlflow.log_metric("epoch_loss", loss.item(), step=epoch)');
    if (r() < 0.5) out.push('    mlflow.set_tag("stage", "done")', '    mlflow.set_tag("model", type(model).__name__)');
  } else out.push('            if step % log_every == 0:', '                print(f"step {step}: {loss.item():.4f}")');
  out.push('    return {k: v for k, v in model.state_dict().items() if not k.startswith("_")}', '', '');
  return out;
}

function tsBlock(i: number, mlflow: boolean, r: () => number): string[] {
  const out = [
    `export class Trainer${i} {`,
    '  private history: number[] = [];',
    `  constructor(private readonly width = ${8 + (i % 5)}) {}`,
    '',
    '  async fit(batches: { x: number[]; y: number }[], runId: string): Promise<number> {',
    '    let step = 0;',
    '    for (const batch of batches) {',
    '      const loss = batch.x.reduce((a, b) => a + b * this.width, 0) - batch.y;',
    '      this.history.push(loss);',
    '      step++;',
  ];
  if (mlflow)
    out.push(
      r() < 0.5
        ? "      await client.logMetric(runId, 'loss', loss, Date.now(), step);"
        : "      if (step % 100 === 0) await client.logMetric(runId, 'loss', loss, Date.now(), step);",
    );
  out.push('    }', '    return this.history.length ? this.history[this.history.length - 1] : 0;', '  }', '}', '');
  return out;
}

export interface CorpusSpec {
  /** Lines to write, about. */
  lines: number;
  /** Share of files that use MLflow. */
  mlflowShare: number;
  /** Share of TypeScript files. */
  tsShare: number;
  /** Share of files of 5,000 lines (the others are 50-400). */
  bigShare: number;
  seed: number;
}

/** Write the corpus under `dir`; returns files and lines written. */
export function writeCorpus(dir: string, spec: CorpusSpec): { files: number; lines: number } {
  const r = prng(spec.seed);
  let lines = 0;
  let files = 0;
  while (lines < spec.lines) {
    const ts = r() < spec.tsShare;
    const mlflow = r() < spec.mlflowShare;
    const target = r() < spec.bigShare ? 5000 : 50 + Math.floor(r() * 350);
    const out = ts
      ? [
          ...(mlflow
            ? ["import Mlflow from 'mlflow-js';", '', "const client = new Mlflow('http://localhost:5000');"]
            : ["import { readFileSync } from 'node:fs';"]),
          '',
        ]
      : [
          'import torch',
          'import torch.nn as nn',
          'import torch.nn.functional as F',
          'from tqdm import tqdm',
          ...(mlflow ? ['import mlflow'] : []),
          '',
          '',
        ];
    for (let i = 0; out.length < target; i++) out.push(...(ts ? tsBlock(i, mlflow, r) : pythonBlock(i, mlflow, r)));
    const sub = join(dir, `pkg${files % 20}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `m${files}.${ts ? 'ts' : 'py'}`), `${out.join('\n')}\n`);
    lines += out.join('\n').split('\n').length;
    files++;
  }
  return { files, lines };
}

/** One Python file of `lines` lines that uses MLflow throughout (for the linearity check). */
export function writeOneFile(path: string, lines: number, seed: number): void {
  const r = prng(seed);
  const out = [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from tqdm import tqdm',
    'import mlflow',
    '',
    '',
  ];
  for (let i = 0; out.length < lines; i++) out.push(...pythonBlock(i, true, r));
  writeFileSync(path, `${out.join('\n')}\n`);
}
