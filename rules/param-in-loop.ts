import { defineRule } from '../src/engine/define-rule.js';
import { inRunOpenedBy } from '../src/model/loops.js';
import { displayName, isBatchedCall, isSingular, logsParamsOrTags } from '../src/model/mlflow.js';
import { dictLoopOf, innermostLoop, invariant, isChunkedBatch, loopAt, varies, loopHeader, oncePer, repetitionOf, runsOnceIn } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF201',
  name: 'param-in-loop',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Param or tag logged on every iteration of a loop',
  query: 'call',
  settings: ['tight-loop-names'],
  docs: {
    what: 'Checks for `log_param`, `log_params`, `set_tag`, `set_tags` (and `MlflowClient.log_batch` with params or tags) that run on every iteration of a loop, except loops where each iteration opens its own run (`with mlflow.start_run()` in the body, or a call to a function that starts one), loops over runs (a client call whose run id derives from the loop variable), and loops that split one batch into chunks of at most 100. A `log_params({...})` with literal keys in a loop writes the same keys again on every iteration and is reported.',
    why: 'Params are write-once: re-logging the same key with the same value is a wasted request on every iteration, and with a different value it raises `MlflowException: Changing param values is not allowed`. Tags are upserts, but still one request per iteration. Log them once, before the loop.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nfor epoch in range(epochs):\n    mlflow.log_param("lr", lr)\n    train_one_epoch()\n',
      good: 'import mlflow\n\nmlflow.log_param("lr", lr)\nfor epoch in range(epochs):\n    train_one_epoch()\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nfor (let epoch = 0; epoch < epochs; epoch++) {\n  await mlflow.logParam(runId, 'lr', lr);\n  await trainEpoch();\n}\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logParam(runId, 'lr', lr);\nfor (let epoch = 0; epoch < epochs; epoch++) {\n  await trainEpoch();\n}\n",
    }],
    impact: 'One request per iteration; hoisted above the loop, one in all.',
    fixSafety: 'Unsafe: when the call runs unconditionally on every iteration and none of its arguments read the loop variables or names the loop assigns, the fix moves it above the loop. The call then runs even when the loop runs zero times, and before the loop body instead of during it. No fix when the value changes per iteration (log it as a metric instead).',
  },
  fix: { safety: 'unsafe', title: 'Move the call above the loop' },
  check(ctx, call) {
    if (!logsParamsOrTags(call)) return;
    const loop = innermostLoop(call);
    if (!loop || inRunOpenedBy(loop, call) || runsOnceIn(call, loop)) return;
    // A dict loop is reported, more specifically, by unbatched-params / unbatched-tags.
    if (isSingular(call) && dictLoopOf(call)) return;
    if (isBatchedCall(call) && isChunkedBatch(call, loop, ctx.options)) return;
    // Hoisting is offered for a call made on every iteration with arguments that do not change.
    const hoistable = call.statement && loop.kind !== 'comprehension' && !call.hasSpread
      && !call.conditions.some((c) => c.range.start.offset > loop.range.start.offset)
      && Object.values(call.args).every((a) => invariant(a, loop));
    const conditional = call.conditions.some((c) => c.range.start.offset > loop.range.start.offset);
    ctx.report(call, `\`${displayName(call)}\` runs ${conditional ? 'again and again in' : 'on every iteration of'} ${loopAt(loop)}`, {
      fix: hoistable ? { safety: 'unsafe', message: 'Move the call above the loop', intent: { kind: 'hoist', call, loop } } : null,
      help: call.args.key && varies(call.args.key, loop)
        ? 'Collect them in a dict in the loop and log it once after the loop, in one batched call'
        : 'Log it once, before the loop; a value that changes per iteration is a metric',
      impact: { ...repetitionOf(call, ctx.options), now: 1, after: hoistable ? { perUnit: 0, once: 1, text: oncePer(repetitionOf(call, ctx.options, loop)) } : null },
      related: [{ range: loopHeader(loop), message: 'the loop' }],
    });
  },
});
