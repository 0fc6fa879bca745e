// `mlflint server --stdio`, spoken to as an editor does: the built binary as a subprocess, JSON-RPC
// over its stdin and stdout.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import type { MessageConnection } from 'vscode-jsonrpc/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Hover, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { BIN, mlflint, project } from './helpers.js';

interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

class Editor {
  private readonly published: Published[] = [];
  private readonly waiting: { test: (p: Published) => boolean; resolve: (p: Published) => void }[] = [];
  readonly applied: WorkspaceEdit[] = [];
  readonly registered: unknown[] = [];
  private readonly versions = new Map<string, number>();
  readonly exited: Promise<number | null>;
  /** The signal that ended the server, if one did (SIGABRT: a worker was stopped inside a parse). */
  signal: NodeJS.Signals | null = null;
  /** `window/logMessage` errors: the server says so when it trips. */
  readonly errors: string[] = [];
  stderr = '';
  /** Every byte the server wrote to stdout. */
  private readonly out: Buffer[] = [];

  private constructor(
    readonly dir: string,
    readonly proc: ChildProcess,
    readonly rpc: MessageConnection,
  ) {
    this.exited = new Promise((resolve) =>
      proc.on('exit', (code, signal) => {
        this.signal = signal;
        resolve(code);
      }),
    );
    proc.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    proc.stdout?.on('data', (b: Buffer) => this.out.push(b));
    rpc.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      for (const w of [...this.waiting])
        if (w.test(p)) {
          this.waiting.splice(this.waiting.indexOf(w), 1);
          w.resolve(p);
        }
    });
    rpc.onRequest('client/registerCapability', (p: unknown) => {
      this.registered.push(p);
      return null;
    });
    rpc.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      this.applied.push(p.edit);
      return { applied: true };
    });
    rpc.onNotification('window/showMessage', () => {});
    rpc.onNotification('window/logMessage', (m: { type: number; message: string }) => {
      if (m.type === 1) this.errors.push(m.message);
    });
  }

  static async start(
    dir: string,
    { args = [], capabilities = {} }: { args?: string[]; capabilities?: Record<string, unknown> } = {},
  ): Promise<Editor> {
    const proc = spawn(process.execPath, [BIN, 'server', '--stdio', ...args], {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const rpc = createMessageConnection(
      new StreamMessageReader(proc.stdout as NodeJS.ReadableStream),
      new StreamMessageWriter(proc.stdin as NodeJS.WritableStream),
    );
    rpc.listen();
    const editor = new Editor(dir, proc, rpc);
    const init = (await rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'project' }],
      capabilities: {
        workspace: { applyEdit: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        ...capabilities,
      },
    })) as { capabilities: Record<string, unknown> };
    assert.ok(init.capabilities.codeActionProvider);
    await rpc.sendNotification('initialized', {});
    return editor;
  }

  /** A file of the project by its name, or a URI as it is. */
  uri(name: string): string {
    return name.includes(':') ? name : pathToFileURL(join(this.dir, name)).href;
  }

  /** The first diagnostics published for the document that pass `test` and were not taken yet. */
  diagnostics(uri: string, test: (p: Published) => boolean = () => true, ms = 20_000): Promise<Published> {
    const seen = this.published.find((p) => p.uri === uri && test(p));
    if (seen) {
      this.published.splice(this.published.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const sent = this.published.filter((p) => p.uri === uri).map((p) => p.version);
        reject(new Error(`no diagnostics for ${uri} in ${ms} ms (versions published and not taken: ${sent})`));
      }, ms);
      this.waiting.push({
        test: (p) => p.uri === uri && test(p),
        resolve: (p) => {
          clearTimeout(timer);
          this.published.splice(this.published.indexOf(p), 1);
          resolve(p);
        },
      });
    });
  }

  /** Everything published for the document so far and not taken by a wait. */
  untaken(uri: string): Published[] {
    return this.published.filter((p) => p.uri === uri);
  }

  async open(name: string, text: string, languageId = 'python'): Promise<Published> {
    const uri = this.uri(name);
    this.versions.set(uri, 1);
    await this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return this.diagnostics(uri, (p) => p.version === 1);
  }

  /** An incremental change, as editors send them: the edits of one version to the next. */
  async edit(name: string, edits: TextEdit[]): Promise<number> {
    const uri = this.uri(name);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    return version;
  }

  /** A change, and the diagnostics published for its version. */
  async change(name: string, edits: TextEdit[]): Promise<Published> {
    const version = await this.edit(name, edits);
    return this.diagnostics(this.uri(name), (p) => p.version === version);
  }

  codeActions(name: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.rpc.sendRequest('textDocument/codeAction', {
      textDocument: { uri: this.uri(name) },
      range,
      context: { diagnostics, ...(only && { only }) },
    }) as Promise<CodeAction[]>;
  }

  /** Did the server's stdout end on a message's end (none cut short by an exit)? */
  wholeMessages(): boolean {
    const all = Buffer.concat(this.out);
    let at = 0;
    while (at < all.length) {
      const head = all.indexOf('\r\n\r\n', at);
      const length = /Content-Length: (\d+)/i.exec(all.subarray(at, head).toString('ascii'));
      if (head < 0 || !length) return false;
      at = head + 4 + Number(length[1]);
    }
    return at === all.length;
  }

  /** The URI of a notebook's cell, as VS Code names them. */
  cellUri(notebook: string, i: number): string {
    return `vscode-notebook-cell:${new URL(this.uri(notebook)).pathname}#cell${i}`;
  }

  /** A notebook opened over notebook sync (kind 2: code, 1: markdown), and what is published on each cell. */
  async openNotebook(name: string, cells: { kind: number; text: string }[]): Promise<Published[]> {
    await this.rpc.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: this.uri(name),
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: cells.map((c, i) => ({ kind: c.kind, document: this.cellUri(name, i) })),
      },
      cellTextDocuments: cells.map((c, i) => ({
        uri: this.cellUri(name, i),
        languageId: c.kind === 2 ? 'python' : 'markdown',
        version: 1,
        text: c.text,
      })),
    });
    return Promise.all(cells.map((_c, i) => this.diagnostics(this.cellUri(name, i))));
  }

  /** Two 5,000-line files opened, and `ms` for the workers to start and be parsing them. */
  async busy(ms = 200): Promise<void> {
    for (const name of ['big.py', 'big2.py'])
      await this.rpc.sendNotification('textDocument/didOpen', {
        textDocument: { uri: this.uri(name), languageId: 'python', version: 1, text: BIG },
      });
    await new Promise((r) => setTimeout(r, ms));
  }

  close(name: string): Promise<void> {
    const uri = this.uri(name);
    this.versions.delete(uri);
    return this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** `shutdown` and `exit`: the exit code, after checking that the server logged no error. */
  async stop(): Promise<number | null> {
    const died = this.exited.then((c) => {
      throw new Error(`the server exited (${c}) before it answered shutdown: ${this.stderr}`);
    });
    await Promise.race([this.rpc.sendRequest('shutdown'), died]);
    await this.rpc.sendNotification('exit');
    const code = await this.exited;
    assert.deepEqual(this.errors, [], 'the server logged no error');
    assert.doesNotMatch(this.stderr, /Error|abort/i, 'the server wrote no error to stderr');
    return code;
  }
}

