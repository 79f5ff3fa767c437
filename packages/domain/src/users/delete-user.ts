import type { TenantContext } from '../context.js';
import { revokeKeysAndMinted } from '../api-keys/revoke-keys.js';
import { requireEveryScope, requireScope } from '../auth/scopes.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertNotLastAdmin } from './guard-last-admin.js';

/** Deleting a user revokes every API key that acts for them (and the keys those minted). */
export async function deleteUser(ctx: TenantContext, userId: string): Promise<void> {
  requireScope(ctx.actor, 'USERS');
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.user.findFirst({ where: { id: userId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('user');
    if (ctx.actor.userId === userId) throw new AppError('CONFLICT', 'you cannot delete your own account');
    if (before.role === 'TENANT_ADMIN') requireEveryScope(ctx.actor, 'deleting a tenant admin');
    await assertNotLastAdmin(tx, before, 'delete');
    await revokeKeysAndMinted(tx, record, { createdById: userId }, 'creator deleted');
    await tx.user.delete({ where: { id: userId } });
    await record({ action: 'user.delete', entityType: 'user', entityId: userId, before, notify: false });
  });
}
