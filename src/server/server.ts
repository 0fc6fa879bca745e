// `mlflint server`: the Language Server Protocol over stdio, for editors that do not run ESLint on
// Python (VS Code, Neovim, Helix, Zed). The same engine, configuration discovery and suppressions
// as `mlflint check`; files are linted in worker threads, so one slow file holds up no other.
import { basename, dirname } from 'node:path';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  NotebookDocuments,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  ProposedFeatures,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  adapterFor,
  findRule,
  fixIsSound,
  retold,
  type Diagnostic,
  type LintOptions,
  type Severity,
} from '../index.js';
import { ConfigError, ConfigFinder, CONFIG_FILES, type Config } from '../config/config.js';
import { forgetLineLengths } from '../config/line-length.js';
import { runJob, type JobResult } from '../cli/job.js';
import type { CheckFlags } from '../cli/flags.js';
import { optionsFor } from '../cli/options.js';
import { Pool, UNDER_TSX } from '../cli/pool.js';
import { renderRule } from '../docs/render-rule.js';
import { ruleUrl } from '../docs/urls.js';
import { findingOf, noqaEdits, workspaceEdit } from './actions.js';
import { localPath, notebookPath, offsetIn, pathOf, placeOf, snapshot, type Linted } from './documents.js';
import { checkedSync, joinNotebook } from './notebooks.js';
import { Scheduler } from './scheduler.js';

