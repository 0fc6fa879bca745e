import { defineRule } from '../src/engine/define-rule.js';
import { definedInterval, loggingHelperSite } from '../src/model/intervals.js';
import { classifyLoop, stepContext } from '../src/model/loops.js';
import { displayName, isBatchedCall, logsMetrics } from '../src/model/mlflow.js';
import { dictLoopOf, innermostLoop, isChunkOfLoop, loopAt, loopHeader, statementRun } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF101',
  name: 'metric-in-tight-loop',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Metric logged on every step of a tight loop',
  query: 'call',
  settings: ['log-every', 'tight-loop-names'],
  docs: {
    what: 'Checks for metric logging calls (`log_metric`, `log_metrics`, `MlflowClient.log_batch` with metrics) that run on every iteration of a per-step loop (a loop over a data loader or batches, a loop that advances a step counter or calls `optimizer.step()`, a per-batch framework hook, or a helper called from one) and are not under a step-interval guard such as `if step % 100 == 0:`. Loops are judged from what their body does and what they iterate once wrappers such as `tqdm(..., desc=f"Epoch {epoch}")` are peeled off, never from the wrappers\' keyword arguments or strings; a test that gates the optimiser step (gradient accumulation) is not a guard.',
    why: 'Every metric call is one HTTP request to the tracking server and, on the server, a run lookup, an insert, a `latest_metrics` upsert and a commit. A training loop runs thousands of steps: logging on every one of them floods a shared tracking server and slows training down. Well-behaved integrations (Hugging Face `MLflowCallback`, Lightning `MLFlowLogger`) log every N steps instead. Async logging moves the requests to a thread but does not reduce their number.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nfor step, (x, y) in enumerate(train_loader):\n    loss = train_step(x, y)\n    mlflow.log_metric("loss", loss, step=step)\n',
      good: 'import mlflow\n\nfor step, (x, y) in enumerate(train_loader):\n    loss = train_step(x, y)\n    if step % 100 == 0:\n        mlflow.log_metric("loss", loss, step=step)\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nfor (let step = 0; step < steps; step++) {\n  await mlflow.logMetric(runId, 'loss', trainStep(), Date.now(), step);\n}\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nfor (let step = 0; step < steps; step++) {\n  const loss = trainStep();\n  if (step % 100 === 0) await mlflow.logMetric(runId, 'loss', loss, Date.now(), step);\n}\n",
    }],
    impact: 'One request per metric call per step; under `if step % N == 0` it is 1/N (N is `log-every`, default 100).',
    fixSafety: 'Unsafe: the fix wraps the logging statements in `if <step> % <interval> == 0:` using the loop\'s own step variable (an `enumerate` index, a `range` variable, or a counter the loop advances), so the run records a subset of the points it recorded before. The interval is one the code already has: the modulus of another step-interval guard on the same counter in the function, a parameter named like one (`log_interval`, `log_every`, `logging_steps`), such an attribute of a parameter or of `self` (`args.log_every`), or a module-level `LOG_EVERY`; else the configured `log-every` (default 100). When the call is made per step through a helper that does nothing but log, the guard goes around the helper\'s call in the loop (when its arguments compute nothing). Offered only when the loop has a step variable.',
  },
  fix: { safety: 'unsafe', title: 'Log every `log-every` steps' },
  check(ctx, call) {
    if (!logsMetrics(call)) return;
    // A batched call that sends one chunk of a larger batch per iteration is already the fix.
    const loop = innermostLoop(call);
    if (loop && isBatchedCall(call) && isChunkOfLoop(call, loop)) return;
    const sc = stepContext(call, ctx.options);
    if (!sc) return;
    // A dict loop that a hook or helper makes per-step is reported, more specifically, by
    // unbatched-metrics; inside a per-step loop of its own function it is both.
    if (dictLoopOf(call) && (sc.via.length > 0 || !sc.loop)) return;
    const where = sc.loop ? loopAt(sc.loop) : `the per-batch hook \`${sc.hook}\``;
    const via = sc.via.length ? ` through \`${sc.via.map((f) => f.name).join('` → `')}\`` : '';
    // The guard tests the loop's own step variable: around the call in the loop, or around the
    // call site of a helper that does nothing but log.
    const site = !sc.loop ? null : !sc.via.length ? (call.statement ? call : null) : loggingHelperSite(ctx.model, sc);
    const counter = site && sc.loop ? classifyLoop(sc.loop, ctx.options).counter : null;
    const calls = !counter || !site ? [] : site === call ? statementRun(ctx.model, call, (c) => logsMetrics(c) && stepContext(c, ctx.options)?.loop === sc.loop) : [site];
    // An interval the code already has (`log_interval`, another guard's modulus), else `log-every`.
    const defined = counter && sc.loop ? definedInterval(ctx.model, call, sc.loop, counter) : null;
    const every = defined ?? ctx.options.logEvery;
    const python = ctx.model.language === 'python';
    const test = (step: string, n: number | string): string => (python ? `if ${step} % ${n} == 0` : `if (${step} % ${n} === 0)`);
    const what = site && site !== call ? `the call of \`${sc.via[0].name}\`` : 'the logging';
    const numeric = /^\d+$/.test(String(every));
    const interval = numeric ? String(every) : `\`${every}\``;
    ctx.report(call, `\`${displayName(call)}\` runs on every step of ${where}${via}`, {
      fix: counter ? { safety: 'unsafe', message: `Log every ${interval} steps: wrap ${what} in \`${test(counter, every)}\``, intent: { kind: 'interval-guard', calls, counter, every } } : null,
      help: `Log every ${ctx.options.logEvery} steps, under a step-interval guard such as \`${test('step', ctx.options.logEvery)}\``,
      impact: { unit: 'step', per: 'step', now: 1, after: counter ? { perUnit: numeric ? 1 / Number(every) : null, once: 0, text: `1 per ${interval} steps` } : null },
      related: sc.loop ? [{ range: loopHeader(sc.loop), message: 'the per-step loop' }] : [],
    });
  },
});
