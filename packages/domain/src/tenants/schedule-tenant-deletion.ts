import type { Tenant } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

/**
 * Deleting a tenant first suspends it (phones cannot register or call, its users and keys cannot
 * log in) and schedules the purge of its rows and files `graceDays` later; until then it can be
 * restored. Asking again keeps the first schedule.
 */
export async function scheduleTenantDeletion(
  ctx: PlatformContext,
  tenantId: string,
  graceDays: number,
): Promise<Tenant> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!before) throw notFound('tenant');
    if (before.purgeAt) return before;
    const after = await tx.tenant.update({
      where: { id: tenantId },
      data: { status: 'SUSPENDED', purgeAt: new Date(Date.now() + graceDays * 86_400_000) },
    });
    // Kept at platform level: the tenant's own audit rows go with the purge.
    await record({
      action: 'tenant.delete',
      entityType: 'tenant',
      entityId: tenantId,
      before,
      after,
      tenantId,
      auditTenantId: null,
      domain: after.domain,
    });
    return after;
  });
}
