/** A tiny typed listener set; returns an unsubscribe function so callers never leak handlers. */
export class Listeners<A extends unknown[]> {
  private readonly fns = new Set<(...args: A) => void>();

  add(fn: (...args: A) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }

  emit(...args: A): void {
    for (const fn of [...this.fns]) {
      try {
        fn(...args);
      } catch (err) {
        // A throwing consumer must not break the socket handler; surface it asynchronously.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  get size(): number {
    return this.fns.size;
  }

  clear(): void {
    this.fns.clear();
  }
}

/** Which events a listener wants, by Event-Name (CUSTOM covers every subclass); all when absent. */
export type EventInterest = (eventName: string) => boolean;

/**
 * Event listeners with an optional interest each: an event no listener wants is not turned into a typed
 * event at all (a controller receives many it ignores, e.g. CHANNEL_EXECUTE_COMPLETE on every app).
 */
export class EventListeners<E> {
  private readonly entries = new Set<{ fn: (e: E) => void; wants: EventInterest | undefined }>();

  add(fn: (e: E) => void, wants?: EventInterest): () => void {
    const entry = { fn, wants };
    this.entries.add(entry);
    return () => this.entries.delete(entry);
  }

  wanted(eventName: string): boolean {
    for (const { wants } of this.entries) if (!wants || wants(eventName)) return true;
    return false;
  }

  emit(eventName: string, e: E): void {
    for (const entry of [...this.entries]) {
      if (entry.wants && !entry.wants(eventName)) continue;
      try {
        entry.fn(e);
      } catch (err) {
        // A throwing consumer must not break the socket handler; surface it asynchronously.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
