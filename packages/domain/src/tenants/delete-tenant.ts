import type { PlatformContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

/** Deletes the tenant and, by cascade, everything it owns. */
export async function deleteTenant(ctx: PlatformContext, tenantId: string): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!before) throw notFound('tenant');
    await tx.tenant.delete({ where: { id: tenantId } });
    await record({
      action: 'tenant.delete',
      entityType: 'tenant',
      entityId: tenantId,
      before,
      tenantId,
      auditTenantId: null,
      domain: before.domain,
    });
  });
}
