import type { Prisma, VoicemailBox } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { likeLiteral } from '../shared/like.js';

export async function listVoicemailBoxes(
  ctx: TenantContext,
  query: PageArgs & { search?: string | undefined },
): Promise<Page<VoicemailBox>> {
  const where: Prisma.VoicemailBoxWhereInput = {
    tenantId: ctx.tenantId,
    ...(query.search
      ? {
          OR: [
            { number: { startsWith: likeLiteral(query.search) } },
            { name: { contains: likeLiteral(query.search), mode: 'insensitive' } },
          ],
        }
      : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.voicemailBox.findMany({
      where,
      orderBy: [{ number: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.voicemailBox.count({ where }),
  ]);
  return toPage(items, total, query);
}
