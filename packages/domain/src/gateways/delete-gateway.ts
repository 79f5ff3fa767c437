import type { PlatformContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { auditCopy, tenantsRoutedBy } from './gateway-view.js';

/** Removes a trunk no tenant uses any more (a tenant's calls would otherwise lose a route without anyone choosing so). */
export async function deleteGateway(ctx: PlatformContext, id: string): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.gateway.findUnique({ where: { id } });
    if (!before) throw notFound('gateway');
    const used = await tx.tenantGateway.count({ where: { gatewayId: id } });
    if (used)
      throw new AppError('REFERENCED', `the gateway is assigned to ${used} tenant(s): unassign it first`, {
        details: { tenantCount: used },
      });
    await tx.gateway.delete({ where: { id } });
    await record({
      action: 'gateway.delete',
      entityType: 'gateway',
      entityId: id,
      tenantId: null,
      before: auditCopy(before),
      gateway: { name: before.fsName, removed: true },
      affectedTenants: await tenantsRoutedBy(tx, id, before.emergencyFallback),
    });
  });
}
