import type { UpdateRingGroup } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { checkRingGroup } from './check-ring-group.js';
import { memberRows, ringGroupColumns } from './ring-group-columns.js';
import { withMembers, type RingGroupWithMembers } from './types.js';

/** `members`, when sent, replaces the whole list (in ringing order). */
export async function updateRingGroup(
  ctx: TenantContext,
  groupId: string,
  input: UpdateRingGroup,
  ifMatch?: string,
): Promise<RingGroupWithMembers> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.ringGroup.findFirst({
      where: { id: groupId, tenantId: ctx.tenantId },
      include: withMembers,
    });
    if (!before) throw notFound('ring group');
    assertVersion(before, ifMatch);
    await checkRingGroup(tx, ctx.tenantId, input, groupId);
    await tx.ringGroup.update({
      where: { id: groupId },
      data: { ...ringGroupColumns(input), updatedAt: new Date() },
    });
    if (input.members) {
      await tx.ringGroupMember.deleteMany({ where: { ringGroupId: groupId, tenantId: ctx.tenantId } });
      await tx.ringGroupMember.createMany({ data: memberRows(ctx.tenantId, groupId, input.members) });
    }
    const after = await tx.ringGroup.findUniqueOrThrow({ where: { id: groupId }, include: withMembers });
    await record({ action: 'ring-group.update', entityType: 'ring-group', entityId: groupId, before, after });
    return after;
  });
}
