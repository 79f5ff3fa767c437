import type { TenantSnapshot } from '@pbx/domain/routing';
import type { SnapshotLoader } from './snapshot-loader.js';

export type CacheOptions = {
  /** How long "no such domain / DID" is remembered, so scanners cannot hammer the database. */
  negativeTtlMs: number;
  /** Safety net if an invalidation message is ever lost. */
  maxAgeMs: number;
  /** A load slower than this is abandoned in favour of the stale copy (mod_xml_curl gives up after a few seconds). */
  loadTimeoutMs: number;
  /** After a failed load, serve the stale copy for this long before trying the database again. */
  retryAfterMs: number;
  now: () => number;
  onStale?: (key: string, error: unknown) => void;
};

type Entry<T> = { value: T | null; loadedAt: number; stale: boolean; failedAt?: number };

export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError';
}

/** Read-through cache with in-flight de-duplication, negative entries and serve-stale-on-error. */
class LoadingCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Promise<T | null>>();
  loads = 0;

  constructor(
    private readonly load: (key: string) => Promise<T | null>,
    private readonly o: CacheOptions,
  ) {}

  get(key: string): Promise<T | null> | T | null {
    const e = this.entries.get(key);
    const now = this.o.now();
    if (e && !e.stale) {
      const ttl = e.value === null ? this.o.negativeTtlMs : this.o.maxAgeMs;
      if (now - e.loadedAt < ttl) return e.value;
    }
    if (e?.value && e.failedAt !== undefined && now - e.failedAt < this.o.retryAfterMs) return e.value;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.fetch(key, e).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async fetch(key: string, previous: Entry<T> | undefined): Promise<T | null> {
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
      // An invalidation that arrived while loading wins: keep the entry stale so the next lookup reloads.
      const current = this.entries.get(key);
      const invalidatedMeanwhile = current !== previous && current?.stale === true;
      this.entries.set(key, { value, loadedAt: this.o.now(), stale: invalidatedMeanwhile });
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
    const e = this.entries.get(key);
    if (!e) return;
    if (e.value === null) this.entries.delete(key);
    else this.entries.set(key, { value: e.value, loadedAt: e.loadedAt, stale: true });
  }

  invalidateWhere(pred: (key: string, value: T | null) => boolean): void {
    for (const [k, e] of this.entries) if (pred(k, e.value)) this.invalidate(k);
  }

  invalidateAll(): void {
    this.invalidateWhere(() => true);
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
