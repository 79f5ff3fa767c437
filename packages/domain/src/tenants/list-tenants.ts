import type { Prisma, Tenant, TenantStatus } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { likeLiteral } from '../shared/like.js';

export async function listTenants(
  ctx: PlatformContext,
  query: PageArgs & { search?: string | undefined; status?: TenantStatus | undefined },
): Promise<Page<Tenant>> {
  const where: Prisma.TenantWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.search
      ? {
          OR: [
            { name: { contains: likeLiteral(query.search), mode: 'insensitive' } },
            { domain: { contains: likeLiteral(query.search) } },
          ],
        }
      : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.tenant.findMany({
      where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.tenant.count({ where }),
  ]);
  return toPage(items, total, query);
}
