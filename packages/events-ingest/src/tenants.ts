import type { Db } from '@pbx/db';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TenantRef = { id: string; domain: string };

/** Maps what FreeSWITCH tells us (a tenant id variable, a SIP domain, a DID) to a tenant. */
export type TenantResolver = {
  byId: (id: string) => Promise<TenantRef | null>;
  byDomain: (domain: string) => Promise<TenantRef | null>;
  /** The tenant owning an inbound number (E.164, with or without the leading `+`). */
  byDid: (number: string) => Promise<TenantRef | null>;
};

/**
 * A resolver over the database with a short in-process cache: every call leg
 * and registration needs a lookup, and tenants change rarely. `ttlMs: 0`
 * disables caching. Misses are cached for a tenth of the time so a tenant
 * created a moment ago is found soon.
 */
export function createTenantResolver(prisma: Db, options: { ttlMs?: number } = {}): TenantResolver {
  const ttl = options.ttlMs ?? 30_000;
  const cache = new Map<string, { value: TenantRef | null; until: number }>();
  const cached = async (key: string, load: () => Promise<TenantRef | null>): Promise<TenantRef | null> => {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = await load();
    if (ttl > 0) {
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { value, until: now + (value ? ttl : Math.ceil(ttl / 10)) });
    }
    return value;
  };
  const select = { id: true, domain: true } as const;
  return {
    byId: (id) =>
      UUID_RE.test(id)
        ? cached(`id:${id.toLowerCase()}`, () =>
            prisma.tenant.findUnique({ where: { id: id.toLowerCase() }, select }),
          )
        : Promise.resolve(null),
    byDomain: (domain) => {
      const d = domain.trim().toLowerCase();
      if (!d) return Promise.resolve(null);
      return cached(`domain:${d}`, () => prisma.tenant.findUnique({ where: { domain: d }, select }));
    },
    byDid: (number) => {
      const digits = number.replace(/^\+/, '');
      if (!/^\d{4,15}$/.test(digits)) return Promise.resolve(null);
      return cached(`did:${digits}`, async () => {
        const did = await prisma.inboundNumber.findUnique({
          where: { e164: `+${digits}` },
          select: { tenant: { select } },
        });
        return did?.tenant ?? null;
      });
    },
  };
}
