import type { Tenant } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

/** Cancels a scheduled deletion: the tenant is active again, nothing was lost. */
export async function restoreTenant(ctx: PlatformContext, tenantId: string): Promise<Tenant> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!before) throw notFound('tenant');
    if (!before.purgeAt) throw new AppError('CONFLICT', 'this tenant is not scheduled for deletion');
    const after = await tx.tenant.update({
      where: { id: tenantId },
      data: { status: 'ACTIVE', purgeAt: null },
    });
    await record({
      action: 'tenant.restore',
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
