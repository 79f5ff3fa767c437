import type { Prisma } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { withSchedule, type TimeConditionFull } from './types.js';
import { likeLiteral } from '../shared/like.js';

export async function listTimeConditions(
  ctx: TenantContext,
  query: PageArgs & { search?: string | undefined },
): Promise<Page<TimeConditionFull>> {
  const where: Prisma.TimeConditionWhereInput = {
    tenantId: ctx.tenantId,
    ...(query.search ? { name: { contains: likeLiteral(query.search), mode: 'insensitive' } } : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.timeCondition.findMany({
      where,
      include: withSchedule,
      orderBy: [{ name: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.timeCondition.count({ where }),
  ]);
  return toPage(items, total, query);
}
