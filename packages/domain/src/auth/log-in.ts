import type { Db } from '@pbx/db';
import { AppError } from '../errors.js';
import { DUMMY_HASH, verifySecret } from '../security/password.js';
import { randomToken, sha256 } from '../security/tokens.js';

export type LoginPolicy = { maxFailures: number; lockMinutes: number; sessionTtlHours: number };

const INVALID = 'invalid email or password';

/**
 * Checks the password and opens a session. Unknown e-mails, disabled and
 * locked accounts all cost one scrypt verification and get the same answer,
 * so neither timing nor wording reveals which accounts exist. After
 * `maxFailures` wrong passwords in a row the account is locked for `lockMinutes`.
 */
export async function logIn(
  db: Db,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
  policy: LoginPolicy,
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const user = await db.user.findUnique({
    where: { email: input.email },
    include: { tenant: { select: { status: true } } },
  });
  const ok = await verifySecret(input.password, user?.passwordHash ?? DUMMY_HASH);
  const now = new Date();
  if (!user || user.disabled) throw new AppError('UNAUTHENTICATED', INVALID);
  if (user.lockedUntil && user.lockedUntil > now) throw new AppError('UNAUTHENTICATED', INVALID);
  if (!ok) {
    const updated = await db.user.update({
      where: { id: user.id },
      data: { failedLogins: { increment: 1 } },
    });
    if (updated.failedLogins >= policy.maxFailures) {
      await db.user.update({
        where: { id: user.id },
        data: { failedLogins: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) },
      });
    }
    throw new AppError('UNAUTHENTICATED', INVALID);
  }
  if (user.tenant?.status === 'SUSPENDED') throw new AppError('FORBIDDEN', 'this tenant is suspended');
  await db.user.update({
    where: { id: user.id },
    data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now },
  });
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + policy.sessionTtlHours * 3_600_000);
  await db.session.create({
    data: {
      userId: user.id,
      tokenHash: sha256(token),
      expiresAt,
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    },
  });
  return { token, expiresAt, userId: user.id };
}
