// Fix intents → Python text. Everything is rendered from the model's ranges and the source
// text: indentation and quotes follow the surrounding code, calls are laid out as black lays them
// out (layout.ts), and comments stay with what they annotate.
import { apiRecord, MLFLOW } from '../../model/catalogue.js';
import type { Edit, FixIntent } from '../../model/fixes.js';
import type { Arg, Call, ImportFacts, Loop, SourceModel, Statement } from '../../model/types.js';
import { lineEnd, lineStart } from '../lines.js';
import { commentEdit, SourceText } from '../source-text.js';
import { layoutCall, type Arg as LayoutArg, type Item, type Style } from './layout.js';
import { importEdit, type Wanted } from './place-import.js';

/** black's and Ruff's default line length. */
const DEFAULT_LINE_LENGTH = 88;

export function renderPythonFix(
  model: SourceModel,
  intent: FixIntent,
  lineLength = DEFAULT_LINE_LENGTH,
): Edit[] | null {
  const r = new Renderer(model, lineLength);
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
    case 'upload-directory':
      return r.uploadDirectory(intent.call, intent.loop, intent.dir);
    case 'edit-comment':
      return commentEdit(model.text, intent.comment, intent.text);
  }
}

class Renderer extends SourceText {
  constructor(
    private readonly model: SourceModel,
    private readonly width: number,
  ) {
    super(model.text, '    ', '#');
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
    const indent = this.indentAt(start);
    // Each call's comments go with its entry: its trailing comment on the entry's line, the
    // own-line comments before it above the entry (the last call's trailing comment too).
    const notes = this.callComments(calls);
    const end = notes.end;
    const edits: Edit[] = [];
    // An entry spread over lines is opened one unit inside the new call's dict or list.
    const entryIndent = indent + this.unit + this.unit;
    const items = (texts: (string | null)[]): Item[] | null =>
      texts.includes(null)
        ? null
        : calls.map((c, i) => ({
            text: this.moved(texts[i] as string, c, entryIndent),
            comment: notes.trailing[i],
            above: notes.above[i],
          }));
    let call: string | null;
    if (first.mlflow.kind === 'client') {
      const names = this.entityNames(
        edits,
        first,
        spec.entity,
        api === 'log_metric' && calls.some((c) => !c.args.timestamp),
      );
      const entries = names && items(calls.map((c) => this.entity(api, c, names.entity, names.now)));
      if (!names || !entries) return null;
      call = this.clientBatch(
        first,
        { prefix: `${spec.field}=`, open: '[', items: entries, close: ']' },
        indent,
        edits,
        names.now,
        '',
      );
    } else {
      const entries = items(
        calls.map((c) => (c.args.key && c.args.value ? `${c.args.key.text}: ${c.args.value.text}` : null)),
      );
      const callee = this.fluentCallee(first, spec.fluent, edits);
      if (!entries || !callee) return null;
      call = layoutCall(
        `${callee}(`,
        [{ prefix: '', open: '{', items: entries, close: '}' }, ...this.carried(api, first)],
        this.style(indent),
      );
    }
    if (!call) return null;
    edits.push({ start, end, text: call });
    return edits;
  }

