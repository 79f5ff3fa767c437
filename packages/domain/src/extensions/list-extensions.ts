import type { Extension, Prisma } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { likeLiteral } from '../shared/like.js';

export async function listExtensions(
  ctx: TenantContext,
  query: PageArgs & { search?: string | undefined; number?: string | undefined },
): Promise<Page<Extension>> {
  const where: Prisma.ExtensionWhereInput = {
    tenantId: ctx.tenantId,
    ...(query.number ? { number: query.number } : {}),
    ...(query.search
      ? {
          OR: [
            { number: { startsWith: likeLiteral(query.search) } },
            { displayName: { contains: likeLiteral(query.search), mode: 'insensitive' } },
          ],
        }
      : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.extension.findMany({ where, orderBy: [{ number: 'asc' }], take: query.limit, skip: query.offset }),
    ctx.db.extension.count({ where }),
  ]);
  return toPage(items, total, query);
}
