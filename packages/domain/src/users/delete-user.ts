import type { TenantContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

export async function deleteUser(ctx: TenantContext, userId: string): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.user.findFirst({ where: { id: userId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('user');
    if (ctx.actor.userId === userId) throw new AppError('CONFLICT', 'you cannot delete your own account');
    await tx.user.delete({ where: { id: userId } });
    await record({ action: 'user.delete', entityType: 'user', entityId: userId, before, notify: false });
  });
}
