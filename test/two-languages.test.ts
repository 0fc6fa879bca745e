// The same program written in Python and in TypeScript lowers to the same model facts: which
// calls are MLflow calls, which loops run per step / per epoch / per trial, which calls are
// guarded, grouped, in a dict loop or in a run of their own. A fact added for one language and
// not the other fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFile } from '../src/index.js';
import { backToBackGroups } from '../src/model/groups.js';
import { classifyLoop, inRunOpenedBy, stepContext } from '../src/model/loops.js';
import { dictLoopOf, runsOnceIn } from '../src/model/queries.js';
import type { SourceModel } from '../src/model/types.js';

const PY_HEAD = 'from mlflow import MlflowClient\nclient = MlflowClient()\n';
const TS_HEAD = "import Mlflow from 'mlflow-js';\nconst client = new Mlflow('http://localhost:5000');\n";

/** One line per MLflow call and per loop, in source order, with language-neutral names. */
function facts(m: SourceModel): string[] {
  const groups = new Map(backToBackGroups(m).flatMap((g) => g.calls.map((c) => [c, g.calls.length] as const)));
  const out: string[] = [];
  for (const loop of m.loops) {
    const v = classifyLoop(loop);
    out.push(
      `loop ${v.perStep ? 'per-step' : v.perEpoch ? 'per-epoch' : v.perTrial ? 'per-trial' : 'plain'}${v.counter ? ' counter' : ''}`,
    );
  }
  for (const c of m.calls) {
    if (!c.mlflow) continue;
    const loop = c.loops[c.loops.length - 1];
    const bits = [c.mlflow.api, stepContext(c) ? 'per-step' : 'not-per-step'];
    if (groups.has(c)) bits.push(`group of ${groups.get(c)}`);
    if (dictLoopOf(c)) bits.push('dict-loop');
    if (loop && inRunOpenedBy(loop, c)) bits.push('own-run');
    if (loop && runsOnceIn(c, loop)) bits.push('once');
    out.push(bits.join(' '));
  }
  return out;
}

interface Case {
  name: string;
  py: string;
  ts: string;
  expect: string[];
}

