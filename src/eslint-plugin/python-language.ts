// Python inside ESLint through its `languages` API (like @eslint/json and @eslint/markdown). The
// tree is one `Module` node: rules hand the text to mlflint's own engine, so ESLint needs only
// the root, the comments (for `# eslint-disable` directives) and line/column conversion.
// JavaScript rules a shared config turns on for every file (`js.configs.recommended`,
// `tseslint.configs.recommended`) run on Python files too: the root is not a `Program` they
// listen for, and what they read of a JavaScript SourceCode when created is there and empty.
import { ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep } from '@eslint/plugin-kit';
import { parseFile } from '../index.js';

export interface PyNode {
  type: string;
  range: [number, number];
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export interface PyComment extends PyNode {
  type: 'Comment';
  /** The comment text without the leading `#`. */
  value: string;
}

const parser = new ConfigCommentParser();
const DIRECTIVE = /^(eslint-disable|eslint-enable|eslint-disable-line|eslint-disable-next-line)$/;

export class PythonSourceCode extends TextSourceCodeBase {
  readonly comments: PyComment[];

  constructor({ text, ast, comments }: { text: string; ast: PyNode; comments: PyComment[] }) {
    super({ text, ast });
    this.comments = comments;
  }

  /** JavaScript's comments: none (the Python comments are `comments`). */
  getAllComments(): never[] {
    return [];
  }

  override getParent(node: object): object | undefined {
    return node === this.ast ? undefined : this.ast;
  }

  override *traverse(): Iterable<VisitNodeStep> {
    yield new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast, undefined] });
    yield new VisitNodeStep({ target: this.ast, phase: 2, args: [this.ast, undefined] });
  }

  getInlineConfigNodes(): PyComment[] {
    return this.comments.filter((c) => DIRECTIVE.test(c.value.trim().split(/\s/)[0] ?? ''));
  }

  getDisableDirectives(): { problems: never[]; directives: Directive[] } {
    const directives: Directive[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const d = parser.parseDirective(comment.value.trim());
      if (!d) continue;
      const type = d.label.slice('eslint-'.length) as 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
      directives.push(new Directive({ type, node: comment, value: d.value, justification: d.justification }));
    }
    return { problems: [], directives };
  }

  applyInlineConfig(): { configs: never[]; problems: never[] } {
    return { configs: [], problems: [] };
  }
}

export const python = {
  fileType: 'text' as const,
  lineStart: 1 as const,
  columnStart: 0 as const,
  nodeTypeKey: 'type',
  visitorKeys: { Module: [] },
  defaultLanguageOptions: {},
  validateLanguageOptions(): void {},
  parse(file: { body: string | Uint8Array; path: string }) {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    const lines = text.split('\n');
    const last = lines[lines.length - 1] ?? '';
    const ast: PyNode = {
      type: 'Module',
      range: [0, text.length],
      loc: { start: { line: 1, column: 0 }, end: { line: lines.length, column: last.length } },
    };
    return { ok: true as const, ast };
  },
  createSourceCode(file: { body: string | Uint8Array; path: string }, input: { ast: PyNode }): PythonSourceCode {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    const path = /\.pyi?$/.test(file.path) ? file.path : `${file.path}.py`;
    const model = parseFile(path, text);
    const comments: PyComment[] = model.comments.map((c) => ({
      type: 'Comment',
      value: c.text.replace(/^#/, ''),
      range: [c.range.start.offset, c.range.end.offset],
      loc: {
        start: { line: c.range.start.line, column: c.range.start.column - 1 },
        end: { line: c.range.end.line, column: c.range.end.column - 1 },
      },
    }));
    return new PythonSourceCode({ text, ast: input.ast, comments });
  },
};
