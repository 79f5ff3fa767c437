/**
 * Runs tasks with the same key one after another (the database work of one
 * channel must happen in order: a recording before its CDR links it), different
 * keys concurrently. Tasks that hold a database connection while they run take
 * one of `maxConcurrent` slots: a burst of them must queue here, not as
 * thousands of waiters on the database pool (which time out). A task that only
 * hands work to a batcher bounding its own statements (the CDR writer) runs
 * with `{ slot: false }`. Tasks never reject here: each handles its own errors.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<void>>();
  private queued = 0;
  private active = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly maxConcurrent = 32) {}

  /** Tasks accepted and not yet finished (running or waiting). */
  get pending(): number {
    return this.queued;
  }

  run(key: string, task: () => Promise<void>, options: { slot?: boolean } = {}): void {
    this.queued++;
    const start = options.slot === false ? task : () => this.withSlot(task);
    const prev = this.tails.get(key);
    // The common case, nothing of this key running: start at once instead of after a resolved promise.
    const next: Promise<void> = (prev ? prev.then(start) : start()).then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
      if (--this.queued === 0) {
        const w = this.idleWaiters;
        this.idleWaiters = [];
        w.forEach((f) => f());
      }
    });
    this.tails.set(key, next);
  }

  /** Resolves once every task queued so far (and any they queue) has finished. */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async withSlot(task: () => Promise<void>): Promise<void> {
    if (this.active < this.maxConcurrent) this.active++;
    else await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    try {
      await task();
    } finally {
      const next = this.slotWaiters.shift();
      if (next)
        next(); // the slot passes straight to the next waiter
      else this.active--;
    }
  }
}
