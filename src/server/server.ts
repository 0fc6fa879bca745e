// `mlflint server`: the Language Server Protocol over stdio, for editors that do not run ESLint on
// Python (VS Code, Neovim, Helix, Zed). The same engine, configuration discovery and suppressions
// as `mlflint check`; files are linted in worker threads, so one slow file holds up no other.
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  ProposedFeatures,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  adapterFor,
  findRule,
  fixIsSound,
  fixText,
  lineEnd,
  lineStart,
  type Diagnostic,
  type Fix,
  type LintOptions,
  type Severity,
} from '../index.js';
import { ConfigError, ConfigFinder, CONFIG_FILES, type Config } from '../config/config.js';
import { forgetLineLengths } from '../config/line-length.js';
import { withNoqa } from '../cli/add-noqa.js';
import { runJob, type JobResult } from '../cli/job.js';
import type { CheckFlags } from '../cli/flags.js';
import { optionsFor } from '../cli/options.js';
import { Pool, UNDER_TSX } from '../cli/pool.js';
import { renderRule } from '../docs/render-rule.js';
import { ruleUrl } from '../docs/urls.js';
import { pathOf, snapshot, type Linted } from './documents.js';
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
  const linted = new Map<string, Linted>();
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

  const lint = async (uri: string, generation: number): Promise<void> => {
    const doc = documents.get(uri);
    const path = doc && pathOf(doc, root);
    if (!doc || !path || !adapterFor(path)) return;
    const now = snapshot(doc);
    // Closed, reopened, changed or re-configured while it was linted: a newer lint is on its way.
    const stale = () => scheduler.generation(uri) !== generation || documents.get(uri)?.version !== now.version;
    let result: JobResult;
    try {
      const job = { abs: path, text: now.getText(), options: optionsOf(path), mode: 'lint' as const, unsafe: true };
      result = pool ? await pool.run(job) : runJob(job);
    } catch (e) {
      if (stopping) return;
      // A bad configuration or a file that trips a bug: said once, and the document has no findings.
      const message = e instanceof ConfigError ? e.message : `internal error on ${path}: ${(e as Error).message}`;
      if (!told.has(message)) {
        told.add(message);
        if (e instanceof ConfigError) void connection.window.showErrorMessage(`mlflint: ${message}`);
        else connection.console.error(`mlflint: ${message}\n${(e as Error).stack ?? ''}`);
      }
      if (stale()) return;
      linted.delete(uri);
      void connection.sendDiagnostics({ uri, version: now.version, diagnostics: [] });
      return;
    }
    if (stale()) return;
    const entry: Linted = { doc: now, path, diagnostics: result.diagnostics, syntaxErrors: result.syntaxErrors ?? 0 };
    linted.set(uri, entry);
    void connection.sendDiagnostics({
      uri,
      version: now.version,
      diagnostics: result.diagnostics.map((d, id) => toLsp(d, id, now)),
    });
  };
  const scheduler = new Scheduler(lint);

  const relintAll = (): void => {
    finder = new ConfigFinder();
    forgetLineLengths();
    told.clear();
    for (const doc of documents.all()) scheduler.schedule(doc.uri, 0);
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
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  // Editors without file watchers still save the configuration they edit.
  documents.onDidSave((e) => {
    const path = filePath(e.document.uri);
    if (path && WATCHED.includes(basename(path))) relintAll();
  });
  connection.onDidChangeWatchedFiles(() => relintAll());

  connection.onCodeAction((params) => {
    const entry = current(params.textDocument.uri);
    if (!entry) return [];
    const only = params.context.only;
    const asked = (kind: string) => !!only?.some((k) => k === '' || kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (!only || asked(CodeActionKind.QuickFix)) {
      for (const given of params.context.diagnostics) {
        const d = findingOf(entry, given);
        if (!d) continue;
        const fix = d.fix && fixIsSound(entry.path, entry.doc.getText(), d.fix, entry.syntaxErrors) ? d.fix : null;
        if (fix)
          actions.push({
            title: fix.safety === 'safe' ? fix.message : `${fix.message} (unsafe)`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [given],
            isPreferred: fix.safety === 'safe',
            edit: editOf(entry, fixEdits(entry, fix)),
          });
        const noqa = noqaEdits(entry, d);
        if (noqa)
          actions.push({
            title: `Disable ${d.code} for this line`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [given],
            edit: editOf(entry, noqa),
          });
      }
    }
    if (asked(FIX_ALL)) {
      // Fix-on-save asks for it by kind: the edit is worked out now.
      const edits = fixAll(entry);
      if (edits) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL, edit: editOf(entry, edits) });
    } else if (!only && entry.diagnostics.some((d) => d.fix?.safety === 'safe') && canApplyEdits) {
      // In the light bulb's list it is a command, run only if chosen: no fixing on every cursor move.
      const args = [{ uri: entry.doc.uri, version: entry.doc.version }];
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
    const arg = params.arguments?.[0] as { uri?: string; version?: number } | string | undefined;
    const uri = typeof arg === 'string' ? arg : arg?.uri;
    const entry = uri ? current(uri) : null;
    // Asked of a version the user has since changed: the fixes would land in the wrong places.
    if (!entry || (typeof arg === 'object' && arg.version !== undefined && arg.version !== entry.doc.version))
      return null;
    const edits = fixAll(entry);
    if (!edits) return null;
    if (!canApplyEdits) {
      connection.console.warn('mlflint: the editor cannot apply edits the server sends (workspace.applyEdit)');
      return null;
    }
    await connection.workspace.applyEdit({ label: FIX_ALL_TITLE, edit: editOf(entry, edits) });
    return null;
  });

  connection.onHover((params) => {
    const entry = current(params.textDocument.uri);
    if (!entry) return null;
    const at = entry.doc.offsetAt(params.position);
    const here = entry.diagnostics.filter((d) => d.range.start.offset <= at && at <= d.range.end.offset);
    const docs = [...new Set(here.map((d) => d.code))].map((code) => findRule(code)).filter((r) => !!r);
    if (!docs.length) return null;
    return { contents: { kind: 'markdown', value: docs.map((r) => renderRule(r)).join('\n---\n\n') } };
  });

  connection.onShutdown(async () => {
    // A worker stopped in the middle of a parse takes the process down with it: let lints finish.
    stopping = true;
    await scheduler.stop(SHUTDOWN_WAIT_MS);
    await pool?.close();
    pool = null;
  });

  /** What was linted of the document, if it is still the text the editor has. */
  const current = (uri: string): Linted | null => {
    const entry = linted.get(uri);
    return entry && documents.get(uri)?.version === entry.doc.version ? entry : null;
  };

  /** Every safe fix, as `mlflint check --fix` applies them, as one edit of the whole document. */
  const fixAll = (entry: Linted): TextEdit[] | null => {
    const text = entry.doc.getText();
    const r = fixText(entry.path, text, optionsOf(entry.path), false);
    if (r.refused || r.text === text) return null;
    return [{ range: { start: entry.doc.positionAt(0), end: entry.doc.positionAt(text.length) }, newText: r.text }];
  };

  /** Edits of the version that was linted, where the editor can check that it still has it. */
  const editOf = (entry: Linted, edits: TextEdit[]): WorkspaceEdit =>
    versionedEdits
      ? { documentChanges: [{ textDocument: { uri: entry.doc.uri, version: entry.doc.version }, edits }] }
      : { changes: { [entry.doc.uri]: edits } };

  documents.listen(connection);
  connection.listen();
}

