import type { CallRecording, Prisma, RecordingState } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { timeRange } from '../shared/time-range.js';

export type RecordingFilter = {
  from?: string | undefined;
  to?: string | undefined;
  extensionId?: string | undefined;
  callUuid?: string | undefined;
  state?: RecordingState | undefined;
};

/** Newest first; deleted recordings only when asked for with state=DELETED. */
export async function listRecordings(
  ctx: TenantContext,
  query: PageArgs & RecordingFilter,
): Promise<Page<CallRecording>> {
  const createdAt = timeRange(query.from, query.to);
  const where: Prisma.CallRecordingWhereInput = {
    tenantId: ctx.tenantId,
    state: query.state ?? { not: 'DELETED' },
    ...(createdAt ? { createdAt } : {}),
    ...(query.extensionId ? { extensionId: query.extensionId } : {}),
    ...(query.callUuid ? { callUuid: query.callUuid } : {}),
  };
  const [items, total] = await Promise.all([
    ctx.db.callRecording.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.callRecording.count({ where }),
  ]);
  return toPage(items, total, query);
}
