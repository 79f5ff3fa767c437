import type { Destination } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { guardDelete } from '../destinations/guard-delete.js';
import { runWrite } from '../shared/run-write.js';
import { withMembers } from './types.js';

export async function deleteRingGroup(
  ctx: TenantContext,
  groupId: string,
  reroute?: Destination,
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.ringGroup.findFirst({
      where: { id: groupId, tenantId: ctx.tenantId },
      include: withMembers,
    });
    if (!before) throw notFound('ring group');
    const rerouted = await guardDelete(tx, ctx.tenantId, { type: 'RING_GROUP', id: groupId }, reroute);
    await tx.ringGroup.delete({ where: { id: groupId } });
    await record({
      action: 'ring-group.delete',
      entityType: 'ring-group',
      entityId: groupId,
      before,
      after: rerouted.length ? { rerouted, to: reroute } : null,
    });
  });
}
