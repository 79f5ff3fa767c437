import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { withOptions, type IvrMenuWithOptions } from './types.js';

export async function getIvrMenu(ctx: TenantContext, menuId: string): Promise<IvrMenuWithOptions> {
  const row = await ctx.db.ivrMenu.findFirst({
    where: { id: menuId, tenantId: ctx.tenantId },
    include: withOptions,
  });
  if (!row) throw notFound('IVR menu');
  return row;
}
