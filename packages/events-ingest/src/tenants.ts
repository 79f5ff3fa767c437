import type { Db } from '@pbx/db';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TenantRef = { id: string; domain: string };

export type TenantLookupKind = 'id' | 'domain' | 'did';

/** Maps what FreeSWITCH tells us (a tenant id variable, a SIP domain, a DID) to a tenant. */
export type TenantResolver = {
  byId: (id: string) => Promise<TenantRef | null>;
  byDomain: (domain: string) => Promise<TenantRef | null>;
  /** The tenant owning an inbound number (E.164, with or without the leading `+`). */
  byDid: (number: string) => Promise<TenantRef | null>;
  /**
   * The answer without waiting, when it is known now (cached, or the input can never match):
   * `undefined` means "ask byId/byDomain/byDid". Lets a caller handling thousands of events a
   * second stay synchronous on cache hits. Optional: a resolver without it is always asked.
   */
  peek?: (kind: TenantLookupKind, value: string) => TenantRef | null | undefined;
};

/** The cache key of a lookup, or null when the value can never name a tenant (answer: none). */
function keyOf(kind: TenantLookupKind, value: string): string | null {
  switch (kind) {
    case 'id':
      return UUID_RE.test(value) ? `id:${value.toLowerCase()}` : null;
    case 'domain': {
      const d = value.trim().toLowerCase();
      return d ? `domain:${d}` : null;
    }
    case 'did': {
      const digits = value.replace(/^\+/, '');
      return /^\d{4,15}$/.test(digits) ? `did:${digits}` : null;
    }
  }
}

/**
 * A resolver over the database with a short in-process cache: every call leg
 * and registration needs a lookup, and tenants change rarely. `ttlMs: 0`
 * disables caching. Misses are cached for a tenth of the time so a tenant
 * created a moment ago is found soon.
 */
export function createTenantResolver(prisma: Db, options: { ttlMs?: number } = {}): TenantResolver {
  const ttl = options.ttlMs ?? 30_000;
  const cache = new Map<string, { value: TenantRef | null; until: number }>();
  const select = { id: true, domain: true } as const;
  const load = async (key: string): Promise<TenantRef | null> => {
    const value = key.slice(key.indexOf(':') + 1);
    if (key.startsWith('id:')) return prisma.tenant.findUnique({ where: { id: value }, select });
    if (key.startsWith('domain:')) return prisma.tenant.findUnique({ where: { domain: value }, select });
    const did = await prisma.inboundNumber.findUnique({
      where: { e164: `+${value}` },
      select: { tenant: { select } },
    });
    return did?.tenant ?? null;
  };
  const peek = (kind: TenantLookupKind, value: string): TenantRef | null | undefined => {
    const key = keyOf(kind, value);
    if (key === null) return null;
    const hit = cache.get(key);
    return hit && hit.until > Date.now() ? hit.value : undefined;
  };
  const lookup = async (kind: TenantLookupKind, value: string): Promise<TenantRef | null> => {
    const key = keyOf(kind, value);
    if (key === null) return null;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.value;
    const found = await load(key);
    if (ttl > 0) {
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { value: found, until: now + (found ? ttl : Math.ceil(ttl / 10)) });
    }
    return found;
  };
  return {
    byId: (id) => lookup('id', id),
    byDomain: (domain) => lookup('domain', domain),
    byDid: (number) => lookup('did', number),
    peek,
  };
}
