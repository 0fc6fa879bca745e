// Fix intents → Python text. Everything is rendered from the model's ranges and the source
// text: indentation and quotes follow the surrounding code, comments between merged calls are
// kept above the new call.
import { APIS, apiRecord } from '../../model/catalogue.js';
import { isKnownApi } from '../../model/mlflow.js';
import type { Edit, FixIntent } from '../../model/fixes.js';
import type { Arg, Call, Loop, SourceModel, Statement } from '../../model/types.js';
import { SourceText } from '../source-text.js';

const MAX_LINE = 100;

export function renderPythonFix(model: SourceModel, intent: FixIntent): Edit[] | null {
  const r = new Renderer(model);
  switch (intent.kind) {
    case 'merge-calls':
      return r.merge(intent.calls);
    case 'dict-loop':
      return r.dictLoop(intent.call, intent.loop);
    case 'interval-guard':
      return r.guard(intent.calls, intent.counter, intent.every);
    case 'hoist':
      return r.hoist(intent.call, intent.loop);
    case 'stage-artifacts':
      return r.stage(intent.call, intent.loop);
  }
}


class Renderer extends SourceText {
  constructor(private readonly model: SourceModel) {
    super(model.text, '    ');
  }

  // ---- intents -------------------------------------------------------------------------------

  merge(calls: Call[]): Edit[] | null {
    const first = calls[0];
    const last = calls[calls.length - 1];
    if (!first.statement || !last.statement || !first.mlflow) return null;
    const api = first.mlflow.api;
    const spec = apiRecord(api)?.batched;
    if (!spec) return null;
    const start = first.statement.range.start.offset;
    const end = last.statement.range.end.offset;
    const indent = this.indentAt(start);
    const edits: Edit[] = [];
    let call: string | null;
    if (first.mlflow.kind === 'client') {
      const entries = calls.map((c) => this.entity(api, c, spec.entity));
      if (entries.includes(null)) return null;
      call = this.clientBatch(first, spec.field, entries as string[], indent, edits, api === 'log_metric' && calls.every((c) => !c.args.timestamp));
    } else {
      const pairs = calls.map((c) => (c.args.key && c.args.value ? `${c.args.key.text}: ${c.args.value.text}` : null));
      if (pairs.includes(null)) return null;
      const callee = this.fluentCallee(first, spec.fluent, edits);
      if (!callee) return null;
      call = this.layout(`${callee}(`, pairs as string[], this.carried(api, first), indent);
    }
    if (!call) return null;
    const lines = [...this.between(calls), call];
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    if (lineStart + indent.length === start) {
      // From the start of the line, so that kept blank lines carry no indentation.
      edits.push({ start: lineStart, end, text: lines.map((l) => (l ? indent + l : l)).join(this.eol) });
    } else {
      edits.push({ start, end, text: lines.join(this.eol + indent) });
    }
    return edits;
  }

  dictLoop(call: Call, loop: Loop): Edit[] | null {
    const api = call.mlflow?.api;
    const spec = api ? apiRecord(api)?.batched : undefined;
    const key = call.args.key;
    const value = call.args.value;
    if (!spec || !key || !value || !api) return null;
    const header = /^for\s+(.+?)\s+in\s+(.+?):?$/s.exec(loop.headerText);
    if (!header) return null;
    const [, targets, iterable] = header;
    const replaced = this.loopStatement(loop);
    if (!replaced) return null;
    const indent = this.indentAt(replaced.start);
    const edits: Edit[] = [];
    let text: string | null;
    if (call.mlflow?.kind === 'client') {
      const entry = this.entity(api, call, spec.entity);
      if (!entry) return null;
      text = this.clientBatch(call, spec.field, [`${entry} for ${targets} in ${iterable}`], indent, edits, api === 'log_metric' && !call.args.timestamp, true);
    } else {
      const callee = this.fluentCallee(call, spec.fluent, edits);
      if (!callee) return null;
      const items = /^(.+)\.items\(\)$/s.exec(iterable);
      const identity = items && loop.targets.length === 2 && key.text === loop.targets[0] && value.text === loop.targets[1];
      const payload = identity ? items[1] : `{${key.text}: ${value.text} for ${targets} in ${iterable}}`;
      text = `${callee}(${[payload, ...this.carried(api, call)].join(', ')})`;
    }
    if (!text) return null;
    edits.push({ start: replaced.start, end: replaced.end, text });
    return edits;
  }

