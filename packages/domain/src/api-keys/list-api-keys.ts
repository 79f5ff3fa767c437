import type { ApiKey, Prisma } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { visibleKeys } from './visible-keys.js';

export async function listApiKeys(
  ctx: PlatformContext,
  query: PageArgs & { tenantId?: string | undefined; includeRevoked?: boolean },
): Promise<Page<ApiKey>> {
  const where: Prisma.ApiKeyWhereInput = {
    AND: [
      visibleKeys(ctx.actor),
      query.tenantId ? { tenantId: query.tenantId } : {},
      query.includeRevoked ? {} : { revokedAt: null },
    ],
  };
  const [items, total] = await Promise.all([
    ctx.db.apiKey.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.apiKey.count({ where }),
  ]);
  return toPage(items, total, query);
}