const CASES: Case[] = [
  {
    name: 'a loop over a data loader',
    py: 'for batch in train_loader:\n    client.log_metric(run_id, "loss", fit(batch))\n',
    ts: "for (const batch of trainLoader) {\n  await client.logMetric(runId, 'loss', fit(batch));\n}\n",
    expect: ['loop per-step', 'log_metric per-step'],
  },
  {
    name: 'an epoch loop',
    py: 'for epoch in range(num_epochs):\n    train_one_epoch()\n    client.log_metric(run_id, "loss", 1)\n',
    ts: "for (let epoch = 0; epoch < numEpochs; epoch++) {\n  trainOneEpoch();\n  await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-epoch counter', 'log_metric not-per-step'],
  },
  {
    name: 'a counted step loop, with the count spelt in either case',
    py: 'for step in range(num_steps):\n    client.log_metric(run_id, "loss", 1, step=step)\n',
    ts: "for (let step = 0; step < numSteps; step++) {\n  await client.logMetric(runId, 'loss', 1, Date.now(), step);\n}\n",
    expect: ['loop per-step counter', 'log_metric per-step'],
  },
  {
    name: 'a modulo guard',
    py: 'for step in range(num_steps):\n    if step % 10 == 0:\n        client.log_metric(run_id, "loss", 1)\n',
    ts: "for (let step = 0; step < numSteps; step++) {\n  if (step % 10 === 0) await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-step counter', 'log_metric not-per-step'],
  },
  {
    name: 'an interval flag',
    py: 'for step in range(num_steps):\n    log_now = step % 10 == 0\n    if log_now:\n        client.log_metric(run_id, "loss", 1)\n',
    ts: "for (let step = 0; step < numSteps; step++) {\n  const logNow = step % 10 === 0;\n  if (logNow) await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-step counter', 'log_metric not-per-step'],
  },
  {
    name: 'an early continue',
    py: 'for step in range(num_steps):\n    if step % 10:\n        continue\n    client.log_metric(run_id, "loss", 1)\n',
    ts: "for (let step = 0; step < numSteps; step++) {\n  if (step % 10) continue;\n  await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-step counter', 'log_metric not-per-step'],
  },
  {
    name: 'a buffer that flushes when full',
    py: 'for x in items:\n    buf.append(x)\n    if len(buf) >= 100:\n        client.log_batch(run_id, metrics=buf)\n',
    ts: 'for (const x of items) {\n  buf.push(x);\n  if (buf.length >= 100) await client.logBatch(runId, buf);\n}\n',
    expect: ['loop plain', 'log_batch not-per-step'],
  },
  {
    name: 'an elapsed-time test around per-batch logging',
    py: 'for batch in loader:\n    if time.time() - last > 10:\n        client.log_metric(run_id, "loss", 1)\n',
    ts: "for (const batch of loader) {\n  if (Date.now() - last > 10000) await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-step', 'log_metric not-per-step'],
  },
  {
    name: 'an optimiser step in the body outranks a neutral iterable',
    py: 'for x in things:\n    optimizer.step()\n    client.log_metric(run_id, "loss", 1)\n',
    ts: "for (const x of things) {\n  optimizer.step();\n  await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-step', 'log_metric per-step'],
  },
  {
    name: 'a while loop that advances a step counter',
    py: 'while running:\n    global_step += 1\n    client.log_metric(run_id, "loss", 1)\n',
    ts: "while (running) {\n  globalStep += 1;\n  await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-step counter', 'log_metric per-step'],
  },
  {
    name: 'a helper called from a per-step loop',
    py: 'def log_loss(v):\n    client.log_metric(run_id, "loss", v)\nfor batch in loader:\n    log_loss(fit(batch))\n',
    ts: "async function logLoss(v: number) {\n  await client.logMetric(runId, 'loss', v);\n}\nfor (const batch of loader) {\n  await logLoss(fit(batch));\n}\n",
    expect: ['loop per-step', 'log_metric per-step'],
  },
  {
    name: 'phases of a literal list',
    py: 'for phase in ["train", "val"]:\n    client.log_metric(run_id, phase, 1)\n',
    ts: "for (const phase of ['train', 'val']) {\n  await client.logMetric(runId, phase, 1);\n}\n",
    expect: ['loop plain', 'log_metric not-per-step'],
  },
  {
    name: 'a bound iterable',
    py: 'data = train_loader\nfor item in data:\n    client.log_metric(run_id, "loss", 1)\n',
    ts: "const data = trainLoader;\nfor (const item of data) {\n  await client.logMetric(runId, 'loss', 1);\n}\n",
    expect: ['loop per-step', 'log_metric per-step'],
  },
  {
    name: 'back-to-back calls',
    py: 'client.log_param(run_id, "lr", "0.1")\nclient.log_param(run_id, "wd", "0")\nclient.log_param(run_id, "bs", "32")\n',
    ts: "await client.logParam(runId, 'lr', '0.1');\nawait client.logParam(runId, 'wd', '0');\nawait client.logParam(runId, 'bs', '32');\n",
    expect: [
      'log_param not-per-step group of 3',
      'log_param not-per-step group of 3',
      'log_param not-per-step group of 3',
    ],
  },
  {
    name: 'a dict loop',
    py: 'for k in params:\n    client.log_param(run_id, k, params[k])\n',
    ts: 'for (const k in params) {\n  await client.logParam(runId, k, params[k]);\n}\n',
    expect: ['loop plain', 'log_param not-per-step dict-loop'],
  },
  {
    name: 'a loop over runs',
    py: 'for run in runs:\n    rid = run.info.run_id\n    client.set_tag(rid, "parent", parent)\n',
    ts: "for (const run of runs) {\n  const rid = run.info.run_id;\n  await client.setTag(rid, 'parent', parent);\n}\n",
    expect: ['loop per-trial', 'set_tag not-per-step own-run'],
  },
  {
    name: 'a call followed by break',
    py: 'for f in files:\n    if f == target:\n        client.log_artifact(run_id, f)\n        break\n',
    ts: 'for (const f of files) {\n  if (f === target) {\n    await client.logArtifact(runId, f);\n    break;\n  }\n}\n',
    expect: ['loop plain', 'log_artifact not-per-step once'],
  },
];

describe('the same program in Python and TypeScript', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const py = facts(parseFile('t.py', PY_HEAD + c.py));
      const ts = facts(parseFile('t.ts', TS_HEAD + c.ts));
      assert.deepEqual(py, c.expect, `Python\n${c.py}`);
      assert.deepEqual(ts, c.expect, `TypeScript\n${c.ts}`);
    });
  }
});
