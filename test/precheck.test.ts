// Files that name nothing a rule looks for are not parsed. Skipping must be sound: linting with
// and without it finds the same, on every fixture and example, across files of one run (receivers
// that reach a file from another), and with configured receivers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CheckFlags } from '../src/cli/check.js';
import { importsAndBases, lintText, mayHaveFindings, modulesNamedBy, namesTrackingCall } from '../src/index.js';
import { anyWordOf } from '../src/engine/any-of.js';
import { python } from '../src/languages/python/index.js';
import type { SourceModel } from '../src/model/types.js';
import { checkIn, exampleFiles, fixtureFiles, project } from './helpers.js';

const show = (path: string, text: string, parseEverything: boolean) =>
  lintText(path, text, { parseEverything }).diagnostics.map(
    (d) => `${d.code}@${d.range.start.line}:${d.range.start.column} ${d.message}`,
  );

/** A module that holds a client and calls no tracking API. */
const HOLDS_CLIENT = 'import mlflow\n\nclient = mlflow.tracking.MlflowClient()\n';
/** A file that names no MLflow and logs on every step through what `imports` brings in. */
const logsThrough = (imports: string, receiver = 'client') =>
  `${imports}\n\nfor step in range(100):\n    ${receiver}.log_metric("run", "loss", step)\n`;

/** `mlflint check --output-format json` in process, with or without skipping. */
async function run(dir: string, parseEverything: boolean, more: Partial<CheckFlags> = {}): Promise<string> {
  return (await checkIn(dir, { format: 'json', parseEverything, ...more })).stdout;
}

/** A project of `files`, and its findings (`path code`), which must be the same with skipping and without. */
async function sameEitherWay(files: Record<string, string>): Promise<{ dir: string; found: string[] }> {
  const dir = project(files);
  const skipping = await run(dir, false);
  assert.equal(skipping, await run(dir, true));
  return { dir, found: (JSON.parse(skipping) as { path: string; code: string }[]).map((f) => `${f.path} ${f.code}`) };
}

describe('anyWordOf: one factored pattern for many words', () => {
  it('matches what the plain alternation matches, at the same places, in any case', () => {
    const words = [
      'log_metric',
      'log_metrics',
      'logMetric',
      'log',
      'logger',
      'mlflow',
      'mlf1',
      'set_tag',
      'a.b',
      'x(y',
    ];
    const plain = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
    const factored = new RegExp(anyWordOf(words), 'gi');
    const texts = [
      'mlflow.log_metrics(x); LOGGER.info(); logmetric log_metri set_ta SET_TAG mlf12 a.b ab x(y',
      'nothing here',
      '',
      ...words.map((w) => `..${w}..`),
    ];
    for (const t of texts) {
      // Same start of every find; a word that is a prefix of another may end either way.
      const starts = (re: RegExp) => Array.from(t.matchAll(re), (m) => m.index);
      assert.deepEqual(starts(factored), starts(plain), t);
      assert.equal(new RegExp(factored.source, 'i').test(t), new RegExp(plain.source, 'i').test(t), t);
    }
  });
});

