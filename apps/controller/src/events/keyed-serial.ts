/**
 * Runs tasks with the same key one after another (events of one channel must
 * be applied in order), different keys concurrently. Tasks never reject here:
 * each one handles its own errors.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  get pending(): number {
    return this.running;
  }

  run(key: string, task: () => Promise<void>): void {
    this.running++;
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task).finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
      this.running--;
      if (this.running === 0) {
        const w = this.idleWaiters;
        this.idleWaiters = [];
        w.forEach((f) => f());
      }
    });
    this.tails.set(key, next);
  }

  /** Resolves once every task queued so far (and any they queue) has finished. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
