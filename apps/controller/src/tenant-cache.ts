import type { TenantSnapshot } from '@pbx/domain/routing';
import type { SnapshotLoader } from './snapshot-loader.js';

export type CacheOptions = {
  /** How long "no such domain / DID" is remembered, so scanners cannot hammer the database. */
  negativeTtlMs: number;
  /**
   * Safety net if an invalidation message is ever lost: a copy is refreshed once it is this old (or up to a fifth
   * younger, see REFRESH_SPREAD), in the background.
   */
  maxAgeMs: number;
  /** A load slower than this is abandoned in favour of the stale copy (mod_xml_curl gives up after a few seconds). */
  loadTimeoutMs: number;
  /** After a failed load, serve the stale copy for this long before trying the database again. */
  retryAfterMs: number;
  now: () => number;
  onStale?: (key: string, error: unknown) => void;
};

/**
 * Copies loaded together (every tenant after a start or a Redis reconnect) would all come of age together and
 * reload in one burst; each copy's age limit is shortened by a random share of up to this much instead.
 */
const REFRESH_SPREAD = 0.2;

/** `stale`: invalidated by a change, must be reloaded before it is used again (unless the database is down). */
type Entry<T> = { value: T | null; refreshAt: number; stale: boolean; failedAt?: number };

/** A load in progress; `outdated` once an invalidation arrived after it started (it may have read the old data). */
type Flight<T> = { outdated: boolean; promise?: Promise<T | null> };

export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError';
}

/**
 * Read-through cache with in-flight de-duplication, negative entries, serve-stale-on-error, and background refresh
 * of copies that are merely old: a lookup never waits for the database because of the age limit, only for a first
 * load or after an invalidation.
 */
class LoadingCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Flight<T>>();
  loads = 0;

  constructor(
    private readonly load: (key: string) => Promise<T | null>,
    private readonly o: CacheOptions,
  ) {}

  get(key: string): Promise<T | null> | T | null {
    const e = this.entries.get(key);
    const now = this.o.now();
    if (e && !e.stale) {
      if (now < e.refreshAt) return e.value;
      // Old, but nothing says it is wrong: answer from it while a fresh copy loads. Only "unknown" answers wait,
      // so that a domain or DID created meanwhile is found at once.
      if (e.value !== null) {
        // A failed refresh has already fallen back to the copy (fetch only throws when there is none).
        if (e.failedAt === undefined || now - e.failedAt >= this.o.retryAfterMs)
          this.start(key, e).catch(() => undefined);
        return e.value;
      }
    }
    if (e?.value && e.failedAt !== undefined && now - e.failedAt < this.o.retryAfterMs) return e.value;
    return this.start(key, e);
  }

  /** The load in progress for this key, or a new one. */
  private start(key: string, previous: Entry<T> | undefined): Promise<T | null> {
    const running = this.inflight.get(key)?.promise;
    if (running) return running;
    const flight: Flight<T> = { outdated: false };
    const promise = this.fetch(key, previous, flight).finally(() => {
      if (this.inflight.get(key) === flight) this.inflight.delete(key);
    });
    flight.promise = promise;
    this.inflight.set(key, flight);
    return promise;
  }

  private async fetch(key: string, previous: Entry<T> | undefined, flight: Flight<T>): Promise<T | null> {
    this.loads++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        this.load(key),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`loading ${key} took longer than ${this.o.loadTimeoutMs} ms`)),
            this.o.loadTimeoutMs,
          );
        }),
      ]);
      // A load that an invalidation overtook answers the lookups that were waiting for it, but is not kept: the
      // next lookup loads again.
      if (!flight.outdated) {
        const ttl =
          value === null ? this.o.negativeTtlMs : this.o.maxAgeMs * (1 - REFRESH_SPREAD * Math.random());
        this.entries.set(key, { value, refreshAt: this.o.now() + ttl, stale: false });
      }
      return value;
    } catch (error) {
      const fallback = this.entries.get(key) ?? previous;
      if (fallback?.value) {
        this.o.onStale?.(key, error);
        this.entries.set(key, { ...fallback, failedAt: this.o.now() });
        return fallback.value;
      }
      throw new CacheUnavailableError(
        `cannot load ${key}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keeps the old value as the fallback for database outages, but forces a reload. */
  invalidate(key: string): void {
    const flight = this.inflight.get(key);
    if (flight) {
      flight.outdated = true;
      this.inflight.delete(key);
    }
    const e = this.entries.get(key);
    if (!e) return;
    if (e.value === null) this.entries.delete(key);
    else this.entries.set(key, { value: e.value, refreshAt: e.refreshAt, stale: true });
  }

  /**
   * Invalidates the entries the predicate picks, and every load in progress: what those will return is not known
   * yet, so they cannot be judged.
   */
  invalidateWhere(pred: (key: string, value: T | null) => boolean): void {
    for (const [k, flight] of this.inflight) {
      flight.outdated = true;
      this.inflight.delete(k);
    }
    for (const [k, e] of this.entries) if (pred(k, e.value)) this.invalidate(k);
  }

  invalidateAll(): void {
    this.invalidateWhere(() => true);
  }

  /** The value held for the key, current or invalidated, without loading; undefined if there is none. */
  peek(key: string): T | null | undefined {
    return this.entries.get(key)?.value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Per-tenant routing snapshots by SIP domain, and the DID → domain index. */
export class TenantCache {
  private readonly byDomain: LoadingCache<TenantSnapshot>;
  private readonly didIndex: LoadingCache<string>;

  constructor(loader: SnapshotLoader, options: CacheOptions) {
    this.byDomain = new LoadingCache((d) => loader.loadTenant(d), options);
    this.didIndex = new LoadingCache((n) => loader.domainForDid(n), options);
  }

  async getByDomain(domain: string): Promise<TenantSnapshot | null> {
    return this.byDomain.get(domain);
  }

  async getByDid(e164: string): Promise<TenantSnapshot | null> {
    return this.lookupDid(e164);
  }

  /** getByDomain for the hot path: a cached answer comes back as a plain value (no promise, no microtask). */
  lookupDomain(domain: string): Promise<TenantSnapshot | null> | TenantSnapshot | null {
    return this.byDomain.get(domain);
  }

  /** getByDid for the hot path: a cached answer comes back as a plain value. */
  lookupDid(e164: string): Promise<TenantSnapshot | null> | TenantSnapshot | null {
    const domain = this.didIndex.get(e164);
    return domain instanceof Promise
      ? domain.then((d) => this.ownerOfDid(e164, d))
      : this.ownerOfDid(e164, domain);
  }

  private ownerOfDid(
    e164: string,
    domain: string | null,
  ): Promise<TenantSnapshot | null> | TenantSnapshot | null {
    if (!domain) return null;
    const s = this.byDomain.get(domain);
    return s instanceof Promise ? s.then((v) => this.checkOwner(e164, v)) : this.checkOwner(e164, s);
  }

  private checkOwner(e164: string, s: TenantSnapshot | null): TenantSnapshot | null {
    // The index can lag a move of the number to another tenant: trust only the tenant's own list.
    if (s && !s.inboundNumbers.some((n) => n.e164 === e164)) {
      this.didIndex.invalidate(e164);
      return null;
    }
    return s;
  }

  /**
   * The snapshot last loaded for the domain, even if since invalidated (kept as the outage fallback): what the
   * directory answered before a change. Never loads.
   */
  peekDomain(domain: string): TenantSnapshot | null | undefined {
    return this.byDomain.peek(domain);
  }

  /** Called for every ConfigChanged message. */
  invalidateTenant(domain: string, previousDomain?: string): void {
    this.byDomain.invalidate(domain);
    if (previousDomain) this.byDomain.invalidate(previousDomain);
    // A DID may have been added (drop "unknown" answers) or moved away (drop this tenant's entries).
    this.didIndex.invalidateWhere((_, d) => d === null || d === domain || d === previousDomain);
  }

  invalidateAll(): void {
    this.byDomain.invalidateAll();
    this.didIndex.invalidateAll();
  }

  stats(): { domains: number; dids: number; loads: number } {
    return {
      domains: this.byDomain.size,
      dids: this.didIndex.size,
      loads: this.byDomain.loads + this.didIndex.loads,
    };
  }
}
