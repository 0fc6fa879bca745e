import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type SourceRead = { ok: true; text: string; bom: boolean } | { ok: false; reason: string };

// ignoreBOM keeps a BOM in the decoded text, so that it is seen, stripped here and written back.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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

/**
 * Write through a temporary file in the same directory and a rename, so a crash never leaves a
 * half-written source; keep the file's mode and its UTF-8 BOM.
 */
export function writeSourceAtomically(path: string, text: string, bom: boolean): void {
  const mode = statSync(path).mode & 0o7777;
  const tmp = join(dirname(path), `.${basename(path)}.mlflint-${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(tmp, (bom ? '\ufeff' : '') + text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
