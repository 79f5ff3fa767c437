import type { Db } from '@pbx/db';
import { loadSnapshotJson } from '@pbx/domain';
import { TenantSnapshotSchema, type TenantSnapshot } from '@pbx/domain/routing';

// The statement lives in the domain: the API's route explainer loads the same snapshot.
export { loadSnapshotJson };

export type SnapshotLoader = {
  /** The tenant with this SIP domain, or null if there is none. */
  loadTenant(domain: string): Promise<TenantSnapshot | null>;
  /** The domain of the tenant owning this DID, or null. */
  domainForDid(e164: string): Promise<string | null>;
};

/** Loads one tenant's whole routing configuration. */
export function prismaSnapshotLoader(prisma: Db): SnapshotLoader {
  return {
    async loadTenant(domain) {
      const json = await loadSnapshotJson(prisma, domain);
      // Parsed on every load, not only in tests: a key renamed on one side fails
      // the load with the key's path (the cache keeps its copy and retries)
      // instead of routing with undefined. Measured in bench/snapshot-load.bench.ts.
      return json === null ? null : TenantSnapshotSchema.parse(json);
    },
    async domainForDid(e164) {
      const n = await prisma.inboundNumber.findUnique({
        where: { e164 },
        select: { tenant: { select: { domain: true } } },
      });
      return n?.tenant.domain ?? null;
    },
  };
}
