import type { Prisma } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { withOptions, type IvrMenuWithOptions } from './types.js';
import { likeLiteral } from '../shared/like.js';

export async function listIvrMenus(
  ctx: TenantContext,
  query: PageArgs & { search?: string | undefined },
): Promise<Page<IvrMenuWithOptions>> {
  const where: Prisma.IvrMenuWhereInput = {
    tenantId: ctx.tenantId,
    ...(query.search ? { name: { contains: likeLiteral(query.search), mode: 'insensitive' } } : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.ivrMenu.findMany({
      where,
      include: withOptions,
      orderBy: [{ name: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.ivrMenu.count({ where }),
  ]);
  return toPage(items, total, query);
}
