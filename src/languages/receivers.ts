// The `extra-receivers` setting: receivers the analysis cannot reach (a tracker handed in by a
// framework, a client built in a package outside the run), named by the user.
import type { ExtraReceivers, ReceiverKind } from '../model/types.js';

const segments = (path: string): string[] => path.split('.').filter(Boolean);

/** Is one dotted path the tail of the other (`tracking.client` and `pkg.tracking.client`)? */
function sameTail(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // A single name is too common to match by tail: `client` alone would stand for every `x.client`.
  if (short.length < 2) return a.length === b.length && a[0] === b[0];
  return short.every((s, i) => s === long[long.length - short.length + i]);
}

/**
 * What a configured receiver stands for: matched on the receiver's text (`self.tracker`), or on
 * the dotted path it was imported as (`from utils.tracking import client` is `utils.tracking.client`).
 */
export function configuredReceiver(
  extra: ExtraReceivers | undefined,
  text: string | null,
  importedAs?: string,
): ReceiverKind | null {
  if (!extra || text === null) return null;
  const exact = extra[text];
  if (exact) return exact;
  if (!importedAs) return null;
  const path = segments(importedAs);
  for (const [key, kind] of Object.entries(extra)) if (sameTail(segments(key), path)) return kind;
  return null;
}
