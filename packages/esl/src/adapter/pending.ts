import { EslDisconnectedError, EslTimeoutError } from './errors.js';

interface Entry {
  reject(err: Error): void;
}

/** Tracks every in-flight command so a timeout or a dropped socket always settles it. */
export class PendingSet {
  private readonly entries = new Set<Entry>();

  constructor(private readonly node: string) {}

  track<T>(
    what: string,
    timeoutMs: number,
    start: (resolve: (v: T) => void, reject: (e: Error) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const entry: Entry = {
        reject: (err) => finish(() => reject(err)),
      };
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.onTimeout?.(what);
              finish(() => reject(new EslTimeoutError(what, timeoutMs, this.node)));
            }, timeoutMs)
          : undefined;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        this.entries.delete(entry);
        settle();
      };
      this.entries.add(entry);
      try {
        start(
          (v) => finish(() => resolve(v)),
          (e) => finish(() => reject(e)),
        );
      } catch (err) {
        finish(() => reject(err instanceof Error ? err : new Error(String(err))));
      }
    });
  }

  onTimeout: ((what: string) => void) | undefined;

  rejectAll(what = 'command'): void {
    for (const e of [...this.entries]) e.reject(new EslDisconnectedError(what, this.node));
  }

  get size(): number {
    return this.entries.size;
  }
}
