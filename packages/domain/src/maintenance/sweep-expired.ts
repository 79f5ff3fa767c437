import type { Db } from '@pbx/db';

export type SweepExpiredOptions = { prisma: Db; now: Date; olderThanHours: number };

const THROTTLE_KEEP_DAYS = 30;

/**
 * Deletes portal sessions past their expiry, idempotency records past their replay window, and
 * failed-login counters of unknown e-mail addresses once they no longer hold anything (lock over,
 * count reset) or have been quiet for 30 days.
 */
export async function sweepExpired({ prisma, now, olderThanHours }: SweepExpiredOptions): Promise<{
  sessions: number;
  idempotencyRecords: number;
  loginThrottles: number;
}> {
  const cutoff = new Date(now.getTime() - olderThanHours * 3_600_000);
  const sessions = await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
  const records = await prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const throttles = await prisma.loginThrottle.deleteMany({
    where: {
      OR: [
        { lockedUntil: { lt: now }, failedLogins: 0 },
        { updatedAt: { lt: new Date(now.getTime() - THROTTLE_KEEP_DAYS * 86_400_000) } },
      ],
    },
  });
  return { sessions: sessions.count, idempotencyRecords: records.count, loginThrottles: throttles.count };
}
