// `npx tsx bench/precheck-soundness.ts DIR...`: lint each directory as `mlflint check` does, with
// and without its shortcuts (skipping files that name nothing a rule looks for, passing over calls
// no rule reads, linting again only what other files' receivers reach), and print any difference.
// Exit 1 when there is one. (The test suite proves the same on fixtures; this is for real corpora.)
import { performance } from 'node:perf_hooks';
import { check } from '../src/cli/check.js';

async function run(dir: string, parseEverything: boolean): Promise<{ findings: string[]; ms: number }> {
  let out = '';
  const cwd = process.cwd();
  process.chdir(dir);
  const t0 = performance.now();
  try {
    await check(
      ['.'],
      { format: 'json', parseEverything, isolated: true, respectGitignore: false },
      { stdout: (s) => (out += s), stderr: () => {}, readStdin: async () => Buffer.alloc(0), isTTY: false },
    );
  } finally {
    process.chdir(cwd);
  }
  const ms = performance.now() - t0;
  const findings = (
    JSON.parse(out) as { path: string; line: number; column: number; code: string; message: string }[]
  ).map((f) => `${f.path}:${f.line}:${f.column} ${f.code} ${f.message}`);
  return { findings, ms };
}

let differs = 0;
for (const dir of process.argv.slice(2)) {
  const skip = await run(dir, false);
  const all = await run(dir, true);
  const a = new Set(skip.findings);
  const b = new Set(all.findings);
  const onlyAll = all.findings.filter((f) => !a.has(f));
  const onlySkip = skip.findings.filter((f) => !b.has(f));
  // MLF000 is reported for the files mlflint analyses: a syntax error in a file that names no MLflow is not its concern.
  const missed = onlyAll.filter((f) => !/ MLF000 /.test(f));
  console.log(
    `${dir}: ${all.findings.length} findings parsing everything (${(all.ms / 1000).toFixed(1)} s), ${skip.findings.length} skipping (${(skip.ms / 1000).toFixed(1)} s); MLF000 only without skipping: ${onlyAll.length - missed.length}; other differences: ${missed.length + onlySkip.length}`,
  );
  for (const f of missed) console.log(`  only when parsing everything: ${f}`);
  for (const f of onlySkip) console.log(`  only when skipping: ${f}`);
  differs += missed.length + onlySkip.length;
}
process.exitCode = differs ? 1 : 0;
