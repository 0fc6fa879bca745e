import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readNotebook, type NotebookIndex } from '../index.js';

/** `notebook`: the file is a Jupyter notebook, and `text` is its code cells joined (see languages/notebook.ts). */
export type SourceRead =
  { ok: true; text: string; bom: boolean; notebook?: NotebookIndex } | { ok: false; reason: string };

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

/** Larger files are generated code, not training code: skipped, never half-read (see README, Limits). */
const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

// One buffer for every read: a run reads thousands of files, and a Buffer apiece is garbage the
// collector must chase while tree-sitter holds native memory.
let shared = Buffer.allocUnsafe(1 << 20);

export function readSource(path: string): SourceRead {
  let buf: Buffer;
  let fd: number | null = null;
  try {
    // Opened without blocking, so that a FIFO does not wait for a writer; then only a regular
    // file is read (a link to /dev/zero would never end).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > MAX_SOURCE_BYTES)
      return {
        ok: false,
        reason: `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB (${(st.size / 1024 / 1024).toFixed(1)} MB)`,
      };
    if (st.size > shared.length) shared = Buffer.allocUnsafe(Math.max(st.size, shared.length * 2));
    let got = 0;
    for (let r = 1; got < st.size && r > 0; got += r) r = readSync(fd, shared, got, st.size - got, got);
    buf = shared.subarray(0, got);
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    if (fd !== null) closeSync(fd);
  }
  const src = decodeSource(buf);
  if (!src.ok || !path.toLowerCase().endsWith('.ipynb')) return src;
  const nb = readNotebook(src.text);
  return nb.ok ? { ok: true, text: nb.text, bom: src.bom, notebook: nb.index } : nb;
}

/** Why a fix cannot be written to this file, or null when it can. */
export function unwritable(path: string): string | null {
  const st = statSync(path);
  if (!st.isFile()) return 'not a regular file';
  // A file with no write bit is read-only by intent, even for a user (root) who could write it.
  if ((st.mode & 0o222) === 0) return 'the file is read-only';
  return null;
}

/**
 * Write through a temporary file in the same directory and a rename, so a crash never leaves a
 * half-written source; keep the file's mode, owner and UTF-8 BOM. A symlink is followed (its
 * target is fixed, the link stays a link); a file with other hard links is written in place,
 * since a rename would split it from them.
 */
export function writeSourceAtomically(path: string, text: string, bom: boolean): void {
  const target = realpathSync(path);
  const st = statSync(target);
  const mode = st.mode & 0o7777;
  const data = (bom ? '\ufeff' : '') + text;
  if (st.nlink > 1) {
    writeFileSync(target, data);
    return;
  }
  const tmp = join(dirname(target), `.${basename(target)}.mlflint-${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(tmp, data, { mode });
    chmodSync(tmp, mode);
    try {
      chownSync(tmp, st.uid, st.gid);
    } catch {
      // Only a privileged user can give a file away; anyone else keeps their own files as they were.
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
