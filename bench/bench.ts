// `npm run bench [-- --rounds N] [DIR...]`: mlflint side by side with the floor (read + tree-sitter
// parse of every file in Node) and with ast-grep running equivalent rules, on the directories
// given, or on generated corpora when none is. Every figure is a separate process, measured over
// several rounds: wall time median (min-max), CPU time, peak RSS, lines/s, ratio to the floor.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus, writeOneFile } from './corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'bin', 'mlflint.js');
const SG = join(ROOT, 'node_modules', '.bin', 'ast-grep');
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 3;
const dirs = args;

interface Sample {
  wall: number;
  cpu: number | null;
  rss: number | null;
}

/** One process: wall time from here, CPU time and peak RSS from GNU time when the machine has it. */
function once(cmd: string[], cwd: string): Sample {
  const withTime = GNU_TIME ? [GNU_TIME, '-f', '@@%U %S %M', ...cmd] : cmd;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(withTime[0], withTime.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  const m = /@@([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : null, rss: m ? Number(m[3]) / 1024 : null };
}

interface Row {
  label: string;
  samples: Sample[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label: string, cmd: string[], cwd: string, rounds = ROUNDS, before?: () => void): Row {
  const samples: Sample[] = [];
  for (let i = 0; i < rounds; i++) {
    before?.();
    samples.push(once(cmd, cwd));
  }
  return { label, samples };
}

function table(title: string, rows: Row[], lines: number, floor: Row | null): void {
  console.log(`\n${title}`);
  console.log(
    `  ${'tool'.padEnd(34)} ${'wall ms (min-max)'.padEnd(22)} ${'cpu ms'.padStart(8)} ${'rss MB'.padStart(7)} ${'lines/s'.padStart(10)} ${'× floor'.padStart(8)}`,
  );
  const floorWall = floor ? median(floor.samples.map((s) => s.wall)) : null;
  for (const r of rows) {
    const walls = r.samples.map((s) => s.wall);
    const wall = median(walls);
    const cpu = r.samples[0].cpu === null ? null : median(r.samples.map((s) => s.cpu as number));
    const rss = r.samples[0].rss === null ? null : Math.max(...r.samples.map((s) => s.rss as number));
    const range = `${wall.toFixed(0)} (${Math.min(...walls).toFixed(0)}-${Math.max(...walls).toFixed(0)})`;
    const ratio = floorWall ? (wall / floorWall).toFixed(2) : '';
    console.log(
      `  ${r.label.padEnd(34)} ${range.padEnd(22)} ${cpu === null ? 'n/a'.padStart(8) : cpu.toFixed(0).padStart(8)} ${rss === null ? 'n/a'.padStart(7) : rss.toFixed(0).padStart(7)} ${
        lines
          ? Math.round(lines / (wall / 1000))
              .toLocaleString('en')
              .padStart(10)
          : ''.padStart(10)
      } ${ratio.padStart(8)}`,
    );
  }
}

function countLines(dir: string): { files: number; lines: number } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'floor.mjs'), dir], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as { files: number; lines: number };
}

function corpusRows(dir: string, title: string): void {
  const { files, lines } = countLines(dir);
  const threads = availableParallelism();
  const check = (...more: string[]) => [
    process.execPath,
    BIN,
    'check',
    '--exit-zero',
    '--isolated',
    '--no-respect-gitignore',
    '-s',
    ...more,
    '.',
  ];
  const cache = join(dir, '.mlflint_cache');
  const rows: Row[] = [];
  const floor = measure('floor (read + parse, Node)', [process.execPath, join(ROOT, 'bench', 'floor.mjs'), '.'], dir);
  rows.push(floor);
  rows.push(measure('mlflint, 1 thread, no cache', check('--threads', '1', '--no-cache'), dir));
  rows.push(measure(`mlflint, ${threads} threads, no cache`, check('--threads', String(threads), '--no-cache'), dir));
  // What a user runs: `--threads auto`, the default, which picks workers by how much there is to parse.
  rows.push(measure('mlflint, --threads auto, no cache', check('--no-cache'), dir));
  rows.push(
    measure('mlflint, --threads auto, cold cache', check(), dir, ROUNDS, () =>
      rmSync(cache, { recursive: true, force: true }),
    ),
  );
  rows.push(measure('mlflint, --threads auto, warm cache', check(), dir));
  rmSync(cache, { recursive: true, force: true });
  if (existsSync(SG)) {
    const sg = (n: number) => [
      SG,
      'scan',
      '--config',
      join(ROOT, 'bench', 'ast-grep', 'sgconfig.yml'),
      '--threads',
      String(n),
      '--json=compact',
      '.',
    ];
    rows.push(measure('ast-grep, 1 thread', sg(1), dir));
    rows.push(measure(`ast-grep, ${threads} threads`, sg(threads), dir));
  } else console.log('(ast-grep is not installed: npm ci installs it as a dev dependency)');
  table(`${title}: ${files.toLocaleString('en')} files, ${lines.toLocaleString('en')} lines`, rows, lines, floor);
}

function oneFile(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mlflint-bench-one-'));
  writeOneFile(join(dir, 'train.py'), 200, 1);
  const rows = [
    measure('node -e 0', [process.execPath, '-e', '0'], dir, 10),
    measure(
      'mlflint check train.py (200 lines)',
      [process.execPath, BIN, 'check', '--exit-zero', '--isolated', '-s', '--no-cache', 'train.py'],
      dir,
      10,
    ),
    measure('mlflint rule MLF101', [process.execPath, BIN, 'rule', 'MLF101'], dir, 10),
  ];
  table('one file', rows, 0, rows[0]);
  console.log('  (× floor is × `node -e 0` here)');
}

function linearity(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mlflint-bench-lin-'));
  mkdirSync(join(dir, 'one'));
  mkdirSync(join(dir, 'twenty'));
  writeOneFile(join(dir, 'one', 'big.py'), 100_000, 2);
  for (let i = 0; i < 20; i++) writeOneFile(join(dir, 'twenty', `f${i}.py`), 5_000, 2);
  const check = [
    process.execPath,
    BIN,
    'check',
    '--exit-zero',
    '--isolated',
    '-s',
    '--no-cache',
    '--threads',
    '1',
    '.',
  ];
  const one = measure('one 100,000-line file', check, join(dir, 'one'));
  const twenty = measure('twenty 5,000-line files', check, join(dir, 'twenty'));
  table('time linear in lines (1 thread)', [twenty, one], 100_000, twenty);
  console.log('  (× floor is × the twenty files here)');
}

if (!existsSync(BIN)) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
console.log(
  `${availableParallelism()} cores, node ${process.version}, ${ROUNDS} rounds${GNU_TIME ? '' : ' (no /usr/bin/time: CPU and RSS are not measured)'}`,
);
if (dirs.length) for (const d of dirs) corpusRows(d, d);
else {
  const real = mkdtempSync(join(tmpdir(), 'mlflint-bench-mixed-'));
  writeCorpus(real, { lines: 500_000, mlflowShare: 0.1, tsShare: 0.2, bigShare: 0.02, seed: 20261202 });
  corpusRows(real, 'generated, 10% of files use MLflow');
  const all = mkdtempSync(join(tmpdir(), 'mlflint-bench-all-'));
  writeCorpus(all, { lines: 150_000, mlflowShare: 1, tsShare: 0.2, bigShare: 0.02, seed: 7 });
  corpusRows(all, 'generated, every file uses MLflow');
}
oneFile();
linearity();
writeFileSync(join(tmpdir(), 'mlflint-bench-last.txt'), new Date().toISOString());
