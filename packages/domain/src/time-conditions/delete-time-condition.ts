import type { Destination } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { guardDelete } from '../destinations/guard-delete.js';
import { runWrite } from '../shared/run-write.js';
import { withSchedule } from './types.js';

export async function deleteTimeCondition(
  ctx: TenantContext,
  id: string,
  reroute?: Destination,
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.timeCondition.findFirst({
      where: { id, tenantId: ctx.tenantId },
      include: withSchedule,
    });
    if (!before) throw notFound('time condition');
    const rerouted = await guardDelete(tx, ctx.tenantId, { type: 'TIME_CONDITION', id }, reroute);
    await tx.timeCondition.delete({ where: { id } });
    await record({
      action: 'time-condition.delete',
      entityType: 'time-condition',
      entityId: id,
      before,
      after: rerouted.length ? { rerouted, to: reroute } : null,
    });
  });
}
