import type { Prisma, VoicemailMessage } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { getVoicemailBox } from './get-voicemail-box.js';

/** Newest first. */
export async function listVoicemailMessages(
  ctx: TenantContext,
  boxId: string,
  query: PageArgs & { unread?: boolean | undefined },
): Promise<Page<VoicemailMessage>> {
  await getVoicemailBox(ctx, boxId);
  const where: Prisma.VoicemailMessageWhereInput = {
    tenantId: ctx.tenantId,
    boxId,
    ...(query.unread === undefined ? {} : { readAt: query.unread ? null : { not: null } }),
  };
  const [items, total] = await Promise.all([
    ctx.db.voicemailMessage.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.voicemailMessage.count({ where }),
  ]);
  return toPage(items, total, query);
}
