import type { Tenant } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

/**
 * Deleting a tenant first suspends it (phones cannot register or call, its users and keys cannot
 * log in) and schedules the purge of its rows and files `graceDays` later; until then it can be
 * restored. Asking again keeps the first schedule.
 */
export function scheduleTenantDeletion(
  ctx: PlatformContext,
  tenantId: string,
  graceDays: number,
): Promise<Tenant> {
  return changeDeletion(ctx, tenantId, 'tenant.delete', (before) =>
    before.purgeAt ? null : { status: 'SUSPENDED', purgeAt: new Date(Date.now() + graceDays * 86_400_000) },
  );
}

/** Cancels a scheduled deletion: the tenant is active again, nothing was lost. */
export function restoreTenant(ctx: PlatformContext, tenantId: string): Promise<Tenant> {
  return changeDeletion(ctx, tenantId, 'tenant.restore', (before) => {
    if (!before.purgeAt) throw new AppError('CONFLICT', 'this tenant is not scheduled for deletion');
    return { status: 'ACTIVE', purgeAt: null };
  });
}

async function changeDeletion(
  ctx: PlatformContext,
  tenantId: string,
  action: string,
  change: (before: Tenant) => Pick<Tenant, 'status' | 'purgeAt'> | null,
): Promise<Tenant> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!before) throw notFound('tenant');
    const data = change(before);
    if (!data) return before;
    const after = await tx.tenant.update({ where: { id: tenantId }, data });
    // Kept at platform level: the tenant's own audit rows go with the purge. The domain is given so
    // the controllers drop (or reload) the tenant at once.
    await record({
      action,
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
