import type { UpdateTimeCondition } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { checkTimeCondition } from './check-time-condition.js';
import { timeConditionColumns, writeSchedule } from './time-condition-columns.js';
import { withSchedule, type TimeConditionFull } from './types.js';

/** `ranges` and `holidays`, when sent, each replace the whole list. */
export async function updateTimeCondition(
  ctx: TenantContext,
  id: string,
  input: UpdateTimeCondition,
  ifMatch?: string,
): Promise<TimeConditionFull> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.timeCondition.findFirst({
      where: { id, tenantId: ctx.tenantId },
      include: withSchedule,
    });
    if (!before) throw notFound('time condition');
    assertVersion(before, ifMatch);
    await checkTimeCondition(tx, ctx.tenantId, input, id);
    await tx.timeCondition.update({
      where: { id },
      data: { ...timeConditionColumns(input), updatedAt: new Date() },
    });
    await writeSchedule(tx, id, input);
    const after = await tx.timeCondition.findUniqueOrThrow({ where: { id }, include: withSchedule });
    await record({
      action: 'time-condition.update',
      entityType: 'time-condition',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}
