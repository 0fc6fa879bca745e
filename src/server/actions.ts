// The edits the server offers, worked out on the linted text and sent as edits of the editor's
// documents: the document itself, or the cells of a notebook that a change falls in.
import type { Diagnostic as LspDiagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node.js';
import { adapterFor, applyFixesOnce, lineEnd, lineStart, type Diagnostic, type Edit } from '../index.js';
import { withNoqa } from '../cli/add-noqa.js';
import { offsetIn, type Linted } from './documents.js';
import { cellEdits } from './notebooks.js';

/**
 * The finding an editor's diagnostic stands for: by the id it was sent with, checked against its
 * code; or, from an editor that does not send `data` back, by its code and range.
 */
export function findingOf(entry: Linted, uri: string, given: LspDiagnostic): Diagnostic | null {
  if (given.source !== undefined && given.source !== 'mlflint') return null;
  const data = given.data as { id?: number; stamp?: string } | undefined;
  if (typeof data?.id === 'number') {
    if (data.stamp !== entry.stamp) return null;
    const d = entry.diagnostics[data.id];
    return d && d.code === given.code ? d : null;
  }
  const start = offsetIn(entry, uri, given.range.start);
  const end = offsetIn(entry, uri, given.range.end);
  return (
    entry.diagnostics.find(
      (d) => d.code === given.code && d.range.start.offset === start && d.range.end.offset === end,
    ) ?? null
  );
}

/** `# noqa: MLF101` (or `// noqa`) at the end of the finding's last line, merged into one already there. */
export function noqaEdits(entry: Linted, d: Diagnostic): Edit[] | null {
  // A syntax error cannot be silenced, and an unused noqa is mended, not silenced.
  if (d.code === 'MLF000' || d.code === 'MLF001') return null;
  const text = entry.doc.getText();
  const end = lineEnd(text, d.range.end.offset);
  const start = lineStart(text, end);
  const marker = adapterFor(entry.path)?.id === 'python' ? '#' : '//';
  const next = withNoqa(text.slice(start, end), [d.code], marker);
  return next === null ? null : [{ start, end, text: next }];
}

/**
 * Edits of the linted text as an edit of the editor's documents, each naming the version it was
 * made for where the editor can check it (`versioned`). Null when a notebook's cells cannot take
 * them (a change across two cells, or in a magic).
 */
export function workspaceEdit(entry: Linted, edits: readonly Edit[], versioned: boolean): WorkspaceEdit | null {
  const docs: { uri: string; version: number; edits: TextEdit[] }[] = [];
  if (entry.notebook) {
    const cells = cellEdits(entry.notebook, applyFixesOnce(entry.doc.getText(), [{ edits }]).text);
    if (!cells) return null;
    for (const c of cells) docs.push({ uri: c.cell.doc.uri, version: c.cell.doc.version, edits: c.edits });
  } else {
    const doc = entry.doc;
    const mapped = edits.map((e) => ({
      range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
      newText: e.text,
    }));
    docs.push({ uri: doc.uri, version: doc.version, edits: mapped });
  }
  if (!docs.length) return null;
  return versioned
    ? { documentChanges: docs.map((d) => ({ textDocument: { uri: d.uri, version: d.version }, edits: d.edits })) }
    : { changes: Object.fromEntries(docs.map((d) => [d.uri, d.edits])) };
}