function toLsp(d: Diagnostic, id: number, doc: TextDocument): LspDiagnostic {
  const rule = findRule(d.code);
  const range = (r: Diagnostic['range']) => ({
    start: doc.positionAt(r.start.offset),
    end: doc.positionAt(r.end.offset),
  });
  return {
    range: range(d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    ...(rule && { codeDescription: { href: ruleUrl(rule) } }),
    source: 'mlflint',
    message: d.message,
    relatedInformation: d.related.map((r) => ({
      location: { uri: doc.uri, range: range(r.range) },
      message: r.message,
    })),
    data: { id, version: doc.version },
  };
}

/**
 * The finding an editor's diagnostic stands for: by the id it was sent with, checked against its
 * code; or, from an editor that does not send `data` back, by its code and range.
 */
function findingOf(entry: Linted, given: LspDiagnostic): Diagnostic | null {
  if (given.source !== undefined && given.source !== 'mlflint') return null;
  const data = given.data as { id?: number; version?: number } | undefined;
  if (typeof data?.id === 'number') {
    if (data.version !== entry.doc.version) return null;
    const d = entry.diagnostics[data.id];
    return d && d.code === given.code ? d : null;
  }
  const start = entry.doc.offsetAt(given.range.start);
  const end = entry.doc.offsetAt(given.range.end);
  return (
    entry.diagnostics.find(
      (d) => d.code === given.code && d.range.start.offset === start && d.range.end.offset === end,
    ) ?? null
  );
}

function fixEdits(entry: Linted, fix: Fix): TextEdit[] {
  return fix.edits.map((e) => ({
    range: { start: entry.doc.positionAt(e.start), end: entry.doc.positionAt(e.end) },
    newText: e.text,
  }));
}

/** `# noqa: MLF101` (or `// noqa`) at the end of the finding's last line, merged into one already there. */
function noqaEdits(entry: Linted, d: Diagnostic): TextEdit[] | null {
  // A syntax error cannot be silenced, and an unused noqa is mended, not silenced.
  if (d.code === 'MLF000' || d.code === 'MLF001') return null;
  const text = entry.doc.getText();
  const end = lineEnd(text, d.range.end.offset);
  const start = lineStart(text, end);
  const marker = adapterFor(entry.path)?.id === 'python' ? '#' : '//';
  const next = withNoqa(text.slice(start, end), [d.code], marker);
  if (next === null) return null;
  return [{ range: { start: entry.doc.positionAt(start), end: entry.doc.positionAt(end) }, newText: next }];
}

/** The path of a `file:` URI, or null for another scheme or one that names no local file. */
function filePath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}
