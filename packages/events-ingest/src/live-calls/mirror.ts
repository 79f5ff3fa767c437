import type { LiveCall } from '../contracts.js';

/** What the mirror says of a leg that hung up (Redis holds a tombstone for it). */
export const GONE = 'gone' as const;

type Entry = { call: LiveCall; until: number };

/**
 * This process's copy of the live legs it has written or read, and of the legs
 * it saw hang up, so applying an event needs no Redis read. Not authoritative:
 * a leg it does not hold may still be in Redis (a restart, another controller),
 * which is why a miss is read through by the store. Entries expire like the
 * Redis keys they mirror (a leg after `liveTtlMs` without a write, a tombstone
 * after `goneTtlMs`); expired ones are swept as writes go by, no timer.
 */
export class LegMirror {
  private readonly live = new Map<string, Entry>();
  /** uuid → expiry (ms), in insertion order = expiry order, since every tombstone lives equally long. */
  private readonly gone = new Map<string, number>();
  private lastSweep: number;

  constructor(
    private readonly liveTtlMs: number,
    private readonly goneTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  get size(): { live: number; gone: number } {
    return { live: this.live.size, gone: this.gone.size };
  }

  /** The leg, GONE, or undefined when this process does not know it (any more). */
  get(uuid: string): LiveCall | typeof GONE | undefined {
    const entry = this.live.get(uuid);
    if (entry) {
      if (entry.until > this.now()) return entry.call;
      this.live.delete(uuid);
      return undefined;
    }
    const goneUntil = this.gone.get(uuid);
    if (goneUntil === undefined) return undefined;
    if (goneUntil > this.now()) return GONE;
    this.gone.delete(uuid);
    return undefined;
  }

  /** Whether `call` is still what the mirror holds for its leg (a later write replaced it otherwise). */
  holds(call: LiveCall): boolean {
    return this.live.get(call.uuid)?.call === call;
  }

  set(call: LiveCall): void {
    const now = this.now();
    const entry = this.live.get(call.uuid);
    if (entry) {
      entry.call = call;
      entry.until = now + this.liveTtlMs;
    } else {
      this.live.set(call.uuid, { call, until: now + this.liveTtlMs });
      this.gone.delete(call.uuid);
    }
    this.maybeSweep(now);
  }

  markGone(uuid: string): void {
    const now = this.now();
    this.live.delete(uuid);
    this.gone.delete(uuid); // re-inserted at the end, keeping the map in expiry order
    this.gone.set(uuid, now + this.goneTtlMs);
    this.maybeSweep(now);
  }

  /** Forgets the leg without a tombstone (a reconciliation removed it). */
  forget(uuid: string): void {
    this.live.delete(uuid);
    this.gone.delete(uuid);
  }

  private maybeSweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [uuid, until] of this.gone) {
      if (until > now) break;
      this.gone.delete(uuid);
    }
    for (const [uuid, entry] of this.live) if (entry.until <= now) this.live.delete(uuid);
  }
}
