// Fix intents → TypeScript/JavaScript text. Batches go through `logBatch`, which the TS clients
// do not split: literal groups stay far below the per-request limits, and dict loops are sent in
// chunks of at most 1000 metrics / 100 params / 100 tags. Indentation, quotes and semicolons
// follow the file.
import { apiRecord } from '../../model/catalogue.js';
import { isRestRequest } from '../../model/mlflow.js';
import type { Edit, FixIntent } from '../../model/fixes.js';
import type { Call, Loop, SourceModel } from '../../model/types.js';
import { lineEnd, lineStart } from '../lines.js';
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
    case 'hoist':
      return r.hoist(intent.call, intent.loop);
    case 'edit-comment':
      return commentEdit(model.text, intent.comment, intent.text);
    default:
      return null;
  }
}

class TsRenderer extends SourceText {
  private readonly semi: string;

  constructor(private readonly model: SourceModel) {
    super(model.text, '  ', '//');
    this.semi = /;\s*$/m.test(this.text) ? ';' : '';
  }

  guard(calls: Call[], counter: string, every: number | string): Edit[] | null {
    const sts = calls.map((c) => c.statement);
    if (sts.some((s) => !s)) return null;
    const start = sts[0]!.range.start.offset;
    // The last statement's trailing comment stays on its line, inside the braces.
    const stEnd = sts[sts.length - 1]!.range.end.offset;
    const rest = this.text.slice(stEnd, lineEnd(this.text, stEnd));
    const end =
      /^\s*\/[/*]/.test(rest) && !/\*\/.*\S/.test(rest.replace(/^\s*\/\*.*?\*\//, ''))
        ? stEnd + rest.replace(/\s+$/, '').length
        : stEnd;
    const body = this.text.slice(start, end);
    if (body.includes('`')) return null;
    const indent = this.indentAt(start);
    return [
      {
        start,
        end,
        text: `if (${counter} % ${every} === 0) {${this.eol}${indent}${this.unit}${this.indentFollowing(body)}${this.eol}${indent}}`,
      },
    ];
  }

  merge(calls: Call[]): Edit[] | null {
    const first = calls[0];
    const api = first.mlflow?.api ?? '';
    const batched = apiRecord(api)?.batched;
    const field = batched?.field;
    if (
      !batched ||
      !field ||
      !first.statement ||
      calls.length > batched.limit ||
      calls.some((c) => !c.args.key || !c.args.value || !c.statement)
    )
      return null;
    const { trailing, above, directives, end } = this.callComments(calls, isRestRequest(first));
    const inner = this.inner(first);
    const entries = calls.flatMap((c, i) => [
      ...above[i].map((t) => `${inner}${t}`),
      `${inner}${this.entry(api, c)},${trailing[i] ? ` ${trailing[i]}` : ''}`,
    ]);
    const indent = this.indentAt(first.statement.range.start.offset);
    // An `eslint-disable-line` of a call stays on the merged call's first line, after its `[`.
    const opener = directives.line.length ? `[ ${directives.line.join(' ')}` : '[';
    const list = (at: string): string =>
      `${opener}${this.eol}${entries.map((e) => e.replace(inner, at + this.unit)).join(this.eol)}${this.eol}${at}]`;
    const call = isRestRequest(first) ? this.restBatch(calls, field, list) : this.batchCall(first, field, list(indent));
    if (!call || end < 0) return null;
    const start = first.statement.range.start.offset;
    return [{ start, end, text: [...directives.next, call].join(this.eol + indent) }];
  }

  /**
   * The comments of merged calls: each one's trailing comment (for its entry's line), the
   * own-line comments before it (above its entry), and ESLint directives, which must keep
   * applying to the merged call: `eslint-disable-line` goes to its first line,
   * `eslint-disable-next-line` above it. `end` takes in the last call's trailing comment.
   */
  private callComments(calls: Call[], keepFirst = false) {
    const start = calls[0].statement!.range.start.offset;
    let end = calls[calls.length - 1].statement!.range.end.offset;
    const last = lineEnd(this.text, end);
    if (this.model.comments.some((c) => c.range.start.offset >= end && c.range.end.offset <= last)) end = last;
    const trailing: (string | undefined)[] = calls.map(() => undefined);
    const above: string[][] = calls.map(() => []);
    const directives = { line: [] as string[], next: [] as string[] };
    const add = (list: string[], t: string): void => {
      if (!list.includes(t)) list.push(t);
    };
    for (const c of this.model.comments) {
      const at = c.range.start.offset;
      if (at < start || c.range.end.offset > end) continue;
      // A REST call's text outside its body is kept, comments and all.
      const inFirst = at < calls[0].statement!.range.end.offset;
      if (inFirst && keepFirst) continue;
      // The call whose statement ends before this comment on its line, or the first that starts after it.
      const own = !this.text.slice(lineStart(this.text, at), at).trim();
      const i = own
        ? calls.findIndex((x) => x.statement!.range.start.offset > at)
        : calls.findIndex(
            (x, k) =>
              x.statement!.range.end.offset <= at && (calls[k + 1]?.statement!.range.start.offset ?? Infinity) > at,
          );
      if (/^\/[/*]\s*eslint-disable-line\b/.test(c.text)) add(directives.line, c.text);
      else if (/^\/[/*]\s*eslint-disable-next-line\b/.test(c.text)) add(directives.next, c.text);
      else if (own && i >= 0) above[i].push(c.text);
      else if (!own && i >= 0) trailing[i] = trailing[i] ? `${trailing[i]} ${c.text}` : c.text;
      else return { trailing, above, directives: { line: [], next: [] }, end: -1 };
    }
    return { trailing, above, directives, end };
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
    const earlier = this.model.loops.filter(
      (l) => l.kind === 'for' && l.range.start.offset < loop.range.start.offset && l.soleCall?.mlflow?.api === api,
    ).length;
    const list = this.freshName(`batch${field[0].toUpperCase()}${field.slice(1)}${earlier ? earlier + 1 : ''}`, '');
    const indent = this.indentAt(loop.range.start.offset);
    const decl = `const ${list} = ${source}.map((${pattern}) => (${this.entry(api, call)}))${this.semi}`;
    const limit = apiRecord(api)?.batched?.limit ?? 100;
    const send = this.batchCall(call, field, `${list}.slice(i, i + ${limit})`);
    if (!send) return null;
    const loopText = `for (let i = 0; i < ${list}.length; i += ${limit}) ${send}`;
    return [
      { start: loop.range.start.offset, end: loop.range.end.offset, text: `${decl}${this.eol}${indent}${loopText}` },
    ];
  }

  /** The statement moves above the loop, its trailing comment with it. */
  hoist(call: Call, loop: Loop): Edit[] | null {
    const st = call.statement;
    if (!st || (loop.kind !== 'for' && loop.kind !== 'while')) return null;
    const start = st.range.start.offset;
    const end = st.range.end.offset;
    const loopStart = loop.range.start.offset;
    if (this.text.slice(lineStart(this.text, loopStart), loopStart).trim() || !this.ownLines(start, end)) return null;
    const body = this.text.slice(start, end);
    // A multi-line template literal would change if its lines moved; a body that is this one
    // statement, without braces, would be left empty.
    if (/`[^`]*\n/.test(body) || !/[{};]\s*$/.test(this.text.slice(loopStart, start).replace(/\/\/[^\n]*$/gm, '')))
      return null;
    const loopIndent = this.indentAt(loopStart);
    const extra = this.indentAt(start).length - loopIndent.length;
    const moved = this.dedented(body, extra);
    const trailing = this.text.slice(end, lineEnd(this.text, end)).replace(/\s+$/, '');
    return [
      { start: loopStart, end: loopStart, text: `${moved}${trailing}${this.eol}${loopIndent}` },
      this.deleteLines(start, end)!,
    ];
  }

  /**
   * REST calls (`fetch(`${base}/api/2.0/mlflow/runs/log-metric`, {...})`, `axios.post(url, {...})`)
   * that differ in nothing but their body → one request to `runs/log-batch` with the entries.
   */
  private restBatch(calls: Call[], field: string, list: (indent: string) => string): string | null {
    const endpoint = apiRecord(calls[0].mlflow?.api ?? '')?.rest;
    const runId = calls[0].args.run_id?.text;
    const spans = calls.map((c) => this.bodySpan(c));
    if (!endpoint || !runId || spans.some((b) => !b) || calls.some((c) => c.args.run_id?.text !== runId)) return null;
    const shells = calls.map((c, i) => {
      const st = c.statement!.range;
      return [this.text.slice(st.start.offset, spans[i]!.start), this.text.slice(spans[i]!.end, st.end.offset)];
    });
    const bare = (t: string): string => t.replace(/[ \t]*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/)/g, '');
    if (shells.some(([a, b]) => bare(a) !== bare(shells[0][0]) || bare(b) !== bare(shells[0][1]))) return null;
    // Comments inside a later call would be lost.
    if (shells.slice(1).some(([a, b]) => bare(a) !== a || bare(b) !== b)) return null;
    const [before, after] = shells[0];
    const url = `/mlflow/runs/${endpoint}`;
    if (before.split(url).length !== 2) return null;
    const body = `{ run_id: ${runId}, ${field}: ${list(this.indentAt(spans[0]!.start))} }`;
    return `${before.replace(url, '/mlflow/runs/log-batch')}${body}${after}`;
  }

  /** The object literal a REST call's arguments were read from, when it holds nothing else. */
  private bodySpan(c: Call): { start: number; end: number } | null {
    const args = Object.values(c.args).sort((a, b) => a.range.start.offset - b.range.start.offset);
    if (!args.length) return null;
    const key = String.raw`(?:[\w$]+|'[^']*'|"[^"]*")\s*:\s*`;
    const open = this.text.lastIndexOf('{', args[0].range.start.offset);
    if (
      open < c.range.start.offset ||
      !new RegExp(`^\\{\\s*(?:${key})?$`).test(this.text.slice(open, args[0].range.start.offset))
    )
      return null;
    for (let i = 1; i < args.length; i++) {
      if (
        !new RegExp(`^\\s*,\\s*(?:${key})?$`).test(
          this.text.slice(args[i - 1].range.end.offset, args[i].range.start.offset),
        )
      )
        return null;
    }
    const close = /^\s*,?\s*\}/.exec(this.text.slice(args[args.length - 1].range.end.offset));
    return close ? { start: open, end: args[args.length - 1].range.end.offset + close[0].length } : null;
  }

  /** `{ key, value, timestamp, step }` for a metric (every metric needs a timestamp), `{ key, value }` otherwise. */
  private entry(api: string, c: Call): string {
    const parts = [`key: ${c.args.key!.text}`, `value: ${c.args.value!.text}`];
    if (api === 'log_metric')
      parts.push(`timestamp: ${c.args.timestamp?.text ?? 'Date.now()'}`, `step: ${c.args.step?.text ?? '0'}`);
    return `{ ${parts.join(', ')} }`;
  }

  /** The batch call in the client's own style: object arguments (npm `mlflow`) or positional (`mlflow-js`). */
  private batchCall(first: Call, field: string, list: string): string | null {
    const runId = first.args.run_id;
    if (!runId || !first.receiverText || isRestRequest(first) || first.hasSpread) return null;
    const before = first.statement ? this.text.slice(first.statement.range.start.offset, first.range.start.offset) : '';
    const awaited = /^await\b/.test(before) ? 'await ' : '';
    const objectStyle = Object.keys(first.keywords).length > 0;
    const args = objectStyle
      ? `{ run_id: ${runId.text}, ${field}: ${list} }`
      : `${runId.text}, ${['metrics', 'params', 'tags']
          .slice(0, ['metrics', 'params', 'tags'].indexOf(field))
          .map(() => '[]')
          .concat(list)
          .join(', ')}`;
    return `${awaited}${first.receiverText}.logBatch(${args})${this.semi}`;
  }

  private inner(c: Call): string {
    return this.indentAt(c.statement!.range.start.offset) + this.unit;
  }
}
