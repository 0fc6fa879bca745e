// `npx tsx bench/server-latency.ts [rounds]`: the time from a `didChange` to the
// `publishDiagnostics` of that version, through the built `mlflint server --stdio`, on a
// 500-line and a 5,000-line Python file that use MLflow throughout. The server waits 150 ms
// after a change before it lints (the debounce): that wait is included, and shown apart.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { writeOneFile } from './corpus.js';

const BIN = fileURLToPath(new URL('../dist/bin/mlflint.js', import.meta.url));
const ROUNDS = Number(process.argv[2] ?? 15);
const DEBOUNCE_MS = 150;

const dir = mkdtempSync(join(tmpdir(), 'mlflint-bench-lsp-'));
const proc = spawn(process.execPath, [BIN, 'server', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
const rpc = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
const waiting = new Map<string, (n: number) => void>();
rpc.onNotification(
  'textDocument/publishDiagnostics',
  (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
    waiting.get(`${p.uri}@${p.version}`)?.(p.diagnostics.length);
  },
);
rpc.listen();
await rpc.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
await rpc.sendNotification('initialized', {});

const published = (uri: string, version: number) =>
  new Promise<number>((resolve) => waiting.set(`${uri}@${version}`, resolve));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`didChange → publishDiagnostics, ${ROUNDS} changes each (includes the ${DEBOUNCE_MS} ms debounce)`);
for (const lines of [500, 5000]) {
  const path = join(dir, `train_${lines}.py`);
  writeOneFile(path, lines, 3);
  const uri = pathToFileURL(path).href;
  const text = readFileSync(path, 'utf8');
  const opened = published(uri, 1);
  await rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  const findings = await opened;
  const times: number[] = [];
  for (let v = 2; v < 2 + ROUNDS; v++) {
    const done = published(uri, v);
    const t0 = performance.now();
    // Typing a character into the first line's trailing comment, one change per version.
    await rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 12 } }, text: ' ' }],
    });
    await done;
    times.push(performance.now() - t0);
  }
  const m = median(times);
  console.log(
    `  ${String(lines).padStart(5)} lines, ${findings} findings: median ${m.toFixed(0)} ms ` +
      `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); ` +
      `after the debounce ${(m - DEBOUNCE_MS).toFixed(0)} ms`,
  );
}
await rpc.sendRequest('shutdown');
await rpc.sendNotification('exit');
