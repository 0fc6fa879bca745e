import { defineRule } from '../src/engine/define-rule.js';
import { inRunOpenedBy } from '../src/model/loops.js';
import { displayName } from '../src/model/mlflow.js';
import { innermostLoop, loopLabel, varies } from '../src/model/queries.js';
import type { Arg, Call } from '../src/model/types.js';

function sameRun(a: Call, b: Call): boolean {
  if (a.func !== b.func) return false;
  if (a.runScopes[a.runScopes.length - 1] !== b.runScopes[b.runScopes.length - 1]) return false;
  // A loop that only one of the two is in, and that opens a run per iteration, separates them.
  const only = [...a.loops.filter((l) => !b.loops.includes(l)), ...b.loops.filter((l) => !a.loops.includes(l))];
  if (only.some((l) => l.runStarts.length > 0)) return false;
  return (a.args.run_id?.text ?? '') === (b.args.run_id?.text ?? '') && a.receiverText === b.receiverText;
}

/**
 * Whenever the later call runs, the earlier one ran: every condition around the earlier call
 * also surrounds the later one. Branches, early returns and fallbacks (`if df is None:`) fail this.
 */
function bothRun(earlier: Call, later: Call): boolean {
  return earlier.conditions.every((c) => later.conditions.includes(c));
}

/** Params are compared as strings: `1` and `1.0` differ, `"1"` and `1` do not. */
function mayDiffer(a: Arg, b: Arg, between: string): boolean {
  if (a.literal && b.literal) return a.literal.value !== b.literal.value;
  if (a.text.replace(/\s+/g, '') !== b.text.replace(/\s+/g, '')) return true;
  // The same expression can still change in between: `lr = lr * 0.1`, `opt.lr *= 0.1`.
  return [b.text, ...b.names].some((n) => new RegExp(`(^|[^\\w.])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*([-+*/%]|\\*\\*|//)?=(?!=)`, 'm').test(between));
}

export default defineRule({
  code: 'MLF204',
  name: 'param-overwrite',
  severity: 'error',
  languages: ['python', 'typescript'],
  summary: 'Param logged twice in one run with a value that may differ',
  query: 'file',
  docs: {
    what: 'Checks for a param key logged twice in the same run with values that may differ: two `log_param` calls with the same literal key, or a `log_param` with a constant key inside a loop whose value changes per iteration.',
    why: 'Params are write-once. Logging a key again with a different value (compared as strings, so `1` and `1.0` differ) raises `MlflowException` with `INVALID_PARAMETER_VALUE` ("Changing param values is not allowed"), and the run crashes, often hours into training. Log values that change as metrics, or use distinct keys.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.log_param("lr", 0.1)\nlr = schedule(0.1)\nmlflow.log_param("lr", lr)\n',
      good: 'import mlflow\n\nmlflow.log_param("lr", 0.1)\nlr = schedule(0.1)\nmlflow.log_metric("lr", lr)\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logParam(runId, 'lr', '0.1');\nconst lr = schedule(0.1);\nawait mlflow.logParam(runId, 'lr', String(lr));\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logParam(runId, 'lr', '0.1');\nconst lr = schedule(0.1);\nawait mlflow.logMetric(runId, 'lr', lr);\n",
    }],
  },
  check(ctx, model) {
    const seen = new Map<string, Call[]>();
    for (const call of model.calls) {
      if (call.mlflow?.api !== 'log_param') continue;
      const key = call.args.key?.literal;
      const value = call.args.value;
      if (!key || !value) continue;
      const loop = innermostLoop(call);
      if (loop && !inRunOpenedBy(loop, call) && varies(value, loop) && !varies(call.args.key, loop)) {
        ctx.report(call, `\`${displayName(call)}\` logs the param "${key.value}" on every iteration of the loop ${loopLabel(loop)} with a value that changes; the second iteration raises`);
        continue;
      }
      const earlier = seen.get(key.value) ?? [];
      const clash = earlier.find((e) => sameRun(e, call) && bothRun(e, call)
        && mayDiffer(e.args.value as Arg, value, model.text.slice(e.range.end.offset, call.range.start.offset)));
      if (clash) {
        ctx.report(call, `the param "${key.value}" was already logged on line ${clash.range.start.line} with a value that may differ; logging it again raises`);
      }
      earlier.push(call);
      seen.set(key.value, earlier);
    }
  },
});
