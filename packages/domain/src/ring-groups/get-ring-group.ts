import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { withMembers, type RingGroupWithMembers } from './types.js';

export async function getRingGroup(ctx: TenantContext, groupId: string): Promise<RingGroupWithMembers> {
  const row = await ctx.db.ringGroup.findFirst({
    where: { id: groupId, tenantId: ctx.tenantId },
    include: withMembers,
  });
  if (!row) throw notFound('ring group');
  return row;
}
