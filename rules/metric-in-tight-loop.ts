import { code, defineRule, prose } from '../src/engine/define-rule.js';
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
    what: prose`
      Checks for metric logging calls (\`log_metric\`, \`log_metrics\`, \`MlflowClient.log_batch\`
      with metrics) that run on every iteration of a per-step loop (a loop over a data loader or
      batches, a loop that advances a step counter or calls \`optimizer.step()\`, a per-batch
      framework hook, or a helper called from one) and are not under a step-interval guard such as
      \`if step % 100 == 0:\`. Loops are judged from what their body does and what they iterate once
      wrappers such as \`tqdm(..., desc=f"Epoch {epoch}")\` are peeled off, never from the wrappers'
      keyword arguments or strings; a test that gates the optimiser step (gradient accumulation) is
      not a guard.
    `,
    why: prose`
      Every metric call is one HTTP request to the tracking server and, on the server, a run lookup,
      an insert, a \`latest_metrics\` upsert and a commit. A training loop runs thousands of steps:
      logging on every one of them floods a shared tracking server and slows training down.
      Well-behaved integrations (Hugging Face \`MLflowCallback\`, Lightning \`MLFlowLogger\`) log
      every N steps instead. Async logging moves the requests to a thread but does not reduce their
      number.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          for step, (x, y) in enumerate(train_loader):
              loss = train_step(x, y)
              mlflow.log_metric("loss", loss, step=step)
        `,
        good: code`
          import mlflow

          for step, (x, y) in enumerate(train_loader):
              loss = train_step(x, y)
              if step % 100 == 0:
                  mlflow.log_metric("loss", loss, step=step)
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          for (let step = 0; step < steps; step++) {
            await mlflow.logMetric(runId, 'loss', trainStep(), Date.now(), step);
          }
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          for (let step = 0; step < steps; step++) {
            const loss = trainStep();
            if (step % 100 === 0) await mlflow.logMetric(runId, 'loss', loss, Date.now(), step);
          }
        `,
      },
    ],
    impact: prose`
      One request per metric call per step; under \`if step % N == 0\` it is 1/N (N is
      \`log-every\`, default 100).
    `,
    fixSafety: prose`
      Unsafe: the fix wraps the logging statements in \`if <step> % <interval> == 0:\` using the
      loop's own step variable (an \`enumerate\` index, a \`range\` variable, or a counter the loop
      advances), so the run records a subset of the points it recorded before. The interval is one
      the code already has: the modulus of another step-interval guard on the same counter in the
      function, a parameter named like one (\`log_interval\`, \`log_every\`, \`logging_steps\`),
      such an attribute of a parameter or of \`self\` (\`args.log_every\`), or a module-level
      \`LOG_EVERY\`; else the configured \`log-every\` (default 100). When the call is made per step
      through a helper that does nothing but log, the guard goes around the helper's call in the
      loop (when its arguments compute nothing). Offered only when the loop has a step variable.
    `,
  },
  run(ctx, call) {
    if (!logsMetrics(call)) return null;
    // A batched call that sends one chunk of a larger batch per iteration is already the fix.
    const loop = innermostLoop(call);
    if (loop && isBatchedCall(call) && isChunkOfLoop(call, loop)) return null;
    const step = stepContext(call, ctx.options);
    if (!step) return null;
    // The guard tests the loop's own step variable: around the call in the loop, or around the
    // call site of a helper that does nothing but log.
    const site = !step.loop
      ? null
      : !step.via.length
        ? call.statement
          ? call
          : null
        : loggingHelperSite(ctx.model, step);
    const counter = site && step.loop ? classifyLoop(step.loop, ctx.options).counter : null;
    const guarded =
      !counter || !site
        ? []
        : site === call
          ? statementRun(ctx.model, call, (c) => logsMetrics(c) && stepContext(c, ctx.options)?.loop === step.loop)
          : [site];
    // An interval the code already has (`log_interval`, another guard's modulus), else `log-every`.
    const every =
      (counter && step.loop ? definedInterval(ctx.model, call, step.loop, counter) : null) ?? ctx.options.logEvery;
    return {
      at: call,
      step,
      dictLoop: !!dictLoopOf(call),
      counter,
      guarded,
      every,
      viaHelper: !!site && site !== call,
      python: ctx.model.language === 'python',
    };
  },
  // A dict loop that a hook or helper makes per-step is reported, more specifically, by
  // unbatched-metrics; inside a per-step loop of its own function it is both.
  precedence: {
    yieldsTo: ['unbatched-metrics'],
    when: (found) => found.dictLoop && (found.step.via.length > 0 || !found.step.loop),
  },
  message(found) {
    const where = found.step.loop ? loopAt(found.step.loop) : `the per-batch hook \`${found.step.hook}\``;
    const via = found.step.via.length ? ` through \`${found.step.via.map((f) => f.name).join('` → `')}\`` : '';
    return `\`${displayName(found.at)}\` runs on every step of ${where}${via}`;
  },
  help: (found, ctx) =>
    `Log every ${ctx.options.logEvery} steps, under a step-interval guard such as \`${test(found.python, 'step', ctx.options.logEvery)}\``,
  impact: (found) => ({
    unit: 'step',
    per: 'step',
    now: 1,
    after: {
      perUnit: /^\d+$/.test(String(found.every)) ? 1 / Number(found.every) : null,
      once: 0,
      text: `1 per ${interval(found.every)} steps`,
    },
  }),
  related: (found) =>
    found.step.loop ? [{ range: loopHeader(found.step.loop), message: `per step: it ${found.step.reason}` }] : [],
  fix: {
    safety: 'unsafe',
    title: (found) =>
      `Log every ${interval(found.every)} steps: wrap ${found.viaHelper ? `the call of \`${found.step.via[0].name}\`` : 'the logging'} in \`${test(found.python, found.counter ?? 'step', found.every)}\``,
    // Offered only when the loop has a step variable to test.
    intent: (found) =>
      found.counter && found.guarded.length
        ? { kind: 'interval-guard', calls: found.guarded, counter: found.counter, every: found.every }
        : null,
  },
});

function test(python: boolean, step: string, every: number | string): string {
  return python ? `if ${step} % ${every} == 0` : `if (${step} % ${every} === 0)`;
}

/** `100`, or a name the code defines (`` `log_interval` ``). */
function interval(every: number | string): string {
  return /^\d+$/.test(String(every)) ? String(every) : `\`${every}\``;
}
