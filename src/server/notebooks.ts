// A notebook open in the editor, linted as the CLI lints an .ipynb file: its code cells joined into
// one Python program (an import in cell 1 and a loop in cell 7 are one module). Findings go back
// to the cell they fall in, and edits of the joined text become edits of the cells they change.
import type {
  Connection,
  DidChangeNotebookDocumentParams,
  NotebookDocument,
  NotebookDocuments,
  Position,
  TextEdit,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { commonEnds, readNotebook, type NotebookIndex } from '../index.js';

export interface Cell {
  /** The cell's own text document. */
  doc: TextDocument;
  /** 0-based line of the joined text of each of the cell's lines (-1 where a magic is masked). */
  lines: number[];
}

export interface JoinedNotebook {
  /** The joined Python, as a document of the notebook's URI and version. */
  doc: TextDocument;
  index: NotebookIndex;
  /** The notebook's cells in order (markdown ones too, so that cell numbers are the editor's). */
  cells: Cell[];
}

const MARKUP = 1;

/** The notebook's cells joined, with the map from the joined text to each cell and back. */
export function joinNotebook(
  notebook: NotebookDocument,
  cellDoc: (uri: string) => TextDocument | undefined,
): JoinedNotebook | null {
  const docs = notebook.cells.map((c) => cellDoc(c.document));
  const nb = {
    metadata: {},
    cells: notebook.cells.map((c, i) => ({
      cell_type: c.kind === MARKUP ? 'markdown' : 'code',
      source: docs[i]?.getText() ?? '',
      metadata: { vscode: { languageId: docs[i]?.languageId ?? 'python' } },
    })),
  };
  const read = readNotebook(JSON.stringify(nb));
  if (!read.ok) return null;
  const joined = read.text.split('\n');
  const cells: Cell[] = docs.map((doc, i) => ({
    doc: doc ?? TextDocument.create(notebook.cells[i].document, 'python', 0, ''),
    lines: [],
  }));
  for (let line = 0; line < joined.length; line++) {
    const at = read.index.locate(line + 1);
    const cell = cells[at.cell - 1];
    if (!cell || at.line - 1 !== cell.lines.length || at.line > cell.doc.lineCount) continue;
    // A masked magic is `...` in the joined text: nothing there maps back to the cell's text.
    cell.lines.push(joined[line] === cellLine(cell.doc, at.line - 1) ? line : -1);
  }
  return { doc: TextDocument.create(notebook.uri, 'python', notebook.version, read.text), index: read.index, cells };
}

function cellLine(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** Where an offset of the joined text is in its cell, or null on a line no cell holds as written. */
export function inCell(nb: JoinedNotebook, offset: number): { cell: Cell; position: Position } | null {
  const at = nb.doc.positionAt(offset);
  const { cell: n, line } = nb.index.locate(at.line + 1);
  const cell = nb.cells[n - 1];
  if (!cell || cell.lines[line - 1] !== at.line) return null;
  return { cell, position: { line: line - 1, character: at.character } };
}

/** The offset in the joined text of a position in a cell. */
export function joinedOffset(nb: JoinedNotebook, cellUri: string, position: Position): number | null {
  const cell = nb.cells.find((c) => c.doc.uri === cellUri);
  const line = cell?.lines[position.line];
  if (line === undefined || line < 0) return null;
  return nb.doc.offsetAt({ line, character: position.character });
}

/**
 * The edits of each cell that turn the joined text into `fixed`, or null when they cannot be
 * made in the cells (a change across two cells, or in a magic).
 */
export function cellEdits(nb: JoinedNotebook, fixed: string): { cell: Cell; edits: TextEdit[] }[] | null {
  const back = nb.index.writeBack(fixed);
  if (!back.ok) return null;
  const out: { cell: Cell; edits: TextEdit[] }[] = [];
  for (const change of back.cells) {
    const cell = nb.cells[change.cell - 1];
    if (!cell || cell.doc.getText() !== change.before) return null;
    out.push({ cell, edits: [smallestEdit(cell.doc, change.before, change.after)] });
  }
  return out;
}

/** One edit that replaces only what differs between the two texts. */
function smallestEdit(doc: TextDocument, before: string, after: string): TextEdit {
  let { head: start, tail: end } = commonEnds(before, after);
  // Not between the two halves of a surrogate pair (an emoji).
  if (start > 0 && isLowSurrogate(before.charCodeAt(start))) start--;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return {
    range: { start: doc.positionAt(start), end: doc.positionAt(before.length - end) },
    newText: after.slice(start, after.length - end),
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

type Sync = Connection['notebooks']['synchronization'];

/**
 * The connection's notebook notifications as NotebookDocuments should get them: a change whose
 * `data` names a cell the notebook does not have makes the library throw, and lose the rest of
 * the change (the cells' new text), so such entries are dropped first.
 */
export function checkedSync(connection: Connection, notebooks: NotebookDocuments<TextDocument>): Connection {
  const sync = connection.notebooks.synchronization;
  const checked: Pick<
    Sync,
    | 'onDidOpenNotebookDocument'
    | 'onDidChangeNotebookDocument'
    | 'onDidSaveNotebookDocument'
    | 'onDidCloseNotebookDocument'
  > = {
    onDidOpenNotebookDocument: (handler) => sync.onDidOpenNotebookDocument(handler),
    onDidChangeNotebookDocument: (handler) =>
      sync.onDidChangeNotebookDocument((params) => handler(knownCellsOnly(params, notebooks))),
    onDidSaveNotebookDocument: (handler) => sync.onDidSaveNotebookDocument(handler),
    onDidCloseNotebookDocument: (handler) => sync.onDidCloseNotebookDocument(handler),
  };
  return { notebooks: { synchronization: checked } } as unknown as Connection;
}

function knownCellsOnly(
  params: DidChangeNotebookDocumentParams,
  notebooks: NotebookDocuments<TextDocument>,
): DidChangeNotebookDocumentParams {
  const cells = params.change.cells;
  const nb = notebooks.getNotebookDocument(params.notebookDocument.uri);
  if (!nb || !cells?.data) return params;
  // The library applies the structure change first, then the data.
  const after = [...nb.cells];
  const array = cells.structure?.array;
  if (array) after.splice(array.start, array.deleteCount, ...(array.cells ?? []));
  const known = new Set(after.map((c) => c.document));
  const data = cells.data.filter((c) => known.has(c.document));
  // Even an empty list makes it read past the last cell.
  return {
    ...params,
    change: { ...params.change, cells: { ...cells, data: data.length ? data : undefined } },
  };
}
