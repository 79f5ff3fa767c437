import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getExtension(ctx: TenantContext, extensionId: string): Promise<Extension> {
  const row = await ctx.db.extension.findFirst({ where: { id: extensionId, tenantId: ctx.tenantId } });
  if (!row) throw notFound('extension');
  return row;
}
