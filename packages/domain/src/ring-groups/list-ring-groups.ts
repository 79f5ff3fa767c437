import type { Prisma } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { withMembers, type RingGroupWithMembers } from './types.js';
import { likeLiteral } from '../shared/like.js';

export async function listRingGroups(
  ctx: TenantContext,
  query: PageArgs & { search?: string | undefined },
): Promise<Page<RingGroupWithMembers>> {
  const where: Prisma.RingGroupWhereInput = {
    tenantId: ctx.tenantId,
    ...(query.search ? { name: { contains: likeLiteral(query.search), mode: 'insensitive' } } : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.ringGroup.findMany({
      where,
      include: withMembers,
      orderBy: [{ name: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.ringGroup.count({ where }),
  ]);
  return toPage(items, total, query);
}
