import { defineRule } from '../src/engine/define-rule.js';
import { stepContext } from '../src/model/loops.js';
import { displayName, PER_ITEM_ARTIFACT_APIS } from '../src/model/mlflow.js';
import { loopAt, loopHeader, oncePer, perItemLoop, repetitionOf, varies, walkedDirectory } from '../src/model/queries.js';

const help = (language: string): string => (language === 'python'
  ? 'Write the files into one directory and upload it once with `log_artifacts`'
  : 'Upload the files once, after the loop: one archive of them with `logArtifact`');

export default defineRule({
  code: 'MLF301',
  name: 'artifact-in-loop',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Artifact uploaded once per iteration of a loop',
  query: 'call',
  settings: ['tight-loop-names'],
  docs: {
    what: 'Checks for `log_artifact`, `log_text`, `log_dict`, `log_figure`, `log_image` and `log_table` calls that run once per step or per item of a loop (for example one upload per file of a directory). Loops over epochs, trials, folds or runs are not flagged: one artifact per epoch or run is the usual pattern.',
    why: 'Each call is at least one upload request (`log_image` with a step is two uploads and a tag write; `log_table` downloads and re-uploads the whole table every time, which is quadratic in a loop). Write the files into one directory during the loop and upload it once with `mlflow.log_artifacts(dir, artifact_path)`.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nfor path in output_dir.glob("*.png"):\n    mlflow.log_artifact(str(path), "plots")\n',
      good: 'import mlflow\n\nmlflow.log_artifacts(str(output_dir), "plots")\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nfor (const file of plots) {\n  await mlflow.logArtifact(runId, file, 'plots');\n}\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nconst archive = await bundle(plots);\nawait mlflow.logArtifact(runId, archive, 'plots');\n",
    }],
    impact: 'One upload per iteration; staged into one directory, one `log_artifacts` call after the loop.',
    fixSafety: 'Unsafe: for `log_artifact` of local files with an artifact path that does not change in the loop. When the loop does nothing but upload each file of one directory (`os.listdir(d)` joined to `d`, `glob(d + "/*")`, `Path(d).iterdir()`), the fix is one `log_artifacts(d, artifact_path)` in its place, which also uploads subdirectories and hidden files. Otherwise the loop runs inside `with tempfile.TemporaryDirectory() as staged_artifacts:`, copies each file there with `shutil.copy` instead of uploading it, and `log_artifacts(staged_artifacts, artifact_path)` follows the loop inside that block, so the directory is removed after the upload. Files with the same name overwrite each other, and nothing is uploaded if the loop exits early by `return` or an exception. No fix in TypeScript: its clients have no call that uploads a directory.',
  },
  // The TypeScript clients have no call that uploads a directory: a fix there would call a method that does not exist.
  fix: { safety: 'unsafe', title: 'Stage the files and upload them once', languages: ['python'] },
  check(ctx, call) {
    const api = call.mlflow?.api;
    if (!api || !PER_ITEM_ARTIFACT_APIS.has(api)) return;
    const loop = perItemLoop(call, ctx.options);
    if (loop) {
      const stageable = api === 'log_artifact' && !!call.statement && loop.kind !== 'comprehension' && !varies(call.args.artifact_path, loop);
      const dir = stageable ? walkedDirectory(call, loop) : null;
      const fix = dir
        ? { safety: 'unsafe' as const, message: `Upload the directory once with \`log_artifacts(${dir}, ...)\``, intent: { kind: 'upload-directory' as const, call, loop, dir } }
        : stageable ? { safety: 'unsafe' as const, message: 'Copy the files into a temporary directory in the loop and upload it once with `log_artifacts`', intent: { kind: 'stage-artifacts' as const, call, loop } } : null;
      ctx.report(call, `\`${displayName(call)}\` uploads once per iteration of ${loopAt(loop)}`, {
        fix,
        help: help(ctx.model.language),
        impact: { ...repetitionOf(call, ctx.options), now: 1, after: fix ? { perUnit: 0, once: 1, text: oncePer(repetitionOf(call, ctx.options, loop)) } : null },
        related: [{ range: loopHeader(loop), message: 'one upload per iteration of this loop' }],
      });
      return;
    }
    const sc = call.loops.length === 0 ? stepContext(call, ctx.options) : null;
    if (sc?.loop && sc.via.length) {
      ctx.report(call, `\`${displayName(call)}\` uploads on every step of ${loopAt(sc.loop)} through \`${sc.via.map((f) => f.name).join('` → `')}\``, {
        help: help(ctx.model.language),
        impact: { unit: 'step', per: 'step', now: 1, after: null },
        related: [{ range: loopHeader(sc.loop), message: 'the per-step loop' }],
      });
    }
  },
});
