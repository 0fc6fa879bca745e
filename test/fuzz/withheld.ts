// Debug aid: print the fixes the check withholds for the given files (renderer bugs to fix).
// `npx tsx test/fuzz/withheld.ts FILE...`
import { readFileSync } from 'node:fs';
import { applyFixesOnce } from '../../src/engine/apply-fixes.js';
import { registry } from '../../src/index.js';
import { runRules } from '../../src/engine/run.js';
import { adapterFor } from '../../src/index.js';

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const adapter = adapterFor(file);
  if (!adapter) continue;
  const model = adapter.parse(file, text);
  for (const d of runRules(model, registry, registry.rules, {}, adapter.renderFix)) {
    if (!d.fix) continue;
    const fixed = applyFixesOnce(text, [d.fix]).text;
    if (adapter.countSyntaxProblems(file, fixed) <= model.syntaxErrors.length) continue;
    const before = adapter.parse(file, fixed).syntaxErrors.map((e) => `${e.range.start.line}: ${e.message}`);
    console.log(`== ${file} ${d.code} line ${d.range.start.line}: ${before.join('; ')}`);
    for (const e of d.fix.edits)
      console.log(
        `-- [${e.start},${e.end}) ${JSON.stringify(text.slice(e.start, e.end))}\n++ ${JSON.stringify(e.text)}`,
      );
  }
}