  guard(calls: Call[], counter: string, every: number): Edit[] | null {
    const statements = calls.map((c) => c.statement);
    if (statements.some((s) => !s)) return null;
    const start = statements[0]!.range.start.offset;
    const end = statements[statements.length - 1]!.range.end.offset;
    const body = this.text.slice(start, end);
    if (/"""|'''/.test(body)) return null;
    const indent = this.indentAt(start);
    return [{ start, end, text: `if ${counter} % ${every} == 0:${this.eol}${indent}${this.unit}${this.indentFollowing(body)}` }];
  }

  hoist(call: Call, loop: Loop): Edit[] | null {
    const st = call.statement;
    const loopStmt = this.loopStatement(loop);
    if (!st || !loopStmt || loop.kind === 'comprehension') return null;
    const body = this.text.slice(st.range.start.offset, st.range.end.offset);
    if (/"""|'''/.test(body)) return null;
    const loopIndent = this.indentAt(loopStmt.start);
    const extra = this.indentAt(st.range.start.offset).length - loopIndent.length;
    const moved = body.split('\n').map((l, i) => (i === 0 ? l : l.slice(Math.min(extra, l.length - l.trimStart().length)))).join('\n');
    const removal = loop.soleCall === call
      ? { start: st.range.start.offset, end: st.range.end.offset, text: 'pass' }
      : this.deleteLines(st.range.start.offset, st.range.end.offset);
    if (!removal) return null;
    return [{ start: loopStmt.start, end: loopStmt.start, text: `${moved}${this.eol}${loopIndent}` }, removal];
  }

  stage(call: Call, loop: Loop): Edit[] | null {
    const st = call.statement;
    const loopStmt = this.loopStatement(loop);
    const local = call.args.local_path;
    if (!st || !loopStmt || !local || loop.kind === 'comprehension' || call.hasSpread) return null;
    const recv = call.receiverText;
    if (!recv) return null;
    const indent = this.indentAt(loopStmt.start);
    const dir = this.freshName('staged_artifacts', '_');
    const tail = [dir, call.args.artifact_path?.text].filter(Boolean);
    if (call.mlflow?.kind === 'client') {
      if (!call.args.run_id) return null;
      tail.unshift(call.args.run_id.text);
    } else if (call.args.run_id) tail.push(`run_id=${call.args.run_id.text}`);
    const edits: Edit[] = [];
    this.ensureImport(edits, 'import shutil', /^import\s+shutil\b/m);
    this.ensureImport(edits, 'import tempfile', /^import\s+tempfile\b/m);
    edits.push(
      { start: loopStmt.start, end: loopStmt.start, text: `${dir} = tempfile.mkdtemp()${this.eol}${indent}` },
      { start: st.range.start.offset, end: st.range.end.offset, text: `shutil.copy(${local.text}, ${dir})` },
      { start: loopStmt.end, end: loopStmt.end, text: `${this.eol}${indent}${recv}.log_artifacts(${tail.join(', ')})` },
    );
    return edits;
  }

  // ---- pieces --------------------------------------------------------------------------------

  /** Comments (trailing ones too) and blank lines between the merged statements, in order. */
  private between(calls: Call[]): string[] {
    const out: string[] = [];
    for (let i = 0; i + 1 < calls.length; i++) {
      const gap = this.text.slice((calls[i].statement as Statement).range.end.offset, (calls[i + 1].statement as Statement).range.start.offset);
      const parts = gap.split('\n');
      const trailing = parts[0].trim();
      if (trailing.startsWith('#')) out.push(trailing.replace(/\r$/, ''));
      for (const line of parts.slice(1, -1)) {
        const t = line.trim();
        if (!t || t.startsWith('#')) out.push(t);
      }
    }
    return out;
  }

  /** `Metric(key, value, timestamp, step)`, `Param(key, str(value))`, `RunTag(key, str(value))`. */
  private entity(api: string, c: Call, entity: string): string | null {
    const { key, value } = c.args;
    if (!key || !value) return null;
    if (api !== 'log_metric') return `${entity}(${key.text}, str(${value.text}))`;
    return `${entity}(${key.text}, ${value.text}, ${c.args.timestamp?.text ?? 'timestamp_ms'}, ${c.args.step?.text ?? '0'})`;
  }

  private clientBatch(first: Call, field: string, entries: string[], indent: string, edits: Edit[], needsNow: boolean, comprehension = false): string | null {
    const runId = first.args.run_id;
    if (!runId || !first.receiverText) return null;
    const entity = APIS.find((r) => r.batched?.field === field)?.batched?.entity ?? 'Metric';
    this.ensureImport(edits, `from mlflow.entities import ${entity}`, new RegExp(`^from\\s+mlflow\\.entities\\s+import\\s+[^\\n]*\\b${entity}\\b`, 'm'));
    let prefix = '';
    if (needsNow) {
      this.ensureImport(edits, 'import time', /^import\s+time\b/m);
      prefix = `timestamp_ms = int(time.time() * 1000)${this.eol}${indent}`;
    }
    const sync = first.args.synchronous ? [`synchronous=${first.args.synchronous.text}`] : [];
    const open = `${first.receiverText}.log_batch(${runId.text}, ${field}=[`;
    const one = `${open}${entries.join(', ')}]${sync.map((s) => `, ${s}`).join('')})`;
    if (comprehension || indent.length + one.length <= MAX_LINE) return prefix + one;
    const inner = indent + this.unit;
    return `${prefix}${open}${this.eol}${entries.map((e) => `${inner}${e},`).join(this.eol)}${this.eol}${indent}]${sync.map((s) => `, ${s}`).join('')})`;
  }

  private carried(api: string, c: Call): string[] {
    return (apiRecord(api)?.carried ?? []).filter((k) => c.args[k]).map((k) => `${k}=${(c.args[k] as Arg).text}`);
  }

  /** `mlflow.log_metrics({...}, step=s)` on one line when it fits, the dict one entry a line when not. */
  private layout(open: string, pairs: string[], kwargs: string[], indent: string): string {
    const tail = kwargs.map((k) => `, ${k}`).join('');
    const one = `${open}{${pairs.join(', ')}}${tail})`;
    if (indent.length + one.length <= MAX_LINE && !pairs.some((p) => p.includes('\n'))) return one;
    const inner = indent + this.unit;
    return `${open}{${this.eol}${pairs.map((p) => `${inner}${p},`).join(this.eol)}${this.eol}${indent}}${tail})`;
  }

  /**
   * How to call the fluent batched API: on the call's own module receiver, on one used elsewhere
   * in the file, or as a name imported from mlflow (the import is added when it is missing).
   */
  private fluentCallee(c: Call, batched: string, edits: Edit[]): string | null {
    if (c.mlflow?.receiver === 'module' && c.receiverText) return `${c.receiverText}.${batched}`;
    const other = this.model.calls.find((x) => x.mlflow?.receiver === 'module' && x.receiverText && isKnownApi(x.name, 'fluent') && !x.receiverText.includes('.'));
    if (other?.receiverText) return `${other.receiverText}.${batched}`;
    // A local definition of that name would shadow the import.
    if (new RegExp(`^\\s*(def|class)\\s+${batched}\\b|^\\s*${batched}\\s*=`, 'm').test(this.text)) return null;
    this.ensureImport(edits, `from mlflow import ${batched}`, new RegExp(`^from\\s+mlflow\\s+import\\s+[^\\n]*\\b${batched}\\b`, 'm'));
    return batched;
  }

  /** The statement that is the loop (for statements), or the expression statement that is the comprehension. */
  private loopStatement(loop: Loop): { start: number; end: number } | null {
    const start = loop.range.start.offset;
    const end = loop.range.end.offset;
    if (loop.kind === 'for' || loop.kind === 'while') {
      // A loop with an `else:` clause does more than its body.
      const indent = this.indentAt(start);
      return new RegExp(`\\n${indent}else\\s*:`).test(this.text.slice(start, end)) ? null : { start, end };
    }
    for (const b of this.model.blocks) {
      for (const s of b.statements) if (s.range.start.offset === start && s.range.end.offset === end) return { start, end };
    }
    return null;
  }

  /** Delete the whole lines of [start, end) when nothing else is on them. */
  private deleteLines(start: number, end: number): Edit | null {
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    if (this.text.slice(lineStart, start).trim()) return null;
    let lineEnd = this.text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = this.text.length;
    const rest = this.text.slice(end, lineEnd).trim();
    if (rest && !rest.startsWith('#')) return null;
    return { start: lineStart, end: Math.min(lineEnd + 1, this.text.length), text: '' };
  }

  /** Add an import after the file's top-level imports unless one is there already. */
  private ensureImport(edits: Edit[], line: string, present: RegExp): void {
    if (present.test(this.text) || edits.some((e) => e.text.includes(line))) return;
    const lines = this.text.split('\n');
    let offset = 0;
    let insertAt = -1;
    let inParen = false;
    for (let i = 0, pos = 0; i < lines.length && i < 400; pos += lines[i].length + 1, i++) {
      const l = lines[i];
      if (inParen) {
        if (l.includes(')')) {
          inParen = false;
          insertAt = pos + l.length + 1;
        }
        continue;
      }
      if (/^(import\s|from\s+\S+\s+import\s)/.test(l)) {
        if (l.includes('(') && !l.includes(')')) inParen = true;
        else insertAt = pos + l.length + 1;
      }
    }
    if (insertAt < 0) {
      // No imports: after a shebang, encoding line or leading comments.
      for (const l of lines) {
        if (!l.startsWith('#')) break;
        offset += l.length + 1;
      }
      insertAt = offset;
    }
    const at = Math.min(insertAt, this.text.length);
    const needsBreak = at === this.text.length && !this.text.endsWith('\n');
    edits.push({ start: at, end: at, text: `${needsBreak ? this.eol : ''}${line}${this.eol}` });
  }
}
