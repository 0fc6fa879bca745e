// What the server knows of each open document or notebook: the text it last linted, and the
// findings of that text, so that code actions and hovers answer from the version the user sees.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Position, Range } from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../index.js';
import { inCell, joinedOffset, type JoinedNotebook } from './notebooks.js';

export interface Linted {
  /** The text as it was linted (offsets of the findings are into it): for a notebook, its cells joined. */
  doc: TextDocument;
  /** Which versions were linted: the document's, or the notebook's and each of its cells'. */
  stamp: string;
  /** The file's path, for its language and its configuration. */
  path: string;
  diagnostics: Diagnostic[];
  /** Syntax problems of the text: a fix must not add one. */
  syntaxErrors: number;
  notebook?: JoinedNotebook;
}

const BY_LANGUAGE: Record<string, string> = {
  python: '.py',
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

const READ = /\.(py|pyi|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

/**
 * The path a document is linted as, for its language and its configuration: its file; for a
 * notebook's cell sent on its own, its notebook with the extension of the cell's language; for an
 * unsaved document, a name in the workspace. Null for what mlflint does not read.
 */
export function pathOf(doc: Pick<TextDocument, 'uri' | 'languageId'>, root: string): string | null {
  const ext = BY_LANGUAGE[doc.languageId];
  const file = localPath(doc.uri);
  if (file && doc.uri.startsWith('file:') && READ.test(file)) return file;
  if (!ext) return null;
  return file ? `${file}${ext}` : join(root, `untitled${ext}`);
}

/** The path a notebook is linted as: an .ipynb file, so that it is read as a notebook. */
export function notebookPath(uri: string, root: string): string {
  const file = localPath(uri) ?? join(root, 'untitled');
  return /\.ipynb$/i.test(file) ? file : `${file}.ipynb`;
}

/** The local file a URI names: `file:`, or the notebook of a VS Code cell (`vscode-notebook-cell:`). */
export function localPath(uri: string): string | null {
  try {
    const url = new URL(uri);
    if (url.protocol === 'file:') return fileURLToPath(url);
    if (url.protocol === 'vscode-notebook-cell:' && url.pathname.startsWith('/'))
      return fileURLToPath(`file://${url.pathname}`);
  } catch {
    // A file on another host (`file://server/share/x.py`), or a name that is not a path.
  }
  return null;
}

/** A copy of the document as it is now: the editor's own object changes with every edit. */
export function snapshot(doc: TextDocument): TextDocument {
  return TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
}

/** Where a span of the linted text is in the editor: its document (a notebook's cell) and range. */
export function placeOf(entry: Linted, start: number, end: number): { uri: string; range: Range } | null {
  if (!entry.notebook)
    return { uri: entry.doc.uri, range: { start: entry.doc.positionAt(start), end: entry.doc.positionAt(end) } };
  const from = inCell(entry.notebook, start);
  if (!from) return null;
  const to = inCell(entry.notebook, end);
  // A span that runs out of its cell ends at the end of its first line.
  const stop =
    to && to.cell === from.cell
      ? to.position
      : { line: from.position.line, character: from.cell.doc.getText().split('\n')[from.position.line]?.length ?? 0 };
  return { uri: from.cell.doc.uri, range: { start: from.position, end: stop } };
}

/** The offset in the linted text of a position in one of the editor's documents. */
export function offsetIn(entry: Linted, uri: string, position: Position): number | null {
  return entry.notebook ? joinedOffset(entry.notebook, uri, position) : entry.doc.offsetAt(position);
}
