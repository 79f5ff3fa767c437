/**
 * Keeps each leg's work in order while some of it waits (a read-through from Redis, a tenant lookup):
 * work on a leg that is busy chains on the work in progress; work on an idle leg runs at once, so the
 * common case costs no promise at all.
 */
export class LegQueue {
  /** Legs with work in progress, and the promise the next work on the leg chains on. */
  private readonly busy = new Map<string, Promise<void>>();

  get size(): number {
    return this.busy.size;
  }

  /** Resolves once the work in progress now is done (work queued meanwhile may still run). */
  async settled(): Promise<void> {
    await Promise.all(new Set(this.busy.values()));
  }

  /** What work on `legs` must wait for, or undefined when they are all idle. */
  waitFor(legs: readonly string[]): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    for (const leg of legs) {
      const p = this.busy.get(leg);
      if (p && p !== wait) wait = wait ? Promise.all([wait, p]).then(() => undefined) : p;
    }
    return wait;
  }

  /** `legs` are busy until `done` settles (it must never reject). */
  markBusy(legs: readonly string[], done: Promise<void>): void {
    for (const leg of legs) this.busy.set(leg, done);
    void done.then(() => {
      for (const leg of legs) if (this.busy.get(leg) === done) this.busy.delete(leg);
    });
  }

  /** Runs `task` in the turn of `legs`: after their work in progress, before any that comes later. */
  exclusive<T>(legs: string[], task: () => Promise<T>): Promise<T> {
    const run = (this.waitFor(legs) ?? Promise.resolve()).then(task);
    this.markBusy(
      legs,
      run.then(
        () => undefined,
        () => undefined,
      ),
    );
    return run;
  }
}
