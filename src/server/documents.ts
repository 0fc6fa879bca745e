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
 * The path a document is linted as: its file, or for an unsaved document (or a notebook's cell)
 * a name in the workspace with the extension of its language. Null for what mlflint does not read.
 */
export function pathOf(doc: Pick<TextDocument, 'uri' | 'languageId'>, root: string): string | null {
  const ext = BY_LANGUAGE[doc.languageId];
  if (doc.uri.startsWith('file:')) {
    const path = fileURLToPath(doc.uri);
    if (READ.test(path)) return path;
    return ext ? `${path}${ext}` : null;
  }
  return ext ? join(root, `untitled${ext}`) : null;
}

/** A copy of the document as it is now: the editor's own object changes with every edit. */
export function snapshot(doc: TextDocument): TextDocument {
  return TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
}
