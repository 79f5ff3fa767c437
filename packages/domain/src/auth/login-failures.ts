import type { Tx } from '../context.js';

/**
 * Counts one failed login for an e-mail address: on the user when the account exists, otherwise in
 * LoginThrottle, with the same rule. Returns the lock's end when this failure locks the address.
 */
export async function countLoginFailure(
  tx: Tx,
  email: string,
  userId: string | null,
  now: Date,
  policy: { maxFailures: number; lockMinutes: number },
): Promise<Date | null> {
  const failures = userId
    ? (await tx.user.update({ where: { id: userId }, data: { failedLogins: { increment: 1 } } })).failedLogins
    : (
        await tx.loginThrottle.upsert({
          where: { email },
          create: { email, failedLogins: 1 },
          update: { failedLogins: { increment: 1 } },
        })
      ).failedLogins;
  if (failures < policy.maxFailures) return null;
  const lockedUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
  const data = { failedLogins: 0, lockedUntil };
  if (userId) await tx.user.update({ where: { id: userId }, data });
  else await tx.loginThrottle.update({ where: { email }, data });
  return lockedUntil;
}