/** The server has no command line: every file gets its configuration's options. */
const FLAGS: CheckFlags = { format: 'text' };
/** How long typing pauses before a document is linted again. */
const DEBOUNCE_MS = 150;
export const FIX_ALL = `${CodeActionKind.SourceFixAll}.mlflint`;
export const APPLY_AUTOFIX = 'mlflint.applyAutofix';
const FIX_ALL_TITLE = 'mlflint: Fix all safe fixes';
/** How long a shutdown waits for the lints under way. */
const SHUTDOWN_WAIT_MS = 3000;
/** Files whose change can change a document's options: mlflint's own, and the formatter's line length. */
const WATCHED = [...CONFIG_FILES, 'ruff.toml', '.ruff.toml'];

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function startServer(
  connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout),
): void {
  const documents = new TextDocuments(TextDocument);
  const notebooks = new NotebookDocuments(TextDocument);
  const linted = new Map<string, Linted>();
  /** The cells each notebook's findings were last published on, to clear those that went away. */
  const published = new Map<string, string[]>();
  let finder = new ConfigFinder();
  let root = process.cwd();
  let pool: Pool | null = null;
  /** Errors already shown: a broken configuration is said once, not on every keystroke. */
  const told = new Set<string>();
  let watchDynamically = false;
  let canApplyEdits = false;
  let versionedEdits = false;
  let stopping = false;

  const configFor = (dir: string): Config | null => finder.find(dir);
  const optionsOf = (path: string): LintOptions => optionsFor(path, FLAGS, configFor(dirname(path)));

  /** Which versions the editor has of a document or a notebook (and its cells), or null when it is closed. */
  const stampOf = (uri: string): string | null => {
    const doc = documents.get(uri);
    if (doc) return String(doc.version);
    const nb = notebooks.getNotebookDocument(uri);
    if (!nb) return null;
    return [nb.version, ...nb.cells.map((c) => notebooks.cellTextDocuments.get(c.document)?.version ?? '-')].join('/');
  };

  /** What to lint for a URI: the document's text, or a notebook's cells joined, under the path it is linted as. */
  const targetOf = (uri: string): Omit<Linted, 'diagnostics' | 'syntaxErrors'> | null => {
    const stamp = stampOf(uri);
    const doc = documents.get(uri);
    if (doc && stamp) {
      const path = pathOf(doc, root);
      return path && adapterFor(path) ? { doc: snapshot(doc), stamp, path } : null;
    }
    const nb = notebooks.getNotebookDocument(uri);
    const notebook = nb && joinNotebook(nb, (cell) => notebooks.cellTextDocuments.get(cell));
    return notebook && stamp ? { doc: notebook.doc, stamp, path: notebookPath(uri, root), notebook } : null;
  };

  const lint = async (uri: string, generation: number): Promise<void> => {
    const target = targetOf(uri);
    if (!target) return;
    // Closed, reopened, changed or re-configured while it was linted: a newer lint is on its way.
    const stale = () => scheduler.generation(uri) !== generation || stampOf(uri) !== target.stamp;
    let entry: Linted;
    try {
      const job = {
        abs: target.path,
        text: target.doc.getText(),
        options: optionsOf(target.path),
        mode: 'lint' as const,
        unsafe: true,
        // A code action checks the fix it offers: a lint on every pause in typing checks none.
        uncheckedFixes: true,
      };
      const result = pool ? await pool.run(job) : runJob(job);
      const diagnostics = target.notebook ? retold(target.notebook.index, result.diagnostics) : result.diagnostics;
      entry = { ...target, diagnostics, syntaxErrors: result.syntaxErrors ?? 0 };
    } catch (e) {
      if (stopping) return;
      // A bad configuration or a file that trips a bug: said once, and the document has no findings.
      const message =
        e instanceof ConfigError ? e.message : `internal error on ${target.path}: ${(e as Error).message}`;
      if (!told.has(message)) {
        told.add(message);
        if (e instanceof ConfigError) void connection.window.showErrorMessage(`mlflint: ${message}`);
        else connection.console.error(`mlflint: ${message}\n${(e as Error).stack ?? ''}`);
      }
      if (stale()) return;
      linted.delete(uri);
      publish(uri, { ...target, diagnostics: [], syntaxErrors: 0 });
      return;
    }
    if (stale()) return;
    linted.set(uri, entry);
    publish(uri, entry);
  };
  const scheduler = new Scheduler(lint);

  /** Sends the findings: on the document, or on each cell of the notebook (none on the others). */
  const publish = (uri: string, entry: Linted): void => {
    const byDoc = new Map<string, { version: number; diagnostics: LspDiagnostic[] }>();
    if (entry.notebook)
      for (const cell of entry.notebook.cells) byDoc.set(cell.doc.uri, { version: cell.doc.version, diagnostics: [] });
    else byDoc.set(uri, { version: entry.doc.version, diagnostics: [] });
    entry.diagnostics.forEach((d, id) => {
      const lsp = toLsp(entry, d, id);
      if (lsp) byDoc.get(lsp.uri)?.diagnostics.push(lsp.diagnostic);
    });
    if (entry.notebook) {
      for (const gone of published.get(uri) ?? []) if (!byDoc.has(gone)) clear(gone);
      published.set(uri, [...byDoc.keys()]);
    }
    for (const [doc, { version, diagnostics }] of byDoc)
      void connection.sendDiagnostics({ uri: doc, version, diagnostics });
  };
  const clear = (uri: string) => void connection.sendDiagnostics({ uri, diagnostics: [] });

  const relintAll = (): void => {
    finder = new ConfigFinder();
    forgetLineLengths();
    told.clear();
    for (const doc of documents.all()) scheduler.schedule(doc.uri, 0);
    for (const uri of published.keys()) scheduler.schedule(uri, 0);
  };

  connection.onInitialize((params) => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    root = (folder && filePath(folder)) ?? root;
    // Workers pay off as soon as a second file is open; under tsx (the tests of the source) there are none.
    if (!UNDER_TSX) pool = new Pool(2);
    const workspace = params.capabilities.workspace;
    watchDynamically = !!workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canApplyEdits = !!workspace?.applyEdit;
    versionedEdits = !!workspace?.workspaceEdit?.documentChanges;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: true },
        // Markdown cells too, so that cells are counted as the editor shows them ("cell 3, line 2").
        notebookDocumentSync: { notebookSelector: [{ cells: [{ language: 'python' }, { language: 'markdown' }] }] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL], resolveProvider: false },
        executeCommandProvider: { commands: [APPLY_AUTOFIX] },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'mlflint' },
    };
  });

  connection.onInitialized(() => {
    if (watchDynamically)
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED.map((name) => ({ globPattern: `**/${name}` })),
      });
  });

  // An open is told as an open and then as a change: it is linted at once, not after the pause.
  const opening = new Set<string>();
  documents.onDidOpen((e) => {
    opening.add(e.document.uri);
    scheduler.schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    if (!opening.delete(e.document.uri)) scheduler.schedule(e.document.uri, DEBOUNCE_MS);
  });
  documents.onDidClose((e) => {
    scheduler.forget(e.document.uri);
    opening.delete(e.document.uri);
    linted.delete(e.document.uri);
    clear(e.document.uri);
  });
  notebooks.onDidOpen((nb) => {
    published.set(nb.uri, []);
    scheduler.schedule(nb.uri, 0);
  });
  notebooks.onDidChange((e) => scheduler.schedule(e.notebookDocument.uri, DEBOUNCE_MS));
  notebooks.onDidClose((nb) => {
    scheduler.forget(nb.uri);
    linted.delete(nb.uri);
    for (const cell of published.get(nb.uri) ?? []) clear(cell);
    published.delete(nb.uri);
  });
  // Editors without file watchers still save the configuration they edit.
  documents.onDidSave((e) => {
    const path = filePath(e.document.uri);
    if (path && WATCHED.includes(basename(path))) relintAll();
  });
  connection.onDidChangeWatchedFiles(() => relintAll());

  /** What was linted of a document, or of the notebook a cell is in, if the editor still has that text. */
  const current = (uri: string): Linted | null => {
    // The library still maps a cell the notebook no longer has to it.
    const nb = notebooks.findNotebookDocumentForCell(uri);
    const owner = nb?.cells.some((c) => c.document === uri) ? nb.uri : uri;
    const entry = linted.get(owner);
    if (!entry) return null;
    if (stampOf(owner) === entry.stamp) return entry;
    // Changed without a change of text the library tells of (cells moved): lint it again.
    if (!scheduler.pending(owner) && stampOf(owner) !== null) scheduler.schedule(owner, 0);
    return null;
  };

  connection.onCodeAction(async (params) => {
    const uri = params.textDocument.uri;
    const entry = current(uri);
    if (!entry) return [];
    const only = params.context.only;
    const asked = (kind: string) => !!only?.some((k) => k === '' || kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (!only || asked(CodeActionKind.QuickFix)) {
      for (const given of params.context.diagnostics) {
        const d = findingOf(entry, uri, given);
        if (!d) continue;
        const fix = d.fix && fixIsSound(entry.path, entry.doc.getText(), d.fix, entry.syntaxErrors) ? d.fix : null;
        const edit = fix && workspaceEdit(entry, fix.edits, versionedEdits);
        if (fix && edit)
          actions.push({
            title: fix.safety === 'safe' ? fix.message : `${fix.message} (unsafe)`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [given],
            isPreferred: fix.safety === 'safe',
            edit,
          });
        const noqa = noqaEdits(entry, d);
        const silence = noqa && workspaceEdit(entry, noqa, versionedEdits);
        if (silence)
          actions.push({
            title: `Disable ${d.code} for this line`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [given],
            edit: silence,
          });
      }
    }
    if (asked(FIX_ALL)) {
      // Fix-on-save asks for it by kind: the edit is worked out now.
      const edit = await fixAll(entry);
      if (edit) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL, edit });
    } else if (!only && canApplyEdits && entry.diagnostics.some((d) => d.fix?.safety === 'safe')) {
      // In the light bulb's list it is a command, run only if chosen: no fixing on every cursor move.
      const args = [{ uri: entry.doc.uri, stamp: entry.stamp }];
      actions.push({
        title: FIX_ALL_TITLE,
        kind: FIX_ALL,
        command: { title: FIX_ALL_TITLE, command: APPLY_AUTOFIX, arguments: args },
      });
    }
    return actions;
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== APPLY_AUTOFIX) return null;
    const arg = params.arguments?.[0] as { uri?: string; stamp?: string } | string | undefined;
    const uri = typeof arg === 'string' ? arg : arg?.uri;
    const entry = uri ? current(uri) : null;
    // Asked of a version the user has since changed: the fixes would land in the wrong places.
    if (!entry || (typeof arg === 'object' && arg.stamp !== undefined && arg.stamp !== entry.stamp)) return null;
    const edit = await fixAll(entry);
    if (!edit) return null;
    if (!canApplyEdits) {
      connection.console.warn('mlflint: the editor cannot apply edits the server sends (workspace.applyEdit)');
      return null;
    }
    await connection.workspace.applyEdit({ label: FIX_ALL_TITLE, edit });
    return null;
  });

  connection.onHover((params) => {
    const entry = current(params.textDocument.uri);
    const at = entry && offsetIn(entry, params.textDocument.uri, params.position);
    if (!entry || at === null) return null;
    const here = entry.diagnostics.filter((d) => d.range.start.offset <= at && at <= d.range.end.offset);
    const docs = [...new Set(here.map((d) => d.code))].map((code) => findRule(code)).filter((r) => !!r);
    if (!docs.length) return null;
    return { contents: { kind: 'markdown', value: docs.map((r) => renderRule(r)).join('\n---\n\n') } };
  });

  // A worker stopped in the middle of a parse takes the process down with it: lints under way finish first.
  const wind = async (): Promise<void> => {
    stopping = true;
    await scheduler.stop(SHUTDOWN_WAIT_MS);
    await pool?.close(SHUTDOWN_WAIT_MS);
    pool = null;
  };
  connection.onShutdown(wind);
  // The library ends the process itself, on `exit`, when stdin ends and when the editor is gone;
  // what the lints under way publish is written out before it does.
  const exit = process.exit.bind(process);
  let exiting = false;
  process.exit = ((code?: number) => {
    if (!exiting) {
      exiting = true;
      void wind()
        .then(flushed)
        .finally(() => exit(code));
    }
    return undefined as never;
  }) as typeof process.exit;

  /** Every safe fix, as `mlflint check --fix` applies them; worked out in a worker, as lints are. */
  const fixAll = async (entry: Linted) => {
    const text = entry.doc.getText();
    let r: JobResult;
    try {
      const job = { abs: entry.path, text, options: optionsOf(entry.path), mode: 'fix' as const, unsafe: false };
      r = pool ? await pool.run(job) : runJob(job);
    } catch {
      // A bad configuration (told when the document was linted) or a pool closed by a shutdown.
      return null;
    }
    // Typed over while it was worked out: the edit would land on other text.
    if (r.refused || r.fixed === undefined || stampOf(entry.doc.uri) !== entry.stamp) return null;
    return workspaceEdit(entry, [{ start: 0, end: text.length, text: r.fixed }], versionedEdits);
  };

  documents.listen(connection);
  notebooks.listen(checkedSync(connection, notebooks));
  connection.listen();
}

