/**
 * Runs tasks with the same key one after another (events of one channel must
 * be applied in order), different keys concurrently but at most `maxConcurrent`
 * at once: a burst of events must queue here, not as thousands of waiters on the
 * database pool (which time out). Tasks never reject here: each handles its own errors.
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

  run(key: string, task: () => Promise<void>): void {
    this.queued++;
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev
      .then(async () => {
        await this.acquire();
        try {
          await task();
        } finally {
          this.release();
        }
      })
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
        this.queued--;
        if (this.queued === 0) {
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

  private acquire(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.active--;
  }
}
