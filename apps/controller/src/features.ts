import type { Db } from '@pbx/db';
import type { FeatureEffect, TenantSnapshot } from '@pbx/domain/routing';
import type { Redis } from 'ioredis';
import { publishConfigChanged } from './invalidation.js';
import type { TenantCache } from './tenant-cache.js';

/**
 * Applies what a feature code changes (DND, call forwarding) to the
 * extension row, then invalidates the tenant everywhere, exactly like an API
 * write does.
 */
export async function applyFeature(
  deps: { prisma: Db; cache: TenantCache; publisher: Redis | undefined; redisPrefix: string },
  snapshot: TenantSnapshot,
  effect: FeatureEffect,
): Promise<void> {
  const where = { id: effect.extensionId, tenantId: snapshot.tenant.id };
  if (effect.type === 'set_dnd') {
    await deps.prisma.extension.update({ where, data: { dnd: effect.value } });
  } else {
    await deps.prisma.extension.update({
      where,
      data: {
        forwardAlwaysType: effect.destination?.type ?? null,
        forwardAlwaysValue: effect.destination?.value ?? null,
      },
    });
  }
  deps.cache.invalidateTenant(snapshot.tenant.domain);
  if (deps.publisher) {
    await publishConfigChanged(deps.publisher, deps.redisPrefix, {
      tenantId: snapshot.tenant.id,
      domain: snapshot.tenant.domain,
      entity: 'extension',
      entityId: effect.extensionId,
      at: new Date().toISOString(),
    });
  }
}
