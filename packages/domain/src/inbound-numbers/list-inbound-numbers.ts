import type { InboundNumber, Prisma } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { likeLiteral } from '../shared/like.js';

export async function listInboundNumbers(
  ctx: TenantContext,
  query: PageArgs & { search?: string | undefined },
): Promise<Page<InboundNumber>> {
  const where: Prisma.InboundNumberWhereInput = {
    tenantId: ctx.tenantId,
    ...(query.search ? { e164: { contains: likeLiteral(query.search) } } : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.inboundNumber.findMany({
      where,
      orderBy: [{ e164: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.inboundNumber.count({ where }),
  ]);
  return toPage(items, total, query);
}
