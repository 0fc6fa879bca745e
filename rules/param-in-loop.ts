import { code, defineRule, prose } from '../src/engine/define-rule.js';
import { inRunOpenedBy } from '../src/model/loops.js';
import { displayName, isBatchedCall, isSingular, logsParamsOrTags } from '../src/model/mlflow.js';
import {
  dictLoopOf,
  innermostLoop,
  invariant,
  isChunkedBatch,
  loopAt,
  varies,
  loopHeader,
  oncePer,
  repetitionOf,
  runsOnceIn,
} from '../src/model/queries.js';

export default defineRule({
  code: 'MLF201',
  name: 'param-in-loop',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Param or tag logged on every iteration of a loop',
  query: 'call',
  settings: ['tight-loop-names'],
  docs: {
    what: prose`
      Checks for \`log_param\`, \`log_params\`, \`set_tag\`, \`set_tags\` (and
      \`MlflowClient.log_batch\` with params or tags) that run on every iteration of a loop, except
      loops where each iteration opens its own run (\`with mlflow.start_run()\` in the body, or a
      call to a function that starts one), loops over runs (a client call whose run id derives from
      the loop variable), and loops that split one batch into chunks of at most 100. A
      \`log_params({...})\` with literal keys in a loop writes the same keys again on every
      iteration and is reported.
    `,
    why: prose`
      Params are write-once: re-logging the same key with the same value is a wasted request on
      every iteration, and with a different value it raises \`MlflowException: Changing param values
      is not allowed\`. Tags are upserts, but still one request per iteration. Log them once, before
      the loop.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          for epoch in range(epochs):
              mlflow.log_param("lr", lr)
              train_one_epoch()
        `,
        good: code`
          import mlflow

          mlflow.log_param("lr", lr)
          for epoch in range(epochs):
              train_one_epoch()
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          for (let epoch = 0; epoch < epochs; epoch++) {
            await mlflow.logParam(runId, 'lr', lr);
            await trainEpoch();
          }
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logParam(runId, 'lr', lr);
          for (let epoch = 0; epoch < epochs; epoch++) {
            await trainEpoch();
          }
        `,
      },
    ],
    impact: prose`
      One request per iteration; hoisted above the loop, one in all.
    `,
    fixSafety: prose`
      Unsafe: when the call runs unconditionally on every iteration and none of its arguments read
      the loop variables or names the loop assigns, the fix moves it above the loop. The call then
      runs even when the loop runs zero times, and before the loop body instead of during it. No fix
      when the value changes per iteration (log it as a metric instead).
    `,
  },
  run(ctx, call) {
    if (!logsParamsOrTags(call)) return null;
    const loop = innermostLoop(call);
    if (!loop || inRunOpenedBy(loop, call) || runsOnceIn(call, loop)) return null;
    if (isBatchedCall(call) && isChunkedBatch(call, loop, ctx.options)) return null;
    const conditional = call.conditions.some((c) => c.range.start.offset > loop.range.start.offset);
    // Hoisting is for a call made on every iteration with arguments that do not change.
    const hoistable =
      !!call.statement &&
      loop.kind !== 'comprehension' &&
      !call.hasSpread &&
      !conditional &&
      Object.values(call.args).every((a) => invariant(a, loop));
    return { at: call, loop, conditional, hoistable, dictLoop: isSingular(call) && !!dictLoopOf(call) };
  },
  // A dict loop is reported, more specifically, by unbatched-params / unbatched-tags.
  precedence: { yieldsTo: ['unbatched-params', 'unbatched-tags'], when: (found) => found.dictLoop },
  message: (found) =>
    `\`${displayName(found.at)}\` runs ${found.conditional ? 'again and again in' : 'on every iteration of'} ${loopAt(found.loop)}`,
  help: (found) =>
    found.at.args.key && varies(found.at.args.key, found.loop)
      ? 'Collect them in a dict in the loop and log it once after the loop, in one batched call'
      : 'Log it once, before the loop; a value that changes per iteration is a metric',
  impact: (found, ctx) => ({
    ...repetitionOf(found.at, ctx.options),
    now: 1,
    after: { perUnit: 0, once: 1, text: oncePer(repetitionOf(found.at, ctx.options, found.loop)) },
  }),
  related: (found) => [{ range: loopHeader(found.loop), message: 'the loop' }],
  fix: {
    safety: 'unsafe',
    title: () => 'Move the call above the loop',
    intent: (found) => (found.hoistable ? { kind: 'hoist', call: found.at, loop: found.loop } : null),
  },
});
