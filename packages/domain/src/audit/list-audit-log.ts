import type { AuditLog, Prisma } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { timeRange } from '../shared/time-range.js';

export type AuditFilter = {
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

/**
 * Newest first. `tenantId` undefined = every entry (platform admins only,
 * enforced by the route); a tenant's own log otherwise.
 */
export async function listAuditLog(
  ctx: PlatformContext,
  tenantId: string | null | undefined,
  query: PageArgs & AuditFilter,
): Promise<Page<AuditLog>> {
  const createdAt = timeRange(query.from, query.to);
  const where: Prisma.AuditLogWhereInput = {
    ...(tenantId !== undefined ? { tenantId } : {}),
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.auditLog.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.auditLog.count({ where }),
  ]);
  return toPage(items, total, query);
}
