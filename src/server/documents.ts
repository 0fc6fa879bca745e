// What the server knows of each open document: the text it last linted, and the findings of that
// text, so that code actions and hovers answer from the version the user sees.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../index.js';

export interface Linted {
  /** The document as it was linted (offsets of the findings are into its text). */
  doc: TextDocument;
  /** The file's path, for its language and its configuration. */
  path: string;
  diagnostics: Diagnostic[];
  /** Syntax problems of the text: a fix must not add one. */
  syntaxErrors: number;
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
 * notebook's cell, its notebook with the extension of the cell's language; for an unsaved document,
 * a name in the workspace. Null for what mlflint does not read.
 */
export function pathOf(doc: Pick<TextDocument, 'uri' | 'languageId'>, root: string): string | null {
  const ext = BY_LANGUAGE[doc.languageId];
  const file = localPath(doc.uri);
  if (file && doc.uri.startsWith('file:') && READ.test(file)) return file;
  if (!ext) return null;
  return file ? `${file}${ext}` : join(root, `untitled${ext}`);
}

/** The local file a URI names: `file:`, or the notebook of a VS Code cell (`vscode-notebook-cell:`). */
function localPath(uri: string): string | null {
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
