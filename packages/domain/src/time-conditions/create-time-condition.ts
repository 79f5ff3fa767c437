import type { CreateTimeCondition } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { destinationColumns } from '../destinations/columns.js';
import { runWrite } from '../shared/run-write.js';
import { checkTimeCondition } from './check-time-condition.js';
import { timeConditionColumns, writeSchedule } from './time-condition-columns.js';
import { withSchedule, type TimeConditionFull } from './types.js';

export async function createTimeCondition(
  ctx: TenantContext,
  input: CreateTimeCondition,
): Promise<TimeConditionFull> {
  return runWrite(ctx, async (tx, record) => {
    await checkTimeCondition(tx, ctx.tenantId, input);
    const match = destinationColumns(input.match);
    const noMatch = destinationColumns(input.noMatch);
    const created = await tx.timeCondition.create({
      data: {
        ...timeConditionColumns(input),
        tenantId: ctx.tenantId,
        name: input.name,
        matchDestType: match.type,
        matchDestValue: match.value,
        noMatchDestType: noMatch.type,
        noMatchDestValue: noMatch.value,
      },
    });
    await writeSchedule(tx, created.id, input);
    const tc = await tx.timeCondition.findUniqueOrThrow({ where: { id: created.id }, include: withSchedule });
    await record({
      action: 'time-condition.create',
      entityType: 'time-condition',
      entityId: tc.id,
      after: tc,
    });
    return tc;
  });
}
