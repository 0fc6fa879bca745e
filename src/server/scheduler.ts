// When each open document is linted: after a pause in typing, one job per document at a time (a
// change during a lint asks for one more run, not one per keystroke), and never after shutdown.

/** Lints one document; `generation` says whether the result is still wanted when it comes. */
export type LintOne = (uri: string, generation: number) => Promise<void>;

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly generations = new Map<string, number>();
  private stopped = false;

  constructor(private readonly lintOne: LintOne) {}

  /** Changes with every schedule and forget: a result of an older generation is stale. */
  generation(uri: string): number {
    return this.generations.get(uri) ?? 0;
  }

  schedule(uri: string, delay: number): void {
    if (this.stopped) return;
    this.generations.set(uri, this.generation(uri) + 1);
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => this.fire(uri), delay),
    );
  }

  /** Is a lint of the document waiting for its timer? */
  pending(uri: string): boolean {
    return this.timers.has(uri);
  }

  /** The document is closed: nothing pending for it, and a lint under way publishes nothing. */
  forget(uri: string): void {
    this.generations.set(uri, this.generation(uri) + 1);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.again.delete(uri);
  }

  private fire(uri: string): void {
    this.timers.delete(uri);
    if (this.stopped) return;
    if (this.running.has(uri)) {
      this.again.add(uri);
      return;
    }
    const run = this.lintOne(uri, this.generation(uri))
      .catch(() => {})
      .finally(() => {
        this.running.delete(uri);
        if (this.again.delete(uri)) this.fire(uri);
      });
    this.running.set(uri, run);
  }

  /** Schedules nothing more, and waits (up to `limitMs`) for the lints under way. */
  async stop(limitMs: number): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.again.clear();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    await Promise.race([Promise.all(this.running.values()), limit]);
    clearTimeout(timer);
  }
}
