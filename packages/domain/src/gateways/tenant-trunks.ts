import type { SetTenantTrunks } from '@pbx/contracts';
import type { TenantContext, Tx } from '../context.js';
import { AppError } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

export type TenantTrunkView = {
  gatewayId: string;
  name: string;
  description: string;
  enabled: boolean;
  position: number;
};

async function trunksOf(db: TenantContext['db'] | Tx, tenantId: string): Promise<TenantTrunkView[]> {
  const rows = await db.tenantGateway.findMany({
    where: { tenantId },
    orderBy: { position: 'asc' },
    select: {
      position: true,
      gateway: { select: { id: true, fsName: true, description: true, enabled: true } },
    },
  });
  return rows.map((r) => ({
    gatewayId: r.gateway.id,
    name: r.gateway.fsName,
    description: r.gateway.description,
    enabled: r.gateway.enabled,
    position: r.position,
  }));
}

/** The trunks the tenant's external calls use, first choice first. */
export function listTenantTrunks(ctx: TenantContext): Promise<TenantTrunkView[]> {
  return trunksOf(ctx.db, ctx.tenantId);
}

/**
 * Replaces the tenant's trunks (platform admins). Each must be a platform trunk or one dedicated to this tenant: a
 * trunk dedicated to another tenant answers as if it did not exist.
 */
export async function setTenantTrunks(
  ctx: TenantContext,
  input: SetTenantTrunks,
): Promise<TenantTrunkView[]> {
  if (ctx.actor.role !== 'PLATFORM_ADMIN')
    throw new AppError('FORBIDDEN', 'only platform admins assign trunks');
  return runWrite(ctx, async (tx, record) => {
    const found = await tx.gateway.findMany({
      where: { id: { in: input.gatewayIds }, OR: [{ tenantId: null }, { tenantId: ctx.tenantId }] },
      select: { id: true },
    });
    const known = new Set(found.map((g) => g.id));
    const missing = input.gatewayIds.findIndex((id) => !known.has(id));
    if (missing >= 0)
      throw new AppError('VALIDATION_FAILED', 'no such gateway for this tenant', {
        field: `gatewayIds.${missing}`,
      });
    const before = await trunksOf(tx, ctx.tenantId);
    await tx.tenantGateway.deleteMany({ where: { tenantId: ctx.tenantId } });
    await tx.tenantGateway.createMany({
      data: input.gatewayIds.map((gatewayId, position) => ({ tenantId: ctx.tenantId, gatewayId, position })),
    });
    const after = await trunksOf(tx, ctx.tenantId);
    await record({ action: 'tenant.trunks', entityType: 'trunks', entityId: null, before, after });
    return after;
  });
}
