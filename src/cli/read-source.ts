import { readFileSync } from 'node:fs';

export type SourceRead = { ok: true; text: string; bom: boolean } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Read a file as UTF-8 text; binary and non-UTF-8 files are refused with a reason. */
export function decodeSource(buf: Buffer): SourceRead {
  if (buf.subarray(0, 8000).includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  return { ok: true, text: bom ? text.slice(1) : text, bom };
}

export function readSource(path: string): SourceRead {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  return decodeSource(buf);
}
