import type { InboundNumber } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getInboundNumber(ctx: TenantContext, numberId: string): Promise<InboundNumber> {
  const row = await ctx.db.inboundNumber.findFirst({ where: { id: numberId, tenantId: ctx.tenantId } });
  if (!row) throw notFound('inbound number');
  return row;
}
