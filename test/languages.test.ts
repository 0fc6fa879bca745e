// The Python adapter: receiver resolution, argument mapping, loops, guards, positions, bad syntax.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyLoop, stepContext } from '../src/model/loops.js';
import { parseFile } from '../src/index.js';

const model = (src: string) => parseFile('t.py', src);

/** `callee -> receiver` for every call in the snippet whose name looks like a logging API. */
function identities(src: string): string[] {
  return model(src)
    .calls.filter((c) => /^(log_|set_tag)/.test(c.name) || c.mlflow)
    .map((c) => `${c.calleeText} -> ${c.mlflow ? `${c.mlflow.receiver}:${c.mlflow.api}` : 'none'}`);
}

describe('python receiver resolution', () => {
  const cases: [string, string, string[]][] = [
    ['import mlflow', 'import mlflow\nmlflow.log_metric("a", 1)', ['mlflow.log_metric -> module:log_metric']],
    ['import mlflow as mf', 'import mlflow as mf\nmf.set_tag("a", 1)', ['mf.set_tag -> module:set_tag']],
    [
      'from mlflow import x as y',
      'from mlflow import log_metric as lm, log_param\nlm("a", 1)\nlog_param("b", 2)',
      ['lm -> alias:log_metric', 'log_param -> alias:log_param'],
    ],
    [
      'import inside a function',
      'def f():\n    import mlflow\n    mlflow.log_param("a", 1)\ndef g():\n    mlflow.log_param("a", 1)',
      ['mlflow.log_param -> module:log_param', 'mlflow.log_param -> module:log_param'],
    ],
    [
      'MlflowClient() bound to a local',
      'from mlflow.tracking import MlflowClient\ndef f():\n    c = MlflowClient()\n    c.log_metric("r", "a", 1)',
      ['c.log_metric -> client:log_metric'],
    ],
    [
      'mlflow.tracking.MlflowClient() global',
      'import mlflow\nclient = mlflow.tracking.MlflowClient()\ndef f():\n    client.log_batch("r", metrics=[])',
      ['client.log_batch -> client:log_batch'],
    ],
    [
      'mlflow.MlflowClient() on self',
      'import mlflow\nclass A:\n    def __init__(self):\n        self.client = mlflow.MlflowClient()\n    def go(self):\n        self.client.set_tag("r", "a", 1)',
      ['self.client.set_tag -> client:set_tag'],
    ],
    [
      'client or default',
      'import mlflow\nclass A:\n    def __init__(self, client=None):\n        self.client_ = client or mlflow.tracking.MlflowClient()\n    def go(self):\n        self.client_.log_param("r", "a", 1)',
      ['self.client_.log_param -> client:log_param'],
    ],
    [
      'property returning a client',
      'from mlflow.tracking import MlflowClient\nclass A:\n    def __init__(self):\n        self._c = MlflowClient()\n    @property\n    def experiment(self):\n        return self._c\n    def go(self):\n        self.experiment.log_artifact("r", "p")',
      ['self.experiment.log_artifact -> client:log_artifact'],
    ],
    [
      'annotated parameter',
      'from mlflow import MlflowClient\ndef f(client: MlflowClient):\n    client.log_metric("r", "a", 1)',
      ['client.log_metric -> client:log_metric'],
    ],
    [
      'module stored on an attribute',
      'class B:\n    def _init(self):\n        import mlflow\n        self._mlflow = mlflow\n    def go(self):\n        self._mlflow.log_params({})',
      ['self._mlflow.log_params -> module:log_params'],
    ],
    [
      'lazy import',
      'import importlib\nmlflow = importlib.import_module("mlflow")\nmlflow.log_text("t", "a.txt")',
      ['mlflow.log_text -> module:log_text'],
    ],
    [
      "a project's optional_import, unpacked",
      'from monai.utils import optional_import\nmlflow, has = optional_import("mlflow")\nmlflow.log_param("a", 1)',
      ['mlflow.log_param -> module:log_param'],
    ],
    [
      'LazyLoader',
      'ml = LazyLoader("mlflow", globals(), "mlflow")\nml.set_tag("a", 1)',
      ['ml.set_tag -> module:set_tag'],
    ],
    [
      'a function returning a client',
      'from mlflow import MlflowClient\ndef get_client():\n    return MlflowClient()\nget_client().set_tag("r", "a", 1)',
      ['get_client().set_tag -> client:set_tag'],
    ],
    [
      'Lightning MLFlowLogger().experiment',
      'from lightning.pytorch.loggers import MLFlowLogger\nlg = MLFlowLogger()\nlg.experiment.log_metric(lg.run_id, "a", 1)',
      ['lg.experiment.log_metric -> client:log_metric'],
    ],
    [
      'trainer.logger.experiment with a run id',
      'def on_fit_end(trainer):\n    trainer.logger.experiment.log_param(trainer.logger.run_id, "a", 1)',
      ['trainer.logger.experiment.log_param -> client:log_param'],
    ],
    [
      'self.logger.experiment with a Comet-shaped call',
      'class M:\n    def go(self):\n        self.logger.experiment.log_metric("a", 1)',
      ['self.logger.experiment.log_metric -> none'],
    ],
    ['mlflow never bound (notebook %run)', 'mlflow.set_tag("a", 1)', ['mlflow.set_tag -> module:set_tag']],
    [
      'comet decoy',
      'import comet_ml\nexperiment = comet_ml.Experiment()\nexperiment.log_metric("a", 1)',
      ['experiment.log_metric -> none'],
    ],
    [
      'dvclive decoy on self',
      'from dvclive import Live\nclass T:\n    def __init__(self):\n        self.live = Live()\n    def go(self):\n        self.live.log_metric("a", 1)',
      ['self.live.log_metric -> none'],
    ],
    [
      'own wrapper method',
      'import mlflow\nclass L:\n    def log_artifact(self, p):\n        mlflow.log_artifact(p)\n    def go(self):\n        self.log_artifact("x")',
      ['mlflow.log_artifact -> module:log_artifact', 'self.log_artifact -> none'],
    ],
    [
      'a project module named like mlflow',
      'import mlflow_utils\nmlflow_utils.log_dict({}, "a")',
      ['mlflow_utils.log_dict -> none'],
    ],
    [
      'local named mlflow that is not the module',
      'def f():\n    mlflow = make_logger()\n    mlflow.log_metric("a", 1)',
      ['mlflow.log_metric -> none'],
    ],
    [
      'parameter named mlflow without a module annotation',
      'def f(mlflow):\n    mlflow.log_metric("a", 1)',
      ['mlflow.log_metric -> none'],
    ],
    [
      'mlflow module passed as ModuleType',
      'from types import ModuleType\ndef f(mlflow: ModuleType):\n    mlflow.log_metric("a", 1)',
      ['mlflow.log_metric -> module:log_metric'],
    ],
    [
      'a def shadows an imported alias',
      'from mlflow import log_metric\ndef log_metric(k, v):\n    print(k, v)\nlog_metric("a", 1)',
      ['log_metric -> none'],
    ],
    // `log_model` is no tracking call and no rule reads it: the model does not record it at all.
    [
      'not a fluent API on the module',
      'import mlflow\nmlflow.sklearn.log_model(m, "model")\nmlflow.log_batch("r")',
      ['mlflow.log_batch -> none'],
    ],
  ];
  for (const [name, src, expected] of cases) {
    it(name, () => assert.deepEqual(identities(src), expected));
  }
});

