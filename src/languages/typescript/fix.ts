// Fix intents → TypeScript/JavaScript text. Batches go through `logBatch`, which the TS clients
// do not split: literal groups stay far below the per-request limits, and dict loops are sent in
// chunks of at most 1000 metrics / 100 params / 100 tags. Indentation, quotes and semicolons
// follow the file.
import { apiRecord } from '../../model/catalogue.js';
import type { Edit, FixIntent } from '../../model/fixes.js';
import type { Call, Loop, SourceModel } from '../../model/types.js';
import { commentEdit, SourceText } from '../source-text.js';


export function renderTypescriptFix(model: SourceModel, intent: FixIntent): Edit[] | null {
  const r = new TsRenderer(model);
  switch (intent.kind) {
    case 'interval-guard':
      return r.guard(intent.calls, intent.counter, intent.every);
    case 'merge-calls':
      return r.merge(intent.calls);
    case 'dict-loop':
      return r.dictLoop(intent.call, intent.loop);
    case 'edit-comment':
      return commentEdit(model.text, intent.comment, intent.text);
    default:
      return null;
  }
}

class TsRenderer extends SourceText {
  private readonly semi: string;

  constructor(private readonly model: SourceModel) {
    super(model.text, '  ');
    this.semi = /;\s*$/m.test(this.text) ? ';' : '';
  }

  guard(calls: Call[], counter: string, every: number | string): Edit[] | null {
    const sts = calls.map((c) => c.statement);
    if (sts.some((s) => !s)) return null;
    const start = sts[0]!.range.start.offset;
    const end = sts[sts.length - 1]!.range.end.offset;
    const body = this.text.slice(start, end);
    if (body.includes('`')) return null;
    const indent = this.indentAt(start);
    return [{ start, end, text: `if (${counter} % ${every} === 0) {${this.eol}${indent}${this.unit}${this.indentFollowing(body)}${this.eol}${indent}}` }];
  }

  merge(calls: Call[]): Edit[] | null {
    const first = calls[0];
    const api = first.mlflow?.api ?? '';
    const batched = apiRecord(api)?.batched;
    const field = batched?.field;
    if (!batched || !field || !first.statement || calls.length > batched.limit || calls.some((c) => !c.args.key || !c.args.value)) return null;
    const entries = calls.map((c) => this.entry(api, c));
    const call = this.batchCall(first, field, `[${this.eol}${entries.map((e) => `${this.inner(first)}${e},`).join(this.eol)}${this.eol}${this.indentAt(first.statement.range.start.offset)}]`);
    if (!call) return null;
    const start = first.statement.range.start.offset;
    const end = calls[calls.length - 1].statement!.range.end.offset;
    const comments = this.model.comments.filter((c) => c.range.start.offset > start && c.range.end.offset <= end).map((c) => c.text);
    return [{ start, end, text: [...comments, call].join(this.eol + this.indentAt(start)) }];
  }

  dictLoop(call: Call, loop: Loop): Edit[] | null {
    const api = call.mlflow?.api ?? '';
    const field = apiRecord(api)?.batched?.field;
    const m = /^for\s*\(\s*(?:const|let|var)\s+(.+?)\s+(of|in)\s+(.+)\)\s*$/s.exec(loop.headerText);
    if (!field || !m || loop.kind !== 'for' || !call.args.key || !call.args.value) return null;
    const [, pattern, how, iterable] = m;
    const source = how === 'in' ? `Object.keys(${iterable})` : iterable;
    if (!/^Object\.(entries|keys)\(/.test(source)) return null;
    // Fixes of one pass are rendered from the same text: loops earlier in the file get other names.
    const earlier = this.model.loops.filter((l) => l.kind === 'for' && l.range.start.offset < loop.range.start.offset && l.soleCall?.mlflow?.api === api).length;
    const list = this.freshName(`batch${field[0].toUpperCase()}${field.slice(1)}${earlier ? earlier + 1 : ''}`, '');
    const indent = this.indentAt(loop.range.start.offset);
    const decl = `const ${list} = ${source}.map((${pattern}) => (${this.entry(api, call)}))${this.semi}`;
    const limit = apiRecord(api)?.batched?.limit ?? 100;
    const send = this.batchCall(call, field, `${list}.slice(i, i + ${limit})`);
    if (!send) return null;
    const loopText = `for (let i = 0; i < ${list}.length; i += ${limit}) ${send}`;
    return [{ start: loop.range.start.offset, end: loop.range.end.offset, text: `${decl}${this.eol}${indent}${loopText}` }];
  }

  /** `{ key, value, timestamp, step }` for a metric (every metric needs a timestamp), `{ key, value }` otherwise. */
  private entry(api: string, c: Call): string {
    const parts = [`key: ${c.args.key!.text}`, `value: ${c.args.value!.text}`];
    if (api === 'log_metric') parts.push(`timestamp: ${c.args.timestamp?.text ?? 'Date.now()'}`, `step: ${c.args.step?.text ?? '0'}`);
    return `{ ${parts.join(', ')} }`;
  }

  /** The batch call in the client's own style: object arguments (npm `mlflow`) or positional (`mlflow-js`). */
  private batchCall(first: Call, field: string, list: string): string | null {
    const runId = first.args.run_id;
    if (!runId || !first.receiverText || first.name === 'fetch' || first.hasSpread) return null;
    const before = first.statement ? this.text.slice(first.statement.range.start.offset, first.range.start.offset) : '';
    const awaited = /^await\b/.test(before) ? 'await ' : '';
    const objectStyle = Object.keys(first.keywords).length > 0;
    const args = objectStyle
      ? `{ run_id: ${runId.text}, ${field}: ${list} }`
      : `${runId.text}, ${['metrics', 'params', 'tags'].slice(0, ['metrics', 'params', 'tags'].indexOf(field)).map(() => '[]').concat(list).join(', ')}`;
    return `${awaited}${first.receiverText}.logBatch(${args})${this.semi}`;
  }

  private inner(c: Call): string {
    return this.indentAt(c.statement!.range.start.offset) + this.unit;
  }
}
