// FreeSWITCH's directory user cache, as src/switch_xml.c keeps it (switch_xml_locate_user_merged,
// switch_xml_locate_user_cache, switch_xml_user_cache, switch_xml_clear_user_cache) and as mod_commands'
// `xml_flush_cache` (xml_flush_function) clears it. Behaviour modelled, not code copied.
import type { DirectoryUser } from './xml-curl/documents.js';

/** A cached user: the `<user>` with its domain's params and variables merged in (switch_xml_merge_user). */
export type CachedUser = { user: DirectoryUser; domain: string };

type Entry = { value: CachedUser; expiresUs: number | null };

/** `switch_is_number`: an optional sign, then only digits and dots (so "1.5" is a number and "" is too). */
function isNumber(s: string): boolean {
  return /^[+-]?[0-9.]*$/.test(s);
}

/** C's `atol` then the assignment to `int`: leading digits, truncated to 32 bits. */
function atolToInt(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1] ?? '0'))) : 0;
}

/**
 * When a fresh entry expires, in µs, or null for "never" (no expiry recorded).
 * `expires = time_now + (cache_ms * 1000)` with `int cache_ms`: the product is a 32-bit int multiplication, so any
 * value above 2147483 wraps (3600000 → -694967296 µs: born expired; docs/freeswitch-facts.md §3). A non-numeric value caches
 * with no expiry at all.
 */
export function cacheExpiry(cacheable: string, nowUs: number): number | null {
  if (!isNumber(cacheable)) return null;
  const product = Math.imul(atolToInt(cacheable), 1000);
  const expires = nowUs + product;
  // switch_xml_user_cache records an expiry only when it is non-zero.
  return expires === 0 ? null : expires;
}

export type UserCacheStats = { hits: number; misses: number; stored: number; entries: number };

/**
 * The cache is keyed by `key + user + domain` concatenated with no separator (the "mega_key"): the lookup's
 * purpose is not part of it, so one cached REGISTER answer also serves `user/<ext>@<domain>` bridging.
 */
export class UserCache {
  private readonly entries = new Map<string, Entry>();
  readonly stats: UserCacheStats = { hits: 0, misses: 0, stored: 0, entries: 0 };

  constructor(private readonly nowUs: () => number = () => Date.now() * 1000) {}

  private static megaKey(key: string, user: string, domain: string): string {
    return `${key}${user}${domain}`;
  }

  /** switch_xml_locate_user_cache: a hit unless the recorded expiry is already past (the entry stays). */
  find(key: string, user: string, domain: string): CachedUser | undefined {
    const e = this.entries.get(UserCache.megaKey(key, user, domain));
    if (e && (e.expiresUs === null || e.expiresUs >= this.nowUs())) {
      this.stats.hits++;
      return e.value;
    }
    this.stats.misses++;
    return undefined;
  }

  /** switch_xml_user_cache, called only for a user whose `cacheable` attribute is present and non-empty. */
  store(key: string, user: string, domain: string, value: CachedUser): void {
    const cacheable = value.user.cacheable;
    if (cacheable === null || cacheable === '') return;
    this.entries.set(UserCache.megaKey(key, user, domain), {
      value,
      expiresUs: cacheExpiry(cacheable, this.nowUs()),
    });
    this.stats.stored++;
    this.stats.entries = this.entries.size;
  }

  /**
   * switch_xml_locate_user_merged for one key: the cache first, else `fetch` (the bindings, i.e. mod_xml_curl),
   * caching what it returns if the user is cacheable. A key list such as `id:number-alias` is tried in order.
   */
  async locate(
    key: string,
    user: string,
    domain: string,
    fetch: (key: string) => Promise<CachedUser | null>,
  ): Promise<CachedUser | null> {
    for (const k of key.split(':')) {
      const hit = this.find(k, user, domain);
      if (hit) return hit;
      const found = await fetch(k);
      if (found) {
        this.store(k, user, domain, found);
        return found;
      }
    }
    return null;
  }

  /** switch_xml_clear_user_cache: one entry when key, user and domain are all given, otherwise everything. */
  clear(key?: string, user?: string, domain?: string): number {
    let n = 0;
    if (key && user && domain) {
      if (this.entries.delete(UserCache.megaKey(key, user, domain))) n = 1;
    } else {
      n = this.entries.size;
      this.entries.clear();
    }
    this.stats.entries = this.entries.size;
    return n;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * `xml_flush_cache [<key> <user> <domain>]` (mod_commands.c xml_flush_function): the arguments are split on
 * spaces into at most three (the third keeps the rest); with exactly three one entry is cleared, with anything else
 * the whole cache. The reply counts what was cleared: `+OK cleared 1 entry` / `+OK cleared 3 entries`.
 */
export function xmlFlushCache(cache: UserCache, arg: string): string {
  const words = arg.trim() === '' ? [] : arg.trim().split(/ +/);
  const argv = words.length > 3 ? [words[0], words[1], words.slice(2).join(' ')] : words;
  const n = argv.length === 3 ? cache.clear(argv[0], argv[1], argv[2]) : cache.clear();
  return `+OK cleared ${n} entr${n === 1 ? 'y' : 'ies'}\n`;
}