  dictLoop(call: Call, loop: Loop): Edit[] | null {
    const api = call.mlflow?.api;
    const spec = api ? apiRecord(api)?.batched : undefined;
    const key = call.args.key;
    const value = call.args.value;
    const parts = loop.parts;
    if (!spec || !key || !value || !api || !parts) return null;
    // A comment inside the header would swallow the rest of the one new line.
    if (this.commentsIn(parts.target.start, parts.iterable.end).length) return null;
    const targets = this.text.slice(parts.target.start, parts.target.end);
    const iterable = this.text.slice(parts.iterable.start, parts.iterable.end);
    const replaced = this.loopStatement(loop);
    if (!replaced) return null;
    const indent = this.indentAt(replaced.start);
    const { own, trailing } = this.loopComments(replaced.start, replaced.end);
    const edits: Edit[] = [];
    let text: string | null;
    if (call.mlflow?.kind === 'client') {
      const names = this.entityNames(edits, call, spec.entity, api === 'log_metric' && !call.args.timestamp);
      const entry = names && this.entity(api, call, names.entity, names.now);
      if (!entry) return null;
      const comprehension: LayoutArg = {
        prefix: `${spec.field}=`,
        open: '[',
        items: [{ text: entry }, { text: `for ${targets} in ${iterable}` }],
        close: ']',
        comprehension: true,
      };
      text = this.clientBatch(call, comprehension, indent, edits, names.now, trailing + this.after(replaced.end));
    } else {
      const callee = this.fluentCallee(call, spec.fluent, edits);
      if (!callee) return null;
      const it = loop.iterable;
      const items =
        it?.kind === 'call' &&
        it.callee.kind === 'attribute' &&
        it.callee.attr === 'items' &&
        !it.args.length &&
        !Object.keys(it.keywords).length
          ? it.callee.object
          : null;
      const identity =
        items &&
        loop.targets.length === 2 &&
        targets.replace(/[\s()]/g, '') === `${loop.targets[0]},${loop.targets[1]}` &&
        key.text === loop.targets[0] &&
        value.text === loop.targets[1];
      const payload: LayoutArg = identity
        ? this.text.slice(parts.iterable.start, parts.iterable.start + items.text.length)
        : {
            prefix: '',
            open: '{',
            items: [{ text: `${key.text}: ${value.text}` }, { text: `for ${targets} in ${iterable}` }],
            close: '}',
            comprehension: true,
          };
      text = layoutCall(
        `${callee}(`,
        [payload, ...this.carried(api, call)],
        this.style(indent),
        trailing + this.after(replaced.end),
      );
    }
    if (!text) return null;
    edits.push({ start: replaced.start, end: replaced.end, text: [...own, text + trailing].join(this.eol + indent) });
    return edits;
  }

  guard(calls: Call[], counter: string, every: number | string): Edit[] | null {
    const statements = calls.map((c) => c.statement);
    if (statements.some((s) => !s)) return null;
    const start = statements[0]!.range.start.offset;
    const end = statements[statements.length - 1]!.range.end.offset;
    const body = this.text.slice(start, end);
    if (/"""|'''/.test(body) || !this.ownLines(start, end)) return null;
    const indent = this.indentAt(start);
    // One unit deeper, a call that no longer fits is laid out again, as the formatter would.
    const lone =
      calls.length === 1 &&
      statements[0]!.range.start.offset === calls[0].range.start.offset &&
      statements[0]!.range.end.offset === calls[0].range.end.offset;
    const relaid = lone ? this.relaid(calls[0], indent + this.unit, this.after(end)) : null;
    return [
      {
        start,
        end,
        text: `if ${counter} % ${every} == 0:${this.eol}${indent}${this.unit}${relaid ?? this.indentFollowing(body)}`,
      },
    ];
  }

  hoist(call: Call, loop: Loop): Edit[] | null {
    const st = call.statement;
    const loopStmt = this.loopStatement(loop);
    if (!st || !loopStmt || loop.kind === 'comprehension' || !this.ownLines(st.range.start.offset, st.range.end.offset))
      return null;
    const body = this.text.slice(st.range.start.offset, st.range.end.offset);
    if (/"""|'''/.test(body)) return null;
    const loopIndent = this.indentAt(loopStmt.start);
    const extra = this.indentAt(st.range.start.offset).length - loopIndent.length;
    const moved = this.dedented(body, extra);
    // Its trailing comment moves with it.
    const comment = this.after(st.range.end.offset).replace(/\s+$/, '');
    const sole = loop.soleCall === call;
    const removal = sole
      ? { start: st.range.start.offset, end: st.range.end.offset + comment.length, text: 'pass' }
      : this.deleteLines(st.range.start.offset, st.range.end.offset);
    if (!removal) return null;
    return [
      { start: loopStmt.start, end: loopStmt.start, text: `${moved}${comment}${this.eol}${loopIndent}` },
      removal,
    ];
  }

  /** The upload after the loop: `log_artifacts(dir, artifact_path)`, with the call's run id. */
  private artifactsCall(call: Call, dir: string, indent: string, after = ''): string | null {
    const recv = call.receiverText;
    if (!recv) return null;
    const tail = [dir, call.args.artifact_path?.text].filter(Boolean) as string[];
    if (call.mlflow?.kind === 'client') {
      if (!call.args.run_id) return null;
      tail.unshift(call.args.run_id.text);
    } else if (call.args.run_id) tail.push(`run_id=${call.args.run_id.text}`);
    return layoutCall(`${recv}.log_artifacts(`, tail, this.style(indent), after);
  }

  /** The loop, staged in a temporary directory that is gone once its files are uploaded. */
  stage(call: Call, loop: Loop): Edit[] | null {
    const st = call.statement;
    const loopStmt = this.loopStatement(loop);
    const local = call.args.local_path;
    if (
      !st ||
      !loopStmt ||
      !local ||
      loop.kind === 'comprehension' ||
      call.hasSpread ||
      !this.ownLines(loopStmt.start, loopStmt.end)
    )
      return null;
    const body = this.text.slice(loopStmt.start, loopStmt.end);
    // The loop moves one unit in: a multi-line string in it would change.
    if (/"""|'''/.test(body)) return null;
    const indent = this.indentAt(loopStmt.start);
    const inner = indent + this.unit;
    const dir = this.freshName('staged_artifacts', '_');
    const edits: Edit[] = [];
    const shutil = this.moduleName(edits, 'shutil');
    const tempfile = this.moduleName(edits, 'tempfile');
    const upload = this.artifactsCall(call, dir, inner);
    if (!shutil || !tempfile || !upload) return null;
    const copy = layoutCall(
      `${shutil}.copy(`,
      [local.text, dir],
      this.style(this.indentAt(st.range.start.offset) + this.unit),
      this.after(st.range.end.offset),
    );
    const before = this.text.slice(loopStmt.start, st.range.start.offset);
    const afterCall = this.text.slice(st.range.end.offset, loopStmt.end);
    // The copy is laid out at its new depth already: only the loop around it moves.
    const mark = '\u0000';
    const loopText = this.indentFollowing(`${before}${mark}${afterCall}`).replace(mark, copy);
    edits.push({
      start: loopStmt.start,
      end: loopStmt.end,
      text: `with ${tempfile}.TemporaryDirectory() as ${dir}:${this.eol}${inner}${loopText}${this.eol}${inner}${upload}`,
    });
    return edits;
  }

