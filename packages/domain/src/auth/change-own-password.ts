import type { ChangePassword } from '@pbx/contracts';
import type { PlatformContext } from '../context.js';
import { AppError } from '../errors.js';
import { hashSecret, verifySecret } from '../security/password.js';
import { sha256 } from '../security/tokens.js';
import { runWrite } from '../shared/run-write.js';

/** A logged-in user changes their own password; every other session of theirs ends. */
export async function changeOwnPassword(
  ctx: PlatformContext,
  input: ChangePassword,
  currentSessionToken: string | null,
): Promise<void> {
  const userId = ctx.actor.userId;
  if (!userId) throw new AppError('FORBIDDEN', 'API keys have no password');
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!(await verifySecret(input.currentPassword, user.passwordHash))) {
    throw new AppError('VALIDATION_FAILED', 'the current password is wrong', { field: 'currentPassword' });
  }
  const passwordHash = await hashSecret(input.newPassword);
  await runWrite(ctx, async (tx, record) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    const keep = currentSessionToken ? { NOT: { tokenHash: sha256(currentSessionToken) } } : {};
    await tx.session.deleteMany({ where: { userId, ...keep } });
    await record({
      action: 'user.change-password',
      entityType: 'user',
      entityId: userId,
      tenantId: user.tenantId,
      notify: false,
    });
  });
}
