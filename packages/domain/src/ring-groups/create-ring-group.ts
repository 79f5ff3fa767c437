import type { CreateRingGroup } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { destinationColumns } from '../destinations/columns.js';
import { runWrite } from '../shared/run-write.js';
import { checkRingGroup } from './check-ring-group.js';
import { memberRows, ringGroupColumns } from './ring-group-columns.js';
import { withMembers, type RingGroupWithMembers } from './types.js';

export async function createRingGroup(
  ctx: TenantContext,
  input: CreateRingGroup,
): Promise<RingGroupWithMembers> {
  return runWrite(ctx, async (tx, record) => {
    await checkRingGroup(tx, ctx.tenantId, input);
    const fallback = destinationColumns(input.fallback);
    const created = await tx.ringGroup.create({
      data: {
        ...ringGroupColumns(input),
        tenantId: ctx.tenantId,
        name: input.name,
        fallbackDestType: fallback.type,
        fallbackDestValue: fallback.value,
      },
    });
    await tx.ringGroupMember.createMany({ data: memberRows(ctx.tenantId, created.id, input.members ?? []) });
    const group = await tx.ringGroup.findUniqueOrThrow({ where: { id: created.id }, include: withMembers });
    await record({ action: 'ring-group.create', entityType: 'ring-group', entityId: group.id, after: group });
    return group;
  });
}