  /** The loop that uploads each file of `dir` gives way to one upload of `dir`. */
  uploadDirectory(call: Call, loop: Loop, dir: string): Edit[] | null {
    const loopStmt = this.loopStatement(loop);
    if (!loopStmt || !this.ownLines(loopStmt.start, loopStmt.end)) return null;
    const { own, trailing } = this.loopComments(loopStmt.start, loopStmt.end);
    const indent = this.indentAt(loopStmt.start);
    const upload = this.artifactsCall(call, dir, indent, trailing + this.after(loopStmt.end));
    if (!upload) return null;
    return [{ start: loopStmt.start, end: loopStmt.end, text: [...own, upload + trailing].join(this.eol + indent) }];
  }

  // ---- pieces --------------------------------------------------------------------------------

  /**
   * The comments of a loop a call replaces, which stay: its own-line comments (to go above the
   * call), and its trailing ones (`# type: ignore`, `# noqa`) joined for the end of its line.
   */
  private loopComments(start: number, end: number): { own: string[]; trailing: string } {
    const comments = this.commentsIn(start, end);
    return {
      own: comments.filter((c) => !this.trails(c.range.start.offset)).map((c) => c.text),
      trailing: comments
        .filter((c) => this.trails(c.range.start.offset))
        .map((c) => `  ${c.text}`)
        .join(''),
    };
  }

  /**
   * The comments of merged calls: each one's trailing comment, and the own-line comments between
   * it and the call before; `end` takes in the last call's trailing comment.
   */
  private callComments(calls: Call[]): { trailing: (string | undefined)[]; above: string[][]; end: number } {
    const trailing: (string | undefined)[] = [];
    const above: string[][] = calls.map(() => []);
    let end = (calls[calls.length - 1].statement as Statement).range.end.offset;
    calls.forEach((c, i) => {
      const stEnd = (c.statement as Statement).range.end.offset;
      const next = calls[i + 1]?.statement?.range.start.offset;
      const gap = this.text.slice(stEnd, next ?? lineEnd(this.text, stEnd));
      const parts = gap.split('\n');
      const own = parts[0].trim().replace(/\r$/, '');
      trailing.push(own.startsWith('#') ? own : undefined);
      if (next === undefined) {
        if (own.startsWith('#')) end = lineEnd(this.text, stEnd);
        return;
      }
      for (const line of parts.slice(1, -1)) {
        const t = line.trim();
        if (t.startsWith('#')) above[i + 1].push(t);
      }
    });
    return { trailing, above, end };
  }

