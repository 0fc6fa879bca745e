// What a long run says while it runs.
import type { Io } from './flags.js';

/**
 * A progress line on stderr for runs longer than a second, on a terminal only (never in CI logs
 * or a pipe), rewritten in place and gone when the run ends.
 */
export class Progress {
  total = 0;
  private done = 0;
  private shown = false;
  private last = 0;
  private readonly start = performance.now();
  constructor(private readonly io: Io) {}

  tick(): void {
    this.done++;
    if (!this.io.stderrIsTTY || !this.total) return;
    const now = performance.now();
    if (now - this.start < 1000 || now - this.last < 100) return;
    this.last = now;
    this.io.stderr(`\r\x1b[Kmlflint: ${Math.min(this.done, this.total)}/${this.total} files`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }

  end(): void {
    this.clear();
  }
}

/** One file's place among the messages: what it logs waits for the files started before it. */
export interface Slot {
  log: (s: string) => void;
  done: () => void;
}

/** Messages of files in flight, written in the order the files were started. */
export class OrderedLog {
  private next = 0;
  private count = 0;
  private readonly pending = new Map<number, { text: string[]; done: boolean }>();
  constructor(private readonly write: (s: string) => void) {}

  slot(): Slot {
    const i = this.count++;
    const entry = { text: [] as string[], done: false };
    this.pending.set(i, entry);
    return {
      log: (s) => (i === this.next ? this.write(s) : entry.text.push(s)),
      done: () => {
        entry.done = true;
        this.flush();
      },
    };
  }

  private flush(): void {
    while (this.pending.get(this.next)?.done) {
      this.pending.delete(this.next);
      this.next++;
      const now = this.pending.get(this.next);
      if (now) for (const t of now.text.splice(0)) this.write(t);
    }
  }
}
