// SHA-256 in hex, with node:crypto loaded on first use: it costs a few milliseconds of every
// start, and a one-file check that records nothing and writes no SARIF never needs it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | null = null;

export function sha256(text: string): string {
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** A short name for a string (64-bit FNV-1a in hex), where no adversary picks the input. */
export function shortHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}
