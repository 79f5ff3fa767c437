import type { Tenant } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getTenant(ctx: Pick<PlatformContext, 'db'>, tenantId: string): Promise<Tenant> {
  const tenant = await ctx.db.tenant.findUnique({ where: { id: tenantId } });
  if (!tenant) throw notFound('tenant');
  return tenant;
}