/** The edits of one document, applied to its text as the editor would. */
function applied(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  const edits = edit?.changes?.[uri];
  assert.ok(edits, 'the action edits the document');
  return TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, text), edits);
}

/** What `mlflint check --fix` writes for the same file, in a copy of the project. */
function fixedByCli(files: Record<string, string>, name: string, unsafe = false): string {
  const dir = project(files);
  mlflint(['check', '--fix', ...(unsafe ? ['--unsafe-fixes'] : []), '--no-cache', '--exit-zero', name], dir);
  return readFileSync(join(dir, name), 'utf8');
}

/** A 5,000-line file with a finding every four lines. */
const BIG = [
  'import mlflow',
  '',
  ...Array.from({ length: 1250 }, (_x, i) => [
    `def f${i}(loader):`,
    '    for step, b in enumerate(loader):',
    '        mlflow.log_metric("l", b, step=step)',
    '',
  ]).flat(),
].join('\n');

const ONE_FIX = 'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
const LOOP = [
  'import mlflow',
  '',
  'def train(model, loader, optimizer):',
  '    for step, batch in enumerate(loader):',
  '        loss = model(batch)',
  '        loss.backward()',
  '        optimizer.step()',
  '        mlflow.log_metric("loss", loss.item(), step=step)',
  '',
].join('\n');
const MANY = [
  'import mlflow',
  '',
  'mlflow.log_param("lr", 0.1)',
  'mlflow.log_param("epochs", 3)',
  'mlflow.set_tag("a", 1)',
  'mlflow.set_tag("b", 2)',
  '',
].join('\n');