describe('skipping files that cannot have a finding', () => {
  it('finds the same in every fixture and example', () => {
    const files = [...fixtureFiles().map((f) => f.file), ...exampleFiles()];
    let skipped = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      assert.deepEqual(show(f, text, false), show(f, text, true), f);
      if (lintText(f, text).skipped) skipped++;
    }
    assert.ok(files.length > 40);
    // Fixtures are about MLflow: nearly none can be skipped, which is what makes this a test of soundness.
    assert.ok(skipped < files.length / 4, `${skipped} of ${files.length} skipped`);
  });

  it('skips what names nothing, and not what names MLflow in any of its forms', () => {
    const cases: [string, string, boolean][] = [
      ['plain.py', 'import torch\nfor x in loader:\n    log(x)\n', true],
      ['broken.py', 'def f(:\n', true],
      ['mod.py', 'import MLflow as m\n', false],
      ['client.py', 'from x import MlflowClient\n', false],
      ['lightning.py', 'for b in loader:\n    self.logger.experiment.log_metric(self.run_id, "k", 1)\n', false],
      ['noqa.py', 'x = 1  # noqa: MLF101\n', false],
      ['named.py', 'x = 1  # noqa: unbatched-params\n', false],
      ['off.py', '# mlflint: disable-file\n', false],
      ['rest.ts', 'await fetch(`${base}/api/2.0/mlflow/runs/log-metric`, { method: "POST" });\n', false],
      ['pkg.ts', "import Mlflow from 'mlflow-js';\n", false],
      // In Python, receivers count only in code: not in comments and docstrings (see code-text.ts).
      ['docstring.py', '"""Logs to MLflow."""\nimport torch\n', true],
      ['comment.py', 'import torch  # mlflow, later\n', true],
      ['example.py', 'def f():\n    """Example: self.logger.experiment.log_metric(k, v)"""\n', true],
      ['lazy.py', 'm = importlib.import_module("mlflow")\n', false],
      ['directive.py', '"""mlflow"""\nx = 1  # noqa: MLF101\n', false],
      ['unsure.py', 's = "never closed\n# mlflow\n', false],
      ['comment.ts', '// mlflow\nconst x = 1;\n', false],
    ];
    for (const [name, text, skip] of cases) assert.equal(!!lintText(name, text).skipped, skip, name);
    assert.equal(
      lintText('t.py', 'for b in loader:\n    tracker.log_metric("k", b)\n', { extraReceivers: { tracker: 'module' } })
        .skipped,
      undefined,
    );
    assert.equal(
      lintText('t.py', 'for b in loader:\n    tracker.log_metric("k", b)\n', {
        extraReceivers: { 'utils.tracker': 'module' },
      }).skipped,
      undefined,
    );
  });

  it('does not lower a file that names MLflow but calls no tracking API, and says so', () => {
    const cases: [string, string, boolean][] = [
      ['autolog.py', 'import mlflow\n\nmlflow.autolog()\n', true],
      ['client.py', 'from mlflow import MlflowClient\n\nclient = MlflowClient()\n', true],
      ['broken.py', 'import mlflow\n\ndef f(:\n', true],
      ['logs.py', 'import mlflow\n\nmlflow.log_metric("k", 1)\n', false],
      ['documented.py', 'import mlflow\n\ndef f():\n    """Calls mlflow.log_metric("k", 1)."""\n', true],
      ['camel.ts', "import Mlflow from 'mlflow-js';\n\nawait client.logBatch(runId, []);\n", false],
      ['rest.ts', 'await fetch(`${base}/api/2.0/mlflow/runs/set-tag`, { method: "POST" });\n', false],
      ['noqa.py', 'import mlflow\n\nx = 1  # noqa: MLF101\n', false],
      ['named.py', 'import mlflow\n\nx = 1  # noqa: unbatched-params\n', false],
    ];
    for (const [name, text, deferred] of cases) {
      const r = lintText(name, text);
      assert.equal(!!r.deferred, deferred, name);
      assert.equal(r.skipped, undefined, name);
      // Lowered all the same when another file wants its receivers, or when nothing is skipped.
      assert.equal(lintText(name, text, { exportsWanted: true }).deferred, undefined, name);
      assert.equal(lintText(name, text, { parseEverything: true }).deferred, undefined, name);
      // Nothing in a deferred file can have a finding: only MLF000, which is left to other tools.
      const mlf000 = (d: string) => d.startsWith('MLF000');
      if (deferred) assert.deepEqual(show(name, text, false), [], name);
      assert.deepEqual(
        show(name, text, false),
        show(name, text, true).filter((d) => !deferred || !mlf000(d)),
        name,
      );
    }
    assert.deepEqual(show('broken.py', 'import mlflow\n\ndef f(:\n', true), [
      "MLF000@3:6 SyntaxError: '(' was never closed",
    ]);
    // Once it is lowered for its receivers, its syntax is read too.
    assert.deepEqual(
      lintText('broken.py', 'import mlflow\n\ndef f(:\n', { exportsWanted: true }).diagnostics.map((d) => d.code),
      ['MLF000'],
    );
  });

  it('finds the same across the files of a run: receivers from another file, inherited ones, configured ones', async () => {
    const files = {
      'tracking.py': 'import mlflow\nfrom mlflow import MlflowClient\n\nclient = MlflowClient()\ntracker = mlflow\n',
      'base.py':
        'from mlflow import MlflowClient\n\nclass BaseTrainer:\n    def __init__(self):\n        self.client = MlflowClient()\n',
      // None of these three names MLflow: only the run's other files make them matter.
      'train.py':
        'from tracking import client, tracker\n\ndef fit(loader, run_id):\n    for step, batch in enumerate(loader):\n        client.log_metric(run_id, "loss", batch.loss, step=step)\n        tracker.log_param("lr", 0.1)\n',
      'sub.py':
        'from base import BaseTrainer\n\nclass Trainer(BaseTrainer):\n    def fit(self, loader, run_id):\n        for batch in loader:\n            self.client.log_metric(run_id, "loss", batch.loss)\n',
      'wrapped.py':
        'def fit(loader, run):\n    for batch in loader:\n        run.tracker.log_metric("loss", batch.loss)\n',
      'unrelated.py': 'import torch\n\nfor batch in loader:\n    print(batch)\n',
      'mlflint.toml': '[extra-receivers]\n"run.tracker" = "module"\n',
    };
    const { dir, found } = await sameEitherWay(files);
    for (const f of ['train.py MLF101', 'train.py MLF201', 'sub.py MLF101', 'wrapped.py MLF101'])
      assert.ok(found.includes(f), `${f} in ${found.join(', ')}`);
    // tracking.py and base.py call no tracking API: they are lowered only because train.py and
    // sub.py import their receivers.
    const log = (await checkIn(dir, { format: 'json', verbose: true, noCache: true, isolated: false })).stderr;
    assert.match(log, /linted: tracking\.py\n/);
    assert.match(log, /linted: base\.py\n/);
    assert.match(log, /not lowered \(names MLflow, calls no tracking API\)|0 not lowered/);
    // And the same with --fix: what is written does not depend on skipping.
    const fixed = async (parseEverything: boolean) => {
      const copy = project(files);
      await run(copy, parseEverything, { fix: true, unsafeFixes: true });
      return Object.keys(files).map((f) => readFileSync(join(copy, f), 'utf8'));
    };
    const [a, b] = [await fixed(false), await fixed(true)];
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, Object.values(files), 'the fixes changed something');
  });
  it('lints a file again only when the run holds receivers its resolution asked about', async () => {
    const files = {
      // A module of the run with no receiver: importing it must not hide the fallback binding.
      'helpers.py': 'def tidy(x):\n    return x\n',
      'fallback.py':
        'import mlflow\ntry:\n    import helpers as t\nexcept ImportError:\n    t = mlflow\n\nfor step in range(1000):\n    t.log_metric("loss", step)\n',
      'tracking.py': 'import mlflow\ntracker = mlflow\n',
      // Asks about `tracking` (which holds a receiver) and `helpers` (which holds none).
      'train.py':
        'import mlflow\nfrom tracking import tracker\nfrom helpers import tidy\n\nfor step in range(1000):\n    tracker.log_metric("loss", tidy(step))\n',
      // Its receiver comes from `helpers`, which holds none: linting it again could change nothing.
      'other.py':
        'import mlflow\nfrom helpers import tidy, lg\n\nfor step in range(1000):\n    lg.log_metric("loss", tidy(step))\n',
    };
    const { dir, found } = await sameEitherWay(files);
    for (const f of ['fallback.py MLF101', 'train.py MLF101'])
      assert.ok(found.includes(f), `${f} in ${found.join(', ')}`);
    assert.ok(!found.some((f) => f.startsWith('other.py')), found.join(', '));
    const log = (await checkIn(dir, { format: 'json', verbose: true, noCache: true })).stderr;
    assert.match(log, /linted: train\.py \(again/);
    assert.doesNotMatch(log, /other\.py \(again/);
  });

  it('tells a skipped file that names a tracking call, in the same pass as the words a finding needs', () => {
    const cases: [string, boolean, boolean][] = [
      ['import torch\n', false, false],
      ['wandb.log_metrics({"loss": 1})\n', false, true],
      ['self.log("k", v)  # not log_metric\n', false, true],
      // A word of the first kind after the tracking call's name is still found.
      ['tb.log_metric("k", 1)\nimport mlflow\n', true, true],
      ['import mlflow\n', true, false],
      ['import mlflow\nx.setTag("k", 1)\n', true, true],
    ];
    for (const [text, named, calls] of cases) {
      assert.equal(mayHaveFindings('t.py', text), named, text);
      assert.equal(namesTrackingCall(text), calls, text);
    }
  });

  it('lowers a module for its receivers only when a file that imports it could call a tracking API', async () => {
    const files = {
      // Name MLflow and call no tracking API: lowered only if an importer could use their receivers.
      'settings.py': 'import mlflow\n\nBACKENDS = ["mlflow", "wandb"]\ntracker = mlflow\n',
      'tracking.py': 'import mlflow\n\nclient = mlflow.tracking.MlflowClient()\n',
      // Names neither MLflow nor a tracking call: whatever `settings` holds, it can report nothing.
      'cli.py': 'from settings import BACKENDS, tracker\n\nprint(BACKENDS, tracker)\n',
      // Names no MLflow, but calls a tracking API on what `tracking` holds.
      'train.py':
        'from tracking import client\n\ndef fit(loader, run_id):\n    for step, b in enumerate(loader):\n        client.log_metric(run_id, "loss", b, step=step)\n',
    };
    const { dir, found } = await sameEitherWay(files);
    assert.deepEqual(found, ['train.py MLF101']);
    const log = (await checkIn(dir, { format: 'json', verbose: true, noCache: true })).stderr;
    assert.match(log, /linted: tracking\.py\n/);
    assert.match(log, /not lowered \(names MLflow, calls no tracking API\): settings\.py\n/);
  });

  it('looks again at a skipped file that imports a receiver only when it names a tracking call', async () => {
    const files = {
      'tracking.py': HOLDS_CLIENT,
      // Neither names MLflow: what they import holds a client. Only the second calls it; both are broken.
      'show.py': 'from tracking import client\n\nprint(client\n',
      'train.py': `${logsThrough('from tracking import client')}\nprint(\n`,
    };
    const dir = project(files);
    const found = (JSON.parse(await run(dir, false)) as { path: string; code: string }[]).map(
      (f) => `${f.path} ${f.code}`,
    );
    assert.deepEqual(found.sort(), ['train.py MLF000', 'train.py MLF101']);
    const log = (await checkIn(dir, { format: 'json', verbose: true, noCache: true })).stderr;
    assert.match(log, /linted: train\.py \(again/);
    assert.doesNotMatch(log, /show\.py \(again/);
  });

  it('a module named like one of the standard library is not the one an absolute import of it means', async () => {
    const files = {
      // Both name MLflow and call no tracking API: lowered only when an import could mean them.
      'pkg/dataclasses.py': HOLDS_CLIENT,
      'pkg/tracking.py': HOLDS_CLIENT,
      // Neither names MLflow; each calls a tracking API through what it imports.
      'stdlib.py': logsThrough('from dataclasses import client'),
      'own.py': logsThrough('from pkg.tracking import client'),
      // An import in a docstring is no import.
      'documented.py': logsThrough('"""Use it as:\n\n    from pkg.dataclasses import client\n"""'),
    };
    const { dir, found } = await sameEitherWay(files);
    assert.deepEqual(found.sort(), ['own.py MLF101']);
    const log = (await checkIn(dir, { format: 'json', verbose: true, noCache: true })).stderr;
    assert.match(log, /linted: pkg\/tracking\.py\n/);
    assert.match(log, /not lowered \(names MLflow, calls no tracking API\): pkg\/dataclasses\.py\n/);
    assert.doesNotMatch(log, /linted: pkg\/dataclasses\.py/);
    // Relative and package imports of it are the run's.
    for (const line of ['from .dataclasses import client', 'from pkg.dataclasses import client']) {
      const { found: again } = await sameEitherWay({
        ...files,
        'pkg/train.py': logsThrough(line),
      });
      assert.ok(again.includes('pkg/train.py MLF101'), `${line}: ${again.join(', ')}`);
    }
  });

  it('finds the same with and without shortcuts for every form an import can take', async () => {
    const T = HOLDS_CLIENT;
    const loop = logsThrough;
    const pkg = { 'pkg/__init__.py': '', 'pkg/helpers.py': 'x = 1\n', 'pkg/tracking.py': T };
    const sub = { 'pkg/__init__.py': '', 'pkg/sub/__init__.py': '', 'pkg/sub/tracking.py': T };
    // Each: a module that holds a client and calls no tracking API, a file that names no MLflow and
    // logs through what it imports (found by a review of the shortcuts).
    const cases: [string, Record<string, string>, string][] = [
      [
        'a standard-library import, then `;`',
        { 'tracking.py': T, 'train.py': loop('import os, sys; from tracking import client') },
        'train.py',
      ],
      [
        'a combining mark in a name',
        { 'x_मॉडल_y.py': T, 'train.py': loop('import x_मॉडल_y as tr', 'tr.client') },
        'train.py',
      ],
      [
        'old Mac line endings',
        { 'tracking.py': T, 'train.py': loop('import os\nfrom tracking import client').replace(/\n/g, '\r') },
        'train.py',
      ],
      ['a space before a dot', { 'path.py': T, 'train.py': loop('from os .path import client') }, 'train.py'],
      ['a space after a dot', { ...sub, 'train.py': loop('from pkg. sub.tracking import client') }, 'train.py'],
      [
        'a relative dot, then a space',
        { ...sub, 'pkg/train.py': loop('from . sub.tracking import client') },
        'pkg/train.py',
      ],
      [
        'a backslash, then a parenthesised list',
        { ...pkg, 'train.py': loop('from pkg import \\\n    (helpers,\n     tracking)', 'tracking.client') },
        'train.py',
      ],
      [
        '`)` in a comment in the list',
        {
          ...pkg,
          'train.py': loop('from pkg import (helpers,  # see f(x)\n                 tracking)', 'tracking.client'),
        },
        'train.py',
      ],
      ['a module named beyond ASCII', { 'café.py': T, 'train.py': loop('from café import client') }, 'train.py'],
      [
        'a receiver named beyond ASCII',
        {
          'tracking.py': 'import mlflow\nclé = mlflow.MlflowClient()\n',
          'train.py': loop('from tracking import clé', 'clé'),
        },
        'train.py',
      ],
      [
        'a package under a standard-library name',
        { 'code/__init__.py': '', 'code/tracking.py': T, 'train.py': loop('from code.tracking import client') },
        'train.py',
      ],
      [
        'a base class named beyond ASCII',
        {
          'base.py':
            'import mlflow\n\nclass Basé:\n    def __init__(self):\n        self.client = mlflow.MlflowClient()\n',
          'train.py':
            'import mlflow\nfrom base import *\n\nclass Mine(Basé):\n    def go(self):\n        for step in range(1000):\n            self.client.log_metric("run", "loss", step)\n',
        },
        'train.py',
      ],
    ];
    for (const [name, files, logs] of cases) {
      const { found } = await sameEitherWay(files);
      assert.ok(found.includes(`${logs} MLF101`), `${name}: ${found.join(', ')}`);
    }
  });
});

describe('modulesNamedBy: what import statements could ask another file for', () => {
  it('last segments and imported names, never a package on the path nor the standard library', () => {
    const cases: [string, string[]][] = [
      ['from a.b import c, d as e', ['b', 'c', 'd', 'e']],
      ['from a.b import (\n    c,\n    d,\n)', ['b', 'c', 'd']],
      ['from a . b \\\n    import c', ['b', 'c']],
      ['from . import tracking', ['tracking']],
      ['from .dataclasses import client', ['dataclasses', 'client']],
      ['from dataclasses import field', []],
      ['from os.path import join', ['path', 'join']],
      ['from code.tracking import client', ['tracking', 'client']],
      ['import os, sys; from tracking import client', ['tracking', 'client']],
      ['from pkg import (a,  # see f(x)\n    b)', ['pkg', 'a', 'b']],
      ['import a.b.c as d, e', ['c', 'd', 'e']],
      ['import dataclasses, json as j', []],
      ['import lightning_utilities.test.warning', ['warning']],
      ['from étape.suivi import client', ['suivi', 'client']],
    ];
    for (const [text, want] of cases)
      assert.deepEqual([...modulesNamedBy(importsAndBases('t.py', `${text}\n`))].sort(), want.sort(), text);
  });
});

describe('skipping expressions that cannot hold anything a rule reads', () => {
  const calls = (text: string, walkEverything = false): string[] =>
    (python.parse('t.py', text, { walkEverything }) as SourceModel).calls.map((c) => c.calleeText);

  it("records tracking calls, training steps and the file's own functions, not torch or print", () => {
    const text =
      'import mlflow\nimport torch\n\ndef helper(x):\n    return torch.relu(x)\n\nfor batch in loader:\n    out = torch.relu(model(batch["x"]))\n    loss.backward()\n    optimizer.step()\n    helper(out)\n    print(out.mean().item())\n    mlflow.log_metric("loss", loss.item())\n';
    assert.deepEqual(calls(text), ['loss.backward', 'optimizer.step', 'helper', 'mlflow.log_metric']);
    assert.ok(calls(text, true).length > 8);
    // Python names need not be ASCII.
    assert.deepEqual(
      calls('import mlflow\n\ndef étape(x):\n    return x\n\nfor b in loader:\n    étape(b)\n    torch.relu(b)\n'),
      ['étape'],
    );
  });

  it('walks everything again when a skipped name is bound to an API', () => {
    for (const text of [
      'import mlflow\nlm = mlflow.log_metric\nfor step in range(1000):\n    lm("loss", step)\n',
      'import mlflow\nfrom functools import partial\nlog = mlflow.log_metric\nfor step in range(1000):\n    log(key="loss", value=step)\n',
    ]) {
      const quick = lintText('a.py', text).diagnostics.map((d) => d.code);
      assert.deepEqual(
        quick,
        lintText('a.py', text, { parseEverything: true }).diagnostics.map((d) => d.code),
      );
      assert.ok(quick.includes('MLF101'), quick.join(', '));
    }
  });
});