  /**
   * An entry built from a call's arguments, its continuation lines moved by as much as the entry
   * moves: from the line of the call's first argument to `indent` (text in a triple-quoted string
   * is left as it is).
   */
  private moved(entry: string, c: Call, indent: string): string {
    if (!entry.includes('\n') || /"""|'''/.test(entry)) return entry;
    const first = c.args.key ?? c.positional[0];
    if (!first) return entry;
    const ls = lineStart(this.text, first.range.start.offset);
    const from = /^[ \t]*/.exec(this.text.slice(ls, lineEnd(this.text, ls)))?.[0].length ?? 0;
    const shift = indent.length - from;
    return entry
      .split('\n')
      .map((l, i) => {
        if (i === 0 || !l.trim()) return l;
        const lead = /^[ \t]*/.exec(l)?.[0].length ?? 0;
        return ' '.repeat(Math.max(0, lead + shift)) + l.slice(lead);
      })
      .join('\n');
  }

  /** What follows `offset` on its line (a trailing comment), which the formatter counts in the line. */
  private after(offset: number): string {
    return this.text.slice(offset, lineEnd(this.text, offset)).replace(/\r$/, '');
  }

  /**
   * A one-line call written again at `indent` when it no longer fits there, from its arguments'
   * texts; null when it fits, or holds a comment, a line break or a spread.
   */
  private relaid(call: Call, indent: string, after: string): string | null {
    const text = this.text.slice(call.range.start.offset, call.range.end.offset);
    if (call.hasSpread || /[#\n]/.test(text) || indent.length + text.length + after.length <= this.width) return null;
    const args = [
      ...call.positional.map((a) => a.text),
      ...Object.entries(call.keywords).map(([k, v]) => `${k}=${v.text}`),
    ];
    // Only arguments the model read in full: written again, they must be the call's own text.
    const squeeze = (t: string): string => t.replace(/\s+/g, '').replace(/,\)$/, ')');
    if (squeeze(`${call.calleeText}(${args.join(',')})`) !== squeeze(text)) return null;
    return layoutCall(`${call.calleeText}(`, args, this.style(indent), after);
  }

  private style(indent: string): Style {
    return { indent, unit: this.unit, eol: this.eol, width: this.width };
  }

  /**
   * The entity class as the file can name it (`Metric`, or its alias), and for metrics with no
   * timestamp, a fresh name for the one timestamp they share.
   */
  private entityNames(
    edits: Edit[],
    at: Call,
    entity: string,
    needsNow: boolean,
  ): { entity: string; now: string | null } | null {
    const local = this.importedName(edits, 'mlflow.entities', entity);
    if (!local) return null;
    // A local of the enclosing function: only a name that function already uses needs another.
    const scope = at.func ? this.text.slice(at.func.range.start.offset, at.func.range.end.offset) : this.text;
    return { entity: local, now: needsNow ? this.timestampName(scope) : null };
  }

  /**
   * `timestamp_ms`, also when the scope assigns it already but only as these fixes do, right
   * before the call that reads it (`timestamp_ms = int(time.time() * 1000)`): the same name
   * whether the fixes are made in one pass or in several (ESLint's).
   */
  private timestampName(scope: string): string {
    const assigned = [...scope.matchAll(/\btimestamp_ms\s*=(?!=)([^\n]*)/g)];
    if (assigned.length && assigned.every((m) => /^\s*int\(\w+\.time\(\) \* 1000\)\s*$/.test(m[1])))
      return 'timestamp_ms';
    return this.freshName('timestamp_ms', '_', scope);
  }

  /** `Metric(key, value, timestamp, step)`, `Param(key, str(value))`, `RunTag(key, str(value))`. */
  private entity(api: string, c: Call, entity: string, now: string | null): string | null {
    const { key, value } = c.args;
    if (!key || !value) return null;
    // Params and tags are strings: `str()` around anything but a string literal, as MLflow does.
    if (api !== 'log_metric')
      return `${entity}(${key.text}, ${value.literal?.kind === 'string' ? value.text : `str(${value.text})`})`;
    const timestamp = c.args.timestamp?.text ?? now;
    return timestamp ? `${entity}(${key.text}, ${value.text}, ${timestamp}, ${c.args.step?.text ?? '0'})` : null;
  }

  /** `client.log_batch(run_id, metrics=[...])` with `entries` for its list, after the shared timestamp when one is needed. */
  private clientBatch(
    first: Call,
    entries: LayoutArg,
    indent: string,
    edits: Edit[],
    now: string | null,
    after: string,
  ): string | null {
    const runId = first.args.run_id;
    if (!runId || !first.receiverText) return null;
    let prefix = '';
    if (now) {
      const time = this.moduleName(edits, 'time');
      if (!time) return null;
      prefix = `${now} = int(${time}.time() * 1000)${this.eol}${indent}`;
    }
    const sync = first.args.synchronous ? [`synchronous=${first.args.synchronous.text}`] : [];
    return (
      prefix + layoutCall(`${first.receiverText}.log_batch(`, [runId.text, entries, ...sync], this.style(indent), after)
    );
  }

  private carried(api: string, c: Call): string[] {
    return (apiRecord(api)?.carried ?? []).filter((k) => c.args[k]).map((k) => `${k}=${(c.args[k] as Arg).text}`);
  }

  /**
   * How to call the fluent batched API: on the call's own module receiver, on the module's
   * `import mlflow` (under its alias), or as a name imported from mlflow (imported when missing).
   */
  private fluentCallee(c: Call, batched: string, edits: Edit[]): string | null {
    if (c.mlflow?.receiver === 'module' && c.receiverText) return `${c.receiverText}.${batched}`;
    const module = this.model
      .importFacts?.()
      .imports.find((i) => i.module === MLFLOW.python.module && i.name === undefined);
    if (module) return `${module.local}.${batched}`;
    return this.importedName(edits, MLFLOW.python.module, batched);
  }

  /** The statement that is the loop (for statements), or the expression statement that is the comprehension. */
  private loopStatement(loop: Loop): { start: number; end: number } | null {
    const start = loop.range.start.offset;
    const end = loop.range.end.offset;
    if (loop.kind === 'for' || loop.kind === 'while') {
      // A loop with an `else:` clause does more than its body.
      return loop.hasElse ? null : { start, end };
    }
    for (const b of this.model.blocks) {
      for (const s of b.statements)
        if (s.range.start.offset === start && s.range.end.offset === end) return { start, end };
    }
    return null;
  }

  /** Code comes before `offset` on its line. */
  private trails(offset: number): boolean {
    return this.text.slice(lineStart(this.text, offset), offset).trim() !== '';
  }

  private commentsIn(start: number, end: number) {
    return this.model.comments.filter((c) => c.range.start.offset >= start && c.range.end.offset <= end);
  }

  /**
   * The name that holds `module` here: the module's own import (`import time as _time` gives
   * `_time`), or a new `import module` when the code uses that name nowhere; null otherwise.
   */
  private moduleName(edits: Edit[], module: string): string | null {
    const facts = this.model.importFacts?.();
    if (!facts) return null;
    const found = facts.imports.find((i) => i.module === module && i.name === undefined);
    if (found) return found.local;
    if (facts.mentions(module)) return null;
    this.addImport(edits, facts, { module });
    return module;
  }

  /** The same for a name from a module: `from mlflow import log_params as lp` gives `lp`. */
  private importedName(edits: Edit[], module: string, name: string): string | null {
    const facts = this.model.importFacts?.();
    if (!facts) return null;
    const found = facts.imports.find((i) => i.module === module && i.name === name);
    if (found) return found.local;
    if (facts.mentions(name)) return null;
    this.addImport(edits, facts, { module, name });
    return name;
  }

  /** The import where an import sorter puts it (see place-import.ts), once per fix. */
  private addImport(edits: Edit[], facts: ImportFacts, wanted: Wanted): void {
    const edit = importEdit(facts, this.text, wanted, this.eol, this.width);
    if (edits.some((e) => e.start === edit.start && e.end === edit.end && e.text === edit.text)) return;
    edits.push(edit);
  }
}