describe('mlflint server', () => {
  const editors: Editor[] = [];
  after(() => {
    for (const e of editors) {
      e.proc.kill();
    }
  });
  const start = async (files: Record<string, string>, opts?: Parameters<typeof Editor.start>[1]) => {
    const e = await Editor.start(project(files), opts);
    editors.push(e);
    return e;
  };

  it('publishes the findings of an opened file, as `mlflint check` reports them, with the docs linked', async () => {
    // vscode-languageclient passes the editor's process id.
    const editor = await start({ 'train.py': LOOP }, { args: [`--clientProcessId=${process.pid}`] });
    const { diagnostics } = await editor.open('train.py', LOOP);
    const cli = JSON.parse(
      mlflint(['check', '--output-format', 'json', '--no-cache', 'train.py'], editor.dir).stdout,
    ) as {
      code: string;
      line: number;
      column: number;
      endLine: number;
      endColumn: number;
    }[];
    assert.ok(cli.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1]),
      cli.map((f) => [f.code, f.line, f.column, f.endLine]),
    );
    const d = diagnostics[0];
    assert.equal(d.source, 'mlflint');
    assert.match(d.codeDescription?.href ?? '', /README\.md#mlf101-metric-in-tight-loop$/);
    assert.equal(d.severity, 2);
    // The loop the metric is logged in, as the related location.
    assert.ok(d.relatedInformation?.some((r) => r.location.range.start.line === 3));
    assert.equal(await editor.stop(), 0);
  });

  it('a quick fix makes the edit `mlflint check --fix` makes, and the changed file has no findings', async () => {
    const editor = await start({ 'tags.py': ONE_FIX });
    const { diagnostics } = await editor.open('tags.py', ONE_FIX);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['MLF203'],
    );
    const actions = await editor.codeActions('tags.py', diagnostics);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.kind, 'quickfix');
    const fixed = applied(ONE_FIX, editor.uri('tags.py'), fix.edit);
    assert.equal(fixed, fixedByCli({ 'tags.py': ONE_FIX }, 'tags.py'));
    assert.notEqual(fixed, ONE_FIX);
    const after = await editor.change('tags.py', fix.edit?.changes?.[editor.uri('tags.py')] ?? []);
    assert.deepEqual(after.diagnostics, []);
    assert.equal(await editor.stop(), 0);
  });

  it('offers "Disable … for this line", which silences the finding with a noqa comment', async () => {
    const editor = await start({ 'train.py': LOOP });
    const { diagnostics } = await editor.open('train.py', LOOP);
    const first = diagnostics.find((d) => d.code === 'MLF101');
    assert.ok(first);
    const actions = await editor.codeActions('train.py', [first]);
    const disable = actions.find((a) => a.title === 'Disable MLF101 for this line');
    assert.ok(disable, JSON.stringify(actions.map((a) => a.title)));
    const text = applied(LOOP, editor.uri('train.py'), disable.edit);
    assert.match(text, /mlflow\.log_metric\("loss", loss\.item\(\), step=step\) {2}# noqa: MLF101\n/);
    const after = await editor.change('train.py', disable.edit?.changes?.[editor.uri('train.py')] ?? []);
    assert.ok(!after.diagnostics.some((d) => d.code === 'MLF101'));
    assert.equal(await editor.stop(), 0);
  });

  it('fix-all (source.fixAll.mlflint and the applyAutofix command) applies the safe fixes `check --fix` applies', async () => {
    const editor = await start({ 'many.py': MANY });
    const { diagnostics } = await editor.open('many.py', MANY);
    assert.ok(diagnostics.length >= 2);
    const expected = fixedByCli({ 'many.py': MANY }, 'many.py');
    assert.notEqual(expected, MANY);
    const [all, ...others] = await editor.codeActions('many.py', [], ['source.fixAll.mlflint']);
    assert.equal(others.length, 0);
    assert.equal(all.kind, 'source.fixAll.mlflint');
    assert.equal(applied(MANY, editor.uri('many.py'), all.edit), expected);
    await editor.rpc.sendRequest('workspace/executeCommand', {
      command: 'mlflint.applyAutofix',
      arguments: [{ uri: editor.uri('many.py') }],
    });
    assert.equal(editor.applied.length, 1);
    assert.equal(applied(MANY, editor.uri('many.py'), editor.applied[0]), expected);
    assert.equal(await editor.stop(), 0);
  });

  it("a hover on a finding shows its rule's docs", async () => {
    const editor = await start({ 'train.py': LOOP });
    const { diagnostics } = await editor.open('train.py', LOOP);
    const d = diagnostics.find((x) => x.code === 'MLF101');
    assert.ok(d);
    const hover = (await editor.rpc.sendRequest('textDocument/hover', {
      textDocument: { uri: editor.uri('train.py') },
      position: d.range.start,
    })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /^# metric-in-tight-loop \(MLF101\)/);
    assert.match(value, /## Why is this bad\?/);
    const none = await editor.rpc.sendRequest('textDocument/hover', {
      textDocument: { uri: editor.uri('train.py') },
      position: { line: 0, character: 0 },
    });
    assert.equal(none, null);
    assert.equal(await editor.stop(), 0);
  });

  it('a changed configuration file lints the open documents again', async () => {
    const editor = await start({ 'train.py': LOOP });
    const before = await editor.open('train.py', LOOP);
    assert.ok(editor.registered.length > 0, 'the server asks to be told of configuration changes');
    assert.ok(before.diagnostics.some((d) => d.code === 'MLF101'));
    writeFileSync(join(editor.dir, 'pyproject.toml'), '[tool.mlflint]\nignore = ["MLF101"]\n');
    await editor.rpc.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: editor.uri('pyproject.toml'), type: 1 }],
    });
    const again = await editor.diagnostics(editor.uri('train.py'));
    const cli = JSON.parse(
      mlflint(['check', '--output-format', 'json', '--no-cache', 'train.py'], editor.dir).stdout,
    ) as { code: string; line: number }[];
    assert.ok(!again.diagnostics.some((d) => d.code === 'MLF101'), JSON.stringify(again.diagnostics));
    assert.deepEqual(
      again.diagnostics.map((d) => [d.code, d.range.start.line + 1]),
      cli.map((f) => [f.code, f.line]),
    );
    assert.equal(await editor.stop(), 0);
  });

  it('TypeScript documents are linted too', async () => {
    const ts = [
      "import { MlflowClient } from 'mlflow-js';",
      '',
      "const client = new MlflowClient('http://localhost:5000');",
      'export async function fit(runId: string, losses: number[]) {',
      '  for (let step = 0; step < losses.length; step++) {',
      "    await client.logMetric(runId, 'loss', losses[step], Date.now(), step);",
      '  }',
      '}',
      '',
    ].join('\n');
    const editor = await start({ 'fit.ts': ts });
    const { diagnostics } = await editor.open('fit.ts', ts, 'typescript');
    const cli = JSON.parse(
      mlflint(['check', '--output-format', 'json', '--no-cache', 'fit.ts'], editor.dir).stdout,
    ) as {
      code: string;
    }[];
    assert.ok(cli.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      cli.map((f) => f.code),
    );
    assert.equal(await editor.stop(), 0);
  });

  it('survives broken documents, and a slow file holds up no other', async () => {
    const editor = await start({});
    const broken = await editor.open('broken.py', 'import mlflow\ndef f(:\n    mlflow.log_metric("a", 1)\n');
    assert.ok(broken.diagnostics.some((d) => d.code === 'MLF000'));
    const binary = await editor.open('binary.py', 'import mlflow\n\u0000\u0001\u0002\uFFFD\n');
    assert.ok(Array.isArray(binary.diagnostics));
    // A long file and a short one opened together: the short one's findings come first.
    const order: string[] = [];
    const slow = editor.open('big.py', BIG).then(() => order.push('big'));
    const fast = editor.open('small.py', ONE_FIX).then(() => order.push('small'));
    await Promise.all([slow, fast]);
    assert.deepEqual(order, ['small', 'big']);
    assert.equal(await editor.stop(), 0);
  });

  it('a closed document loses its findings; reopened, it is linted afresh', async () => {
    const editor = await start({ 'train.py': LOOP });
    const first = await editor.open('train.py', LOOP);
    assert.ok(first.diagnostics.length > 0);
    await editor.close('train.py');
    const cleared = await editor.diagnostics(editor.uri('train.py'));
    assert.deepEqual(cleared.diagnostics, []);
    // Reopened at version 1 again, with other text: its own findings, not the old ones.
    const again = await editor.open('train.py', ONE_FIX);
    assert.deepEqual(
      again.diagnostics.map((d) => d.code),
      ['MLF203'],
    );
    assert.equal(await editor.stop(), 0);
  });

  it('typing fast: the last version is published, and nothing older after it', async () => {
    const editor = await start({ 'tags.py': ONE_FIX });
    await editor.open('tags.py', ONE_FIX);
    const uri = editor.uri('tags.py');
    const typed = (i: number): TextEdit[] => [
      { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: `x${i} = 1\n` },
    ];
    for (let i = 0; i < 19; i++) await editor.edit('tags.py', typed(i));
    const final = await editor.change('tags.py', typed(19));
    assert.equal(final.version, 21);
    assert.deepEqual(
      final.diagnostics.map((d) => d.code),
      ['MLF203'],
    );
    // Pauses of under 150 ms lint nothing in between.
    assert.deepEqual(editor.untaken(uri), []);
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(editor.untaken(uri), [], 'nothing older is published after the last version');
    assert.equal(await editor.stop(), 0);
  });

  it('code actions answer what `only` asks: quick fixes, or fix-all with its edit; the light bulb gets fix-all as a command', async () => {
    const editor = await start({ 'many.py': MANY });
    const { diagnostics } = await editor.open('many.py', MANY);
    const quick = await editor.codeActions('many.py', diagnostics, ['quickfix']);
    assert.ok(quick.length > 0);
    assert.ok(quick.every((a) => a.kind === 'quickfix'));
    const source = await editor.codeActions('many.py', [], ['source']);
    assert.deepEqual(
      source.map((a) => a.kind),
      ['source.fixAll.mlflint'],
    );
    assert.ok(source[0].edit);
    const bulb = await editor.codeActions('many.py', diagnostics);
    const all = bulb.find((a) => a.kind === 'source.fixAll.mlflint');
    assert.ok(all && !all.edit && all.command?.command === 'mlflint.applyAutofix');
    await editor.rpc.sendRequest('workspace/executeCommand', all.command);
    assert.equal(applied(MANY, editor.uri('many.py'), editor.applied[0]), fixedByCli({ 'many.py': MANY }, 'many.py'));
    assert.equal(await editor.stop(), 0);
  });

  it('edits name the version they were made for, where the editor supports it', async () => {
    const editor = await start(
      { 'tags.py': ONE_FIX },
      { capabilities: { workspace: { applyEdit: true, workspaceEdit: { documentChanges: true } } } },
    );
    const { diagnostics } = await editor.open('tags.py', ONE_FIX);
    const [fix] = await editor.codeActions('tags.py', diagnostics, ['quickfix']);
    const change = fix.edit?.documentChanges?.[0] as {
      textDocument: { uri: string; version: number };
      edits: TextEdit[];
    };
    assert.deepEqual(change.textDocument, { uri: editor.uri('tags.py'), version: 1 });
    assert.equal(
      TextDocument.applyEdits(TextDocument.create('x', 'python', 1, ONE_FIX), change.edits),
      fixedByCli({ 'tags.py': ONE_FIX }, 'tags.py'),
    );
    assert.equal(await editor.stop(), 0);
  });

  it('an editor that does not send `data` back still gets its quick fix', async () => {
    const editor = await start({ 'tags.py': ONE_FIX });
    const { diagnostics } = await editor.open('tags.py', ONE_FIX);
    const bare = diagnostics.map(({ data: _data, ...d }) => d);
    const actions = await editor.codeActions('tags.py', bare, ['quickfix']);
    assert.ok(actions.some((a) => a.isPreferred));
    assert.equal(await editor.stop(), 0);
  });

  it('positions count UTF-16 code units, as LSP does, past non-ASCII text', async () => {
    const text = [
      'import mlflow',
      '',
      'def train(model, loader, optimizer):',
      '    for step, batch in enumerate(loader):',
      '        loss = model(batch)',
      '        loss.backward()',
      '        optimizer.step()',
      '        tag = "é😀"; mlflow.log_metric("损失", loss.item(), step=step)',
      '',
    ].join('\n');
    const editor = await start({ 'train.py': text });
    const { diagnostics } = await editor.open('train.py', text);
    const d = diagnostics.find((x) => x.code === 'MLF101');
    assert.ok(d, JSON.stringify(diagnostics));
    const line = text.split('\n')[7];
    assert.deepEqual(d.range.start, { line: 7, character: line.indexOf('mlflow.log_metric') });
    assert.deepEqual(d.range.end, { line: 7, character: line.length });
    assert.equal(await editor.stop(), 0);
  });

  it('lints documents that are not local files: unsaved, a notebook cell, a file on another host', async () => {
    const editor = await start({});
    for (const uri of [
      'untitled:Untitled-1',
      `vscode-notebook-cell:${pathToFileURL(join(editor.dir, 'nb.ipynb')).pathname}#W0sZmlsZQ%3D%3D`,
      'file://server/share/train.py',
      'file:///a%2Fb/train.py',
    ]) {
      const { diagnostics } = await editor.open(uri, LOOP);
      assert.ok(
        diagnostics.some((d) => d.code === 'MLF101'),
        `${uri}: ${JSON.stringify(diagnostics)}`,
      );
    }
    // A language mlflint does not read gets nothing, not an error.
    await editor.rpc.sendNotification('textDocument/didOpen', {
      textDocument: { uri: editor.uri('notes.md'), languageId: 'markdown', version: 1, text: '# notes\n' },
    });
    assert.equal(await editor.stop(), 0);
    assert.deepEqual(editor.untaken(editor.uri('notes.md')), []);
  });

  it('shutdown in the middle of a lint waits for it and exits cleanly', async () => {
    const editor = await start({});
    await editor.busy();
    assert.equal(await editor.stop(), 0);
  });

  it('exit without shutdown, or stdin closed, in the middle of a lint: it waits too, and exits 1 as LSP says', async () => {
    // A worker stopped inside a parse aborts the process (SIGABRT); when it is inside one varies.
    for (const [ms, how] of [
      [250, 'exit'],
      [400, 'exit'],
      [550, 'exit'],
      [300, 'stdin'],
    ] as const) {
      const editor = await start({});
      await editor.busy(ms);
      if (how === 'exit') await editor.rpc.sendNotification('exit');
      else editor.proc.stdin?.end();
      assert.equal(await editor.exited, 1, editor.stderr);
      assert.equal(editor.signal, null, `${how} after ${ms} ms: ${editor.stderr}`);
      assert.ok(editor.wholeMessages(), `${how} after ${ms} ms: a message was cut short`);
      assert.doesNotMatch(editor.stderr, /Error|abort/i);
    }
  });

  it('refuses the transports it does not speak, as a usage error', () => {
    const r = mlflint(['server', '--node-ipc']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--node-ipc is not supported/);
  });

  it('a notebook is linted as one program, as `mlflint check` lints the .ipynb: findings on their cells, fixes in them', async () => {
    const cells = [
      { kind: 2, text: 'import mlflow\n' },
      { kind: 1, text: '# Training\n' },
      { kind: 2, text: LOOP.split('\n').slice(2).join('\n') },
      { kind: 2, text: '%load_ext autoreload\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n' },
    ];
    const ipynb = JSON.stringify({
      metadata: { language_info: { name: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
      cells: cells.map((c) => ({
        cell_type: c.kind === 2 ? 'code' : 'markdown',
        metadata: {},
        source: c.text,
        ...(c.kind === 2 && { outputs: [], execution_count: null }),
      })),
    });
    const editor = await start({ 'nb.ipynb': ipynb });
    const nbUri = editor.uri('nb.ipynb');
    const cellUri = (i: number) => editor.cellUri('nb.ipynb', i);
    const byCell = await editor.openNotebook('nb.ipynb', cells);
    const cli = JSON.parse(
      mlflint(['check', '--output-format', 'json', '--no-cache', 'nb.ipynb'], editor.dir).stdout,
    ) as { cell: number; line: number; column: number; code: string }[];
    assert.ok(cli.some((f) => f.code === 'MLF101') && cli.some((f) => f.code === 'MLF203'), JSON.stringify(cli));
    assert.deepEqual(
      byCell.flatMap((p, i) =>
        p.diagnostics.map((d) => [i + 1, d.code, d.range.start.line + 1, d.range.start.character + 1]),
      ),
      cli.map((f) => [f.cell, f.code, f.line, f.column]),
    );
    // The quick fix of the tags edits their cell, as `check --fix` edits the file's cell.
    const tags = byCell[3].diagnostics.find((d) => d.code === 'MLF203');
    assert.ok(tags);
    const actions = (await editor.rpc.sendRequest('textDocument/codeAction', {
      textDocument: { uri: cellUri(3) },
      range: tags.range,
      context: { diagnostics: [tags], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions));
    assert.deepEqual(Object.keys(fix.edit?.changes ?? {}), [cellUri(3)]);
    const fixedCell = TextDocument.applyEdits(
      TextDocument.create(cellUri(3), 'python', 1, cells[3].text),
      fix.edit?.changes?.[cellUri(3)] ?? [],
    );
    const fixedFile = JSON.parse(fixedByCli({ 'nb.ipynb': ipynb }, 'nb.ipynb')) as {
      cells: { source: string[] | string }[];
    };
    const source = fixedFile.cells[3].source;
    assert.equal(fixedCell, Array.isArray(source) ? source.join('') : source);
    assert.notEqual(fixedCell, cells[3].text);
    // The cell is changed as the editor tells it: the notebook is linted again, and the finding is gone.
    await editor.rpc.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: nbUri, version: 2 },
      change: {
        cells: {
          textContent: [
            {
              document: { uri: cellUri(3), version: 2 },
              changes: (fix.edit?.changes?.[cellUri(3)] ?? []).map((e) => ({ range: e.range, text: e.newText })),
            },
          ],
        },
      },
    });
    const again = await editor.diagnostics(cellUri(3), (p) => p.version === 2);
    assert.ok(!again.diagnostics.some((d) => d.code === 'MLF203'), JSON.stringify(again.diagnostics));
    // Closed, every cell's findings are cleared.
    await editor.rpc.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: nbUri },
      cellTextDocuments: cells.map((_c, i) => ({ uri: cellUri(i) })),
    });
    const cleared = await editor.diagnostics(cellUri(2), (p) => p.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
    assert.equal(await editor.stop(), 0);
  });

  it("a notebook cell's quick fix keeps its CRLF line breaks", async () => {
    const text = 'import mlflow\r\nmlflow.set_tag("a", 1)\r\nmlflow.set_tag("b", 2)\r\n';
    const editor = await start({});
    const [cell] = await editor.openNotebook('nb.ipynb', [{ kind: 2, text }]);
    const tags = cell.diagnostics.find((d) => d.code === 'MLF203');
    assert.ok(tags, JSON.stringify(cell.diagnostics));
    const uri = editor.cellUri('nb.ipynb', 0);
    const actions = await editor.codeActions(uri, [tags], ['quickfix']);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(applied(text, uri, fix.edit), 'import mlflow\r\nmlflow.set_tags({"a": 1, "b": 2})\r\n');
    assert.equal(await editor.stop(), 0);
  });

  it('a notebook change that names a cell the notebook does not have still applies the rest of it', async () => {
    const editor = await start({});
    const [cell] = await editor.openNotebook('nb.ipynb', [{ kind: 2, text: ONE_FIX }]);
    assert.ok(cell.diagnostics.some((d) => d.code === 'MLF203'));
    const uri = editor.cellUri('nb.ipynb', 0);
    await editor.rpc.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: editor.uri('nb.ipynb'), version: 2 },
      change: {
        cells: {
          data: [{ kind: 2, document: editor.cellUri('nb.ipynb', 7) }],
          textContent: [{ document: { uri, version: 2 }, changes: [{ text: 'import mlflow\n' }] }],
        },
      },
    });
    const again = await editor.diagnostics(uri, (p) => p.diagnostics.length === 0);
    assert.deepEqual(again.diagnostics, []);
    // Removed from the notebook, a cell has no code actions of it.
    await editor.rpc.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: editor.uri('nb.ipynb'), version: 3 },
      change: {
        cells: {
          structure: {
            array: { start: 0, deleteCount: 1, cells: [{ kind: 2, document: editor.cellUri('nb.ipynb', 1) }] },
            didOpen: [{ uri: editor.cellUri('nb.ipynb', 1), languageId: 'python', version: 1, text: ONE_FIX }],
            didClose: [{ uri }],
          },
        },
      },
    });
    const moved = await editor.diagnostics(editor.cellUri('nb.ipynb', 1));
    assert.ok(moved.diagnostics.some((d) => d.code === 'MLF203'));
    assert.deepEqual(await editor.codeActions(uri, moved.diagnostics), []);
    assert.equal(await editor.stop(), 0);
  });

  it('each workspace folder has its own configuration', async () => {
    const editor = await start({
      'a/pyproject.toml': '[tool.mlflint]\nignore = ["MLF101"]\n',
      'a/train.py': LOOP,
      'b/train.py': LOOP,
    });
    const a = await editor.open('a/train.py', LOOP);
    const b = await editor.open('b/train.py', LOOP);
    assert.ok(!a.diagnostics.some((d) => d.code === 'MLF101'), JSON.stringify(a.diagnostics));
    assert.ok(
      b.diagnostics.some((d) => d.code === 'MLF101'),
      JSON.stringify(b.diagnostics),
    );
    assert.equal(await editor.stop(), 0);
  });
});
