import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { withSchedule, type TimeConditionFull } from './types.js';

export async function getTimeCondition(ctx: TenantContext, id: string): Promise<TimeConditionFull> {
  const row = await ctx.db.timeCondition.findFirst({
    where: { id, tenantId: ctx.tenantId },
    include: withSchedule,
  });
  if (!row) throw notFound('time condition');
  return row;
}