describe('python argument mapping', () => {
  it('maps fluent and client positional orders by name', () => {
    const [fluent, client] = model(
      'import mlflow\nc = mlflow.MlflowClient()\nmlflow.log_metric("k", 1.5, 3)\nc.log_metric("run", "k", 1.5, 99, 3)',
    ).calls.filter((c) => c.mlflow);
    assert.equal(fluent.args.key.text, '"k"');
    assert.equal(fluent.args.step.text, '3');
    assert.equal(client.args.run_id.text, '"run"');
    assert.equal(client.args.timestamp.text, '99');
    assert.equal(client.args.step.text, '3');
  });

  it('keeps keyword arguments and literal values', () => {
    const [c] = model('import mlflow\nmlflow.log_param(value=1.0, key="lr")').calls;
    assert.deepEqual(c.args.key.literal, { kind: 'string', value: 'lr' });
    assert.deepEqual(c.args.value.literal, { kind: 'number', value: '1.0' });
  });
});

describe('python loops and guards', () => {
  const loopOf = (src: string) => {
    const m = model(src);
    const call = m.calls.find((c) => c.mlflow);
    assert.ok(call);
    return { call, loop: call.loops[call.loops.length - 1] };
  };

  const perStep: [string, string][] = [
    ['a data loader', 'for x, y in train_loader:\n    mlflow.log_metric("a", 1)'],
    ['enumerate(tqdm(loader))', 'for i, b in enumerate(tqdm(dl)):\n    mlflow.log_metric("a", 1)'],
    ['range(max_steps)', 'for step in range(args.max_steps):\n    mlflow.log_metric("a", 1)'],
    ['a while loop advancing global_step', 'while True:\n    global_step += 1\n    mlflow.log_metric("a", 1)'],
    ['an optimiser step', 'for i in range(n):\n    optimizer.step()\n    mlflow.log_metric("a", 1)'],
    ['an optimiser step outranks the iterable', 'for x in stuff:\n    loss.backward()\n    mlflow.log_metric("a", 1)'],
  ];
  for (const [name, body] of perStep) {
    it(`per-step: ${name}`, () => {
      const { loop } = loopOf(`import mlflow\n${body}\n`);
      assert.ok(classifyLoop(loop).perStep, name);
    });
  }

  const notPerStep: [string, string][] = [
    ['an epoch loop', 'for epoch in range(epochs):\n    train_one_epoch(model)\n    mlflow.log_metric("a", 1)'],
    [
      'full-batch training, one step per epoch',
      'for epoch in range(epochs):\n    optimizer.step()\n    mlflow.log_metric("a", 1)',
    ],
    ['phases', 'for phase in ["train", "val"]:\n    mlflow.log_metric("a", 1)'],
    ['folds', 'for fold, (tr, va) in enumerate(kf.split(X)):\n    mlflow.log_metric("a", 1)'],
    ['a dict replay named step', 'for step, v in history.items():\n    mlflow.log_metric("a", v, step=step)'],
    ['a queue consumer', 'while running:\n    item = q.get()\n    mlflow.log_metric("a", 1)'],
  ];
  for (const [name, body] of notPerStep) {
    it(`not per-step: ${name}`, () => {
      const { loop } = loopOf(`import mlflow\n${body}\n`);
      assert.equal(classifyLoop(loop).perStep, null, name);
    });
  }

  const guards: [string, string][] = [
    ['step % k == 0', 'if step % 10 == 0:'],
    ['(i + 1) % args.log_every == 0', 'if (step + 1) % args.log_every == 0:'],
    ['not step % 50', 'if not step % 50:'],
    ['combined with and', 'if step % self.logging_steps == 0 and rank == 0:'],
    ['combined with or', 'if step % 10 == 0 or last:'],
    ['nested inside another if', 'if rank == 0:\n        if step % 10 == 0:'],
    ['elif branch', 'if debug:\n        pass\n    elif step % 10 == 0:'],
  ];
  for (const [name, cond] of guards) {
    it(`guard: ${name}`, () => {
      const depth = cond.split('\n').length;
      const indent = '    '.repeat(depth + 1);
      const { call } = loopOf(
        `import mlflow\nfor step, b in enumerate(loader):\n    ${cond}\n${indent}mlflow.log_metric("a", 1)\n`,
      );
      assert.equal(stepContext(call), null, name);
    });
  }

  it('not a guard: gradient accumulation, string formatting, rank checks', () => {
    for (const cond of [
      'if (step + 1) % args.gradient_accumulation_steps == 0:',
      'if "%d" % step:',
      'if rank == 0 and args.log:',
    ]) {
      const { call } = loopOf(
        `import mlflow\nfor step, b in enumerate(loader):\n    ${cond}\n        mlflow.log_metric("a", 1)\n`,
      );
      assert.ok(stepContext(call), cond);
    }
  });

  it('a guard outside the per-step loop does not count', () => {
    const { call } = loopOf(
      'import mlflow\nif epoch % 5 == 0:\n    for b in loader:\n        mlflow.log_metric("a", 1)\n',
    );
    assert.ok(stepContext(call));
  });

  it('records enumerate indices and counters for fixes', () => {
    assert.equal(
      classifyLoop(loopOf('import mlflow\nfor i, b in enumerate(loader):\n    mlflow.log_metric("a", 1)').loop).counter,
      'i',
    );
    assert.equal(
      classifyLoop(loopOf('import mlflow\nwhile s < n:\n    mlflow.log_metric("a", 1)\n    global_step += 1').loop)
        .counter,
      'global_step',
    );
  });
});

describe('python positions and bad input', () => {
  it('counts columns in characters on lines with non-ASCII text', () => {
    const m = model('s = "日本語😀"; import mlflow; mlflow.set_tag("a", 1)\n');
    const call = m.calls.find((c) => c.mlflow);
    assert.ok(call);
    assert.equal(call.range.start.line, 1);
    assert.equal(call.range.start.column, 'ｓ = "日本語😀"; import mlflow; '.length);
    assert.equal(call.range.start.offset, 's = "日本語😀"; import mlflow; '.length);
  });

  it('reports syntax errors with a location and still lowers the recovered code', () => {
    const m = model('import mlflow\ndef f(:\n    pass\nmlflow.log_param("a", 1)\n');
    assert.ok(m.syntaxErrors.length >= 1);
    assert.equal(m.syntaxErrors[0].range.start.line, 2);
    assert.ok(m.calls.some((c) => c.mlflow?.api === 'log_param'));
  });

  it('survives deeply nested expressions and empty files', () => {
    const deep = `x = ${Array(30000).fill('1').join(' + ')}\ny = ${'('.repeat(2000)}1${')'.repeat(2000)}\n`;
    assert.equal(model(deep).calls.length, 0);
    assert.equal(model('').calls.length, 0);
  });
});
