import type { Cdr } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getCdr(ctx: TenantContext, cdrId: string): Promise<Cdr> {
  const row = await ctx.db.cdr.findFirst({ where: { id: cdrId, tenantId: ctx.tenantId } });
  if (!row) throw notFound('call record');
  return row;
}
