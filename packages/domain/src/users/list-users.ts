import type { Prisma, User, UserRole } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { likeLiteral } from '../shared/like.js';

export async function listUsers(
  ctx: TenantContext,
  query: PageArgs & { role?: UserRole | undefined; search?: string | undefined },
): Promise<Page<User>> {
  const where: Prisma.UserWhereInput = {
    tenantId: ctx.tenantId,
    ...(query.role ? { role: query.role } : {}),
    ...(query.search
      ? {
          OR: [
            { email: { contains: likeLiteral(query.search) } },
            { name: { contains: likeLiteral(query.search), mode: 'insensitive' } },
          ],
        }
      : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.user.findMany({ where, orderBy: [{ email: 'asc' }], take: query.limit, skip: query.offset }),
    ctx.db.user.count({ where }),
  ]);
  return toPage(items, total, query);
}
