import type { User } from '@pbx/db';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';

/**
 * Refuses to disable, demote or delete a tenant's last active admin (the tenant could no longer be
 * managed except by the platform). The active admins are locked FOR UPDATE, so two admins disabling
 * each other at the same moment cannot both succeed: the second one waits and sees the first's change.
 */
export async function assertNotLastAdmin(
  tx: Tx,
  user: User,
  change: 'disable' | 'demote' | 'delete',
): Promise<void> {
  if (user.role !== 'TENANT_ADMIN' || user.disabled || !user.tenantId) return;
  const active = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "User"
    WHERE "tenantId" = ${user.tenantId}::uuid AND "role" = 'TENANT_ADMIN' AND NOT "disabled"
    FOR UPDATE`;
  if (active.some((a) => a.id !== user.id)) return;
  throw new AppError(
    'LAST_ADMIN',
    `cannot ${change} the last active admin of the tenant; make another user admin first`,
    { details: { userId: user.id } },
  );
}
