import type { UpdateUser } from '@pbx/contracts';
import type { User } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { requireEveryScope, requireScope } from '../auth/scopes.js';
import { notFound } from '../errors.js';
import { hashSecret } from '../security/password.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { checkUserLinks } from './check-user-links.js';
import { assertNotLastAdmin } from './guard-last-admin.js';

export async function updateUser(
  ctx: TenantContext,
  userId: string,
  input: UpdateUser,
  ifMatch?: string,
): Promise<User> {
  requireScope(ctx.actor, 'USERS');
  const { password, ...rest } = input;
  const passwordHash = password === undefined ? undefined : await hashSecret(password);
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.user.findFirst({ where: { id: userId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('user');
    assertVersion(before, ifMatch);
    // An admin account (existing or made by this change) carries every right of the tenant.
    if (before.role === 'TENANT_ADMIN' || rest.role === 'TENANT_ADMIN')
      requireEveryScope(ctx.actor, 'changing a tenant admin');
    if (rest.disabled === true) await assertNotLastAdmin(tx, before, 'disable');
    if (rest.role !== undefined && rest.role !== 'TENANT_ADMIN')
      await assertNotLastAdmin(tx, before, 'demote');
    await checkUserLinks(tx, ctx.tenantId, rest, userId);
    const after = await tx.user.update({
      where: { id: userId },
      // A new password set by an admin also lifts a lockout.
      data: {
        ...compact(rest),
        ...(passwordHash ? { passwordHash, failedLogins: 0, lockedUntil: null } : {}),
      },
    });
    // New password or disabled account: end every open session of that user.
    if (passwordHash || (rest.disabled === true && !before.disabled))
      await tx.session.deleteMany({ where: { userId } });
    await record({
      action: 'user.update',
      entityType: 'user',
      entityId: userId,
      before,
      after,
      notify: false,
    });
    return after;
  });
}