/** Resolves when what was sent has been written to stdout (or it is closed), or after a second. */
function flushed(): Promise<void> {
  return new Promise((resolve) => {
    const limit = setTimeout(resolve, 1000);
    // Messages are encoded before they are written: let those sent last reach the stream first.
    setImmediate(() =>
      process.stdout.write('', () => {
        clearTimeout(limit);
        resolve();
      }),
    );
  });
}

/** A finding as the editor shows it, on the document (or notebook cell) it is in. */
function toLsp(entry: Linted, d: Diagnostic, id: number): { uri: string; diagnostic: LspDiagnostic } | null {
  const place = placeOf(entry, d.range.start.offset, d.range.end.offset);
  if (!place) return null;
  const rule = findRule(d.code);
  return {
    uri: place.uri,
    diagnostic: {
      range: place.range,
      severity: SEVERITY[d.severity],
      code: d.code,
      ...(rule && { codeDescription: { href: ruleUrl(rule) } }),
      source: 'mlflint',
      message: d.message,
      relatedInformation: d.related.flatMap((r) => {
        const at = placeOf(entry, r.range.start.offset, r.range.end.offset);
        return at ? [{ location: at, message: r.message }] : [];
      }),
      data: { id, stamp: entry.stamp },
    },
  };
}

/** The path of a `file:` URI, or null for another scheme or one that names no local file. */
function filePath(uri: string): string | null {
  return uri.startsWith('file:') ? localPath(uri) : null;
}
