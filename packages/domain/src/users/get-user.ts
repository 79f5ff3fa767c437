import type { User } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getUser(ctx: TenantContext, userId: string): Promise<User> {
  const user = await ctx.db.user.findFirst({ where: { id: userId, tenantId: ctx.tenantId } });
  if (!user) throw notFound('user');
  return user;
}
