// `npm run new-rule <name> [MLFnnn]`: scaffold a rule — its file in rules/, its fixtures, its
// place in the registry and its README row. The suite fails until the rule does what its docs
// and fixtures say, as Ruff's `add_rule.py` and unicorn's `create-rule` leave it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyRule } from '../../src/engine/define-rule.js';
import { withGeneratedTable } from '../../src/docs/readme-table.js';

/** The group a name belongs to, by what it is about (SPEC §2): 1xx metrics, 2xx params and tags, 3xx artifacts. */
const GROUPS: [RegExp, number][] = [
  [/metric/, 100],
  [/param|tag/, 200],
  [/artifact/, 300],
];

const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function nextCode(name: string, taken: string[]): string {
  const group = GROUPS.find(([re]) => re.test(name))?.[1];
  if (group === undefined)
    throw new Error(
      `cannot tell the group of \`${name}\` from its name: give its code (MLF1xx metrics, MLF2xx params and tags, MLF3xx artifacts)`,
    );
  for (let n = group + 1; n < group + 100; n++) if (!taken.includes(`MLF${n}`)) return `MLF${n}`;
  throw new Error(`no free code in MLF${group / 100}xx`);
}

function ruleFile(code: string, name: string): string {
  return `import { code, defineRule, prose } from '../src/engine/define-rule.js';
import { displayName } from '../src/model/mlflow.js';

export default defineRule({
  code: '${code}',
  name: '${name}',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'TODO: the problem, in one line',
  query: 'call',
  docs: {
    what: prose\`
      TODO: Checks for ...
    \`,
    why: prose\`
      TODO: what it costs the tracking server.
    \`,
    examples: [
      {
        lang: 'python',
        bad: code\`
          import mlflow
        \`,
        good: code\`
          import mlflow
        \`,
      },
      {
        lang: 'typescript',
        bad: code\`
          import Mlflow from 'mlflow-js';
        \`,
        good: code\`
          import Mlflow from 'mlflow-js';
        \`,
      },
    ],
  },
  run(_ctx, _call) {
    // TODO: return the finding's state ({ at: call, ... }) where the call is the problem, else null.
    return null as { at: typeof _call } | null;
  },
  message: (state) => \`\\\`\${displayName(state.at)}\\\` TODO\`,
});
`;
}

const FIXTURES: Record<string, string> = {
  'invalid.py': 'import mlflow\n\n# TODO: code the rule reports, each line marked `# expect: NAME`\n',
  'valid.py': 'import mlflow\n\n# TODO: code the rule must leave alone\n',
  'invalid.ts':
    "import Mlflow from 'mlflow-js';\n\n// TODO: code the rule reports, each line marked `// expect: NAME`\n",
  'valid.ts': "import Mlflow from 'mlflow-js';\n\n// TODO: code the rule must leave alone\n",
};

/** Insert the rule's import and entry into rules/index.ts, keeping the registry sorted by code. */
function register(index: string, code: string, name: string, codes: Map<string, string>): string {
  const id = camel(name);
  const after = [...codes]
    .filter(([c]) => c < code)
    .map(([, n]) => camel(n))
    .pop();
  const importLine = `import ${id} from './${name}.js';`;
  const lines = index.split('\n');
  const importAt = after
    ? lines.findIndex((l) => l.startsWith(`import ${after} from`)) + 1
    : lines.findIndex((l) => l.startsWith('import ') && !l.startsWith('import type'));
  lines.splice(importAt, 0, importLine);
  const entryAt = after
    ? lines.findIndex((l) => l.trim() === `${after},`) + 1
    : lines.findIndex((l) => l.startsWith('export const rules')) + 1;
  lines.splice(entryAt, 0, `  ${id},`);
  return lines.join('\n');
}

export function scaffold(root: string, name: string, given?: string): { code: string; files: string[] } {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(name))
    throw new Error(
      `\`${name}\` is not a rule name: kebab-case words that name the anti-pattern, such as \`metric-in-tight-loop\``,
    );
  const indexPath = join(root, 'rules', 'index.ts');
  const index = readFileSync(indexPath, 'utf8');
  const codes = new Map<string, string>();
  for (const m of index.matchAll(/^import (\w+) from '\.\/([\w-]+)\.js';$/gm)) {
    const text = readFileSync(join(root, 'rules', `${m[2]}.ts`), 'utf8');
    const c = /code: '(MLF\d{3})'/.exec(text)?.[1];
    if (c) codes.set(c, m[2]);
  }
  if ([...codes.values()].includes(name) || existsSync(join(root, 'rules', `${name}.ts`)))
    throw new Error(`the rule \`${name}\` exists`);
  const code = given ?? nextCode(name, [...codes.keys()]);
  if (!/^MLF\d{3}$/.test(code)) throw new Error(`\`${code}\` is not a rule code (MLFnnn)`);
  if (codes.has(code)) throw new Error(`${code} is taken by \`${codes.get(code)}\``);
  const files = [join('rules', `${name}.ts`)];
  writeFileSync(join(root, files[0]), ruleFile(code, name));
  mkdirSync(join(root, 'fixtures', name), { recursive: true });
  for (const [file, text] of Object.entries(FIXTURES)) {
    files.push(join('fixtures', name, file));
    writeFileSync(join(root, 'fixtures', name, file), text.replace('NAME', name));
  }
  writeFileSync(indexPath, register(index, code, name, codes));
  return { code, files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [name, code] = process.argv.slice(2);
  if (!name) {
    console.error('usage: npm run new-rule <name> [MLFnnn]');
    process.exit(2);
  }
  try {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const made = scaffold(root, name, code);
    // The README row, from the registry that now holds the rule.
    const { rules } = (await import(pathToFileURL(join(root, 'rules', 'index.ts')).href)) as { rules: AnyRule[] };
    const readme = join(root, 'README.md');
    writeFileSync(readme, withGeneratedTable(readFileSync(readme, 'utf8'), rules));
    console.log(`${made.code} ${name}: wrote ${made.files.join(', ')}, added it to rules/index.ts and README.md.`);
    console.log(
      'Next: write its run and message (and fix), fill in the fixtures and docs, then `npm run docs` and `npm test`.',
    );
  } catch (e) {
    console.error(`new-rule: ${(e as Error).message}`);
    process.exit(2);
  }
}
