// Back-to-back groups: statements of one block that call the same singular API family on the
// same receiver, with only comments, blank lines, `pass` or docstrings between them.
import { familyOf, isSingular } from './mlflow.js';
import type { Call, SourceModel } from './types.js';

export interface CallGroup {
  calls: Call[];
}

function groupKey(call: Call): string | null {
  if (!call.mlflow || !isSingular(call) || call.hasSpread) return null;
  const a = call.args;
  const receiver = call.mlflow.kind === 'client' ? (call.receiverText ?? '') : 'fluent';
  // Metric calls with different steps, timestamps or runs are not one batch.
  const same = [a.step, a.run_id, a.timestamp, a.synchronous].map((x) => x?.text ?? '').join('\u0000');
  return `${familyOf(call)}|${call.mlflow.kind}|${receiver}|${same}`;
}

export function backToBackGroups(model: SourceModel): CallGroup[] {
  const out: CallGroup[] = [];
  for (const block of model.blocks) {
    let run: Call[] = [];
    let key: string | null = null;
    const flush = (): void => {
      if (run.length >= 2) out.push({ calls: run });
      run = [];
      key = null;
    };
    for (const st of block.statements) {
      if (st.kind === 'noop') continue;
      const k = st.kind === 'call' && st.call ? groupKey(st.call) : null;
      if (k === null) {
        flush();
        continue;
      }
      if (k !== key) flush();
      key = k;
      run.push(st.call as Call);
    }
    flush();
  }
  return out;
}
